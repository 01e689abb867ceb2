"""From a table schema and a validated CSV file to DataStore fields and records.

Records hold JSON values only, as ``datastore_upsert`` takes them through the Action API:
numbers become ``int``/``float``, dates ``"2025-06-05"``, times ``"09:00:00"``, date-times ISO
8601 strings with their offset (``"2025-06-05T14:15:00+02:00"``), GeoJSON a ``dict`` (the
DataStore stores a ``json`` column as its ``nested`` type), empty cells ``None``. Text stays
text: an ``sbi_code`` of ``0111`` keeps its leading zero.
"""
from __future__ import annotations

import datetime
import decimal
import os
from collections.abc import Iterator
from typing import Any

import frictionless
from frictionless.resources import TableResource

from ckanext.retailarea.tables import csvfile
from ckanext.retailarea.tables.csvfile import DEFAULT_MAX_BYTES, CsvProblem

# Frictionless field type -> DataStore (PostgreSQL) column type.
DATASTORE_TYPES = {
    "string": "text",
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "time": "time",
    "datetime": "timestamptz",
    "year": "int",
    "geojson": "json",
    "object": "json",
    "array": "json",
}

Record = dict[str, Any]


def datastore_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``fields`` of ``datastore_create`` for a table schema descriptor, in schema order,
    with the data dictionary ``info`` (label, notes) taken from title and description."""
    return [
        {
            "id": field["name"],
            "type": DATASTORE_TYPES.get(field["type"], "text"),
            "info": {
                "label": field.get("title", field["name"]),
                "notes": field.get("description", ""),
            },
        }
        for field in schema["fields"]
    ]


def iter_records(
    path: str | os.PathLike[str],
    schema: dict[str, Any],
    batch_size: int = 5000,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[list[Record]]:
    """Yield the rows of the CSV at ``path`` as lists of at most ``batch_size`` records.

    The file is streamed: only the current batch is in memory. Read the file with the same
    decisions as ``validate_csv`` (encoding, delimiter, decimal comma), so validate it first:
    an unreadable file or a row with an invalid value raises ``CsvProblem`` (with ``row``),
    as loading half a table silently would be worse. Blank rows are skipped.
    """
    fmt = csvfile.inspect(path, max_bytes=max_bytes, schema=schema)
    names = [field["name"] for field in schema["fields"]]
    batch: list[Record] = []
    with open(path, "rb") as stream:
        for row in _valid_rows(csvfile.open_table(stream, schema, fmt)):
            batch.append({name: json_value(row[name]) for name in names})
            if len(batch) >= batch_size:
                yield batch
                batch = []
    if batch:
        yield batch


def _valid_rows(resource: TableResource) -> Iterator[frictionless.Row]:
    try:
        with resource:
            if not resource.header.valid:
                raise _invalid(1, resource.header.errors[0])
            for row in resource.row_stream:
                if row.errors and row.errors[0].type == "blank-row":
                    continue
                if not row.valid:
                    raise _invalid(row.row_number, row.errors[0])
                yield row
    except frictionless.FrictionlessException as exception:
        message = f"The file cannot be read: {exception.error.message}"
        raise CsvProblem("source-error", message) from exception


def _invalid(row_number: int, error: frictionless.Error) -> CsvProblem:
    message = f"Row {row_number} is not valid ({error.message}); validate the file first."
    return CsvProblem("invalid-row", message, row_number)


def json_value(value: Any) -> Any:
    """A value as read by frictionless, as a JSON value."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return value
