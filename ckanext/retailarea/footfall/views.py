"""Series downloads (CSV and JSON of the series a chart shows)."""
from __future__ import annotations

from flask import Blueprint

footfall = Blueprint("retailarea_footfall", __name__)
