"""Series as CSV: one row per series entry, the total rows first."""
from __future__ import annotations

import csv
import io
from typing import Any

FOOTFALL_COLUMNS = ["series", "location_id", "start", "label", "visitors", "previous_year",
                    "change_pct", "intervals", "expected_intervals", "gaps", "complete",
                    "imputed", "imputed_intervals"]
PARKING_COLUMNS = ["facility", "name", "start", "label", "mean_occupancy_pct",
                   "peak_occupancy_pct", "observations"]


def _value(value: Any) -> Any:
    """Empty for null; true/false as in our CSV uploads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_value(row.get(column)) for column in columns] for row in rows)
    return out.getvalue()


def footfall_csv(answer: dict[str, Any]) -> str:
    rows = [{"series": "total", "location_id": "", **entry} for entry in answer["total"]]
    for location_id, entries in answer["locations"].items():
        rows += [{"series": "location", "location_id": location_id, **entry}
                 for entry in entries]
    return _write(FOOTFALL_COLUMNS, rows)


def parking_csv(answer: dict[str, Any]) -> str:
    rows = []
    for uuid, entries in answer["facilities"].items():
        name = answer["names"].get(uuid, "")
        rows += [{"facility": uuid, "name": name, **entry} for entry in entries]
    return _write(PARKING_COLUMNS, rows)
