"""Series actions: retailarea_footfall_series, retailarea_parking_occupancy_series."""
from __future__ import annotations

__all__: list[str] = []
