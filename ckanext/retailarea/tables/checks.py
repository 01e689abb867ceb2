"""Rules frictionless does not check by itself, as a frictionless ``Check``.

* Every date-time carries a UTC offset (``2025-06-05T14:15:00+02:00`` or ``...Z``): a local time
  without one is ambiguous twice a year and the DataStore stores ``timestamptz``.
* Numbers are finite: frictionless accepts ``NaN`` and ``Infinity``, JSON and stewards do not.
* Keys (primary key, unique columns) hold no repeats. Frictionless keeps every key value in
  memory (about 400 bytes a row for footfall counts); this check keeps the 64-bit ``hash()``
  of the key and a row number (about 100 bytes), which matters for files with millions of
  rows. Two different keys share a hash with a probability of about n²/2⁶⁵ (one in ten
  million for a million rows); the cost would be one false "repeats row N" error.
"""
from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Iterable
from typing import Any

import attrs
import frictionless
from frictionless import errors


@attrs.define(kw_only=True, repr=False)
class MissingOffsetError(errors.CellError):
    """A date-time without UTC offset."""

    type = "missing-offset"
    title = "Missing UTC Offset"
    description = "A date and time must say its offset from UTC, e.g. +02:00 or Z."
    template = (
        'The date-time "{cell}" in row "{rowNumber}" and field "{fieldName}" has no UTC '
        "offset: {note}"
    )


@attrs.define(kw_only=True, repr=False)
class TableRules(frictionless.Check):
    """Offsets on date-times, finite numbers and memory-lean key checks."""

    type = "retailarea-table-rules"
    Errors = [MissingOffsetError, errors.TypeError, errors.UniqueError, errors.PrimaryKeyError]

    keys: list[tuple[str, ...]] = attrs.field(factory=list)
    """Column tuples whose values must not repeat; the first one is the primary key."""

    primary_key: bool = False
    """Whether ``keys[0]`` is the primary key (reported as ``primary-key``)."""

    _seen: list[dict[int, int]] = attrs.field(factory=list, init=False)
    _datetimes: list[str] = attrs.field(factory=list, init=False)
    _numbers: list[str] = attrs.field(factory=list, init=False)

    def validate_start(self) -> Iterable[frictionless.Error]:
        header = self.resource.header  # pyright: ignore[reportAttributeAccessIssue]  # a TableResource at run time; frictionless types it as Resource
        fields = header.get_expected_fields()
        present = {field.name for field in fields}
        self.keys = [key for key in self.keys if set(key) <= present]
        self._seen = [{} for _ in self.keys]
        self._datetimes = [field.name for field in fields if field.type == "datetime"]
        self._numbers = [field.name for field in fields if field.type == "number"]
        return []

    def validate_row(self, row: frictionless.Row) -> Iterable[frictionless.Error]:
        for name in self._datetimes:
            value = row[name]
            if isinstance(value, datetime.datetime) and value.tzinfo is None:
                note = "add the offset, e.g. +01:00 in winter, +02:00 in summer, or Z for UTC"
                yield _cell_error(MissingOffsetError, row, name, note)
        for name in self._numbers:
            if not _finite(row[name]) and not _has_error(row, name):
                yield _cell_error(errors.TypeError, row, name, "not a finite number")
        yield from self._repeats(row)

    def _repeats(self, row: frictionless.Row) -> Iterable[frictionless.Error]:
        for index, key in enumerate(self.keys):
            values = [row[name] for name in key]
            if any(value is None for value in values):
                continue  # a missing key value is reported as a required-value error
            # hash() compares like ==, as frictionless does: 2025-06-05T14:15:00+02:00 and
            # 2025-06-05T12:15:00Z are the same key, and so are 12.5 and 12.50.
            first = self._seen[index].setdefault(hash(tuple(values)), row.row_number)
            if first == row.row_number:
                continue
            note = f"the same as in row {first}"
            if index == 0 and self.primary_key:
                yield errors.PrimaryKeyError.from_row(row, note=note)
            else:
                yield _cell_error(errors.UniqueError, row, key[0], note)


def _cell_error(
    error_class: type[errors.CellError], row: frictionless.Row, name: str, note: str
) -> errors.CellError:
    """A cell error showing the cell as written in the file, not as parsed."""
    error = error_class.from_row(row, note=note, field_name=name)
    error.cell = str(row.cells[error.field_number - 1])
    return error


def _has_error(row: frictionless.Row, name: str) -> bool:
    return any(getattr(error, "field_name", None) == name for error in row.errors)


def _finite(value: Any) -> bool:
    if isinstance(value, decimal.Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return True
