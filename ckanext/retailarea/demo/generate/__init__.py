"""Synthetic demo data: the CSV tables the demo loader uploads, validates and loads into
the DataStore. Nothing in them describes a real shop, person or sensor.

The output is deterministic: every table draws from its own seeded ``random.Random``,
uses no wall clock, and is byte-identical on every run and machine. Each table is also
available as a generator of rows (``shops()``, ``footfall_counts()``, ...), so callers can
stream the big ones.

    from ckanext.retailarea.demo.generate import generate
    paths = generate(Path("/tmp/demo"))   # {"shops": Path("/tmp/demo/shops.csv"), ...}
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from .common import Row, csv_value
from .events import COLUMNS as EVENT_COLUMNS
from .events import events
from .footfall import COUNT_COLUMNS, LOCATION_COLUMNS, footfall_counts, footfall_locations
from .parking import (
    FACILITY_COLUMNS,
    OCCUPANCY_COLUMNS,
    TARIFF_COLUMNS,
    parking_facilities,
    parking_occupancy,
    parking_tariffs,
)
from .shops import COLUMNS as SHOP_COLUMNS
from .shops import shops

__all__ = [
    "TABLES", "Table", "events", "footfall_counts", "footfall_locations", "generate",
    "parking_facilities", "parking_occupancy", "parking_tariffs", "shops", "write_csv",
]


class Table(NamedTuple):
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[Row]]


# Table names match the Frictionless schemas in schemas/tables/<name>.json.
TABLES: dict[str, Table] = {
    "shops": Table(SHOP_COLUMNS, shops),
    "events": Table(EVENT_COLUMNS, events),
    "parking_facilities": Table(FACILITY_COLUMNS, parking_facilities),
    "parking_tariffs": Table(TARIFF_COLUMNS, parking_tariffs),
    "parking_occupancy": Table(OCCUPANCY_COLUMNS, parking_occupancy),
    "footfall_locations": Table(LOCATION_COLUMNS, footfall_locations),
    "footfall_counts": Table(COUNT_COLUMNS, footfall_counts),
}


def generate(out_dir: Path) -> dict[str, Path]:
    """Write every table to ``out_dir/<table>.csv`` and return the paths by table name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in TABLES.items():
        paths[name] = out_dir / f"{name}.csv"
        write_csv(paths[name], table.columns, table.rows())
    return paths


def write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[Row]) -> None:
    """UTF-8, comma-separated, a header row and ``\\n`` line endings on every platform."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([csv_value(row[column]) for column in columns] for row in rows)
