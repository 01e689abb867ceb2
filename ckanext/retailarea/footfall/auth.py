"""Auth functions of the series actions (same names)."""
from __future__ import annotations

__all__: list[str] = []
