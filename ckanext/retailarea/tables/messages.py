"""Validation errors as data stewards read them.

frictionless says 'Type error in the cell "x" in row "4" and field "count" at position "6":
type is "integer/default"'; a steward needs 'The value "x" in column "count" is not a whole
number (e.g. 312).' Every message here is in English and keyed by a stable ``code`` (the
frictionless error type, or ours for problems found before frictionless reads the file), so
the web UI can translate by code.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

import frictionless
import frictionless.errors

from ckanext.retailarea.tables.csvfile import DELIMITER_NAMES, CsvFormat

HEADER_ROW = 1
MAX_SHOWN = 80

# What a value of each Frictionless type looks like, for type errors.
TYPE_FORMS = {
    "integer": "a whole number",
    "number": "a number with a decimal dot",
    "boolean": "true or false",
    "date": "a date written as YYYY-MM-DD",
    "time": "a time written as HH:MM:SS",
    "datetime": "a date and time written as YYYY-MM-DDTHH:MM:SS with a UTC offset",
    "geojson": "a GeoJSON geometry",
    "uri": "an absolute web address",
}

_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_ROW_REFERENCE = re.compile(r"(?:row|position) (\d+)")
_DECIMAL_COMMA = re.compile(r"^[-+]?[0-9]*,[0-9]+$")
_NOT_FINITE = re.compile(r"^[-+]?(nan|s?nan[0-9]*|inf|infinity)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s")


def entry(
    code: str, message: str, *, row: int | None = None, column: str | None = None
) -> dict[str, Any]:
    """One error of the validation report."""
    return {"row": row, "column": column, "code": code, "message": message}


def from_frictionless(
    error: frictionless.Error, schema: dict[str, Any], fmt: CsvFormat
) -> dict[str, Any]:
    """A report entry for a frictionless error met reading a file against ``schema``."""
    fields = {field["name"]: field for field in schema["fields"]}
    if isinstance(error, frictionless.errors.LabelError):
        return _label(error, fields)
    row = getattr(error, "row_number", None)
    if isinstance(error, frictionless.errors.CellError):
        field = fields.get(error.field_name, {"name": error.field_name, "type": "any"})
        column = error.field_name or None  # an extra cell belongs to no column
        return entry(error.type, _cell(error, field, fmt), row=row, column=column)
    if error.type == "blank-header":
        return entry(error.type, "The first row is empty: it must name the columns.",
                     row=HEADER_ROW)
    return entry(error.type, _other(error, schema, fmt), row=row)


def _label(
    error: frictionless.errors.LabelError, fields: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    if error.type == "missing-label":
        message = (f'The column "{error.field_name}" is missing. Add it to the first row, '
                   "even if it stays empty.")
        return entry(error.type, message, row=HEADER_ROW, column=error.field_name)
    if error.type == "extra-label":
        message = f'The column "{error.label}" is not part of this table.'
        guess = difflib.get_close_matches(error.label, list(fields), n=1)
        message += f' Did you mean "{guess[0]}"?' if guess else " Remove it."
        return entry(error.type, message, row=HEADER_ROW, column=error.label)
    message = f'Problem with the column "{error.label}" in the first row: {error.note}'
    return entry(error.type, message, row=HEADER_ROW, column=error.label or None)


def _cell(error: frictionless.errors.CellError, field: dict[str, Any], fmt: CsvFormat) -> str:
    where = f'in column "{field["name"]}"'
    value = f'The value "{_shown(error.cell)}" {where}'
    if error.type == "type-error":
        return f"{value} is not {_form(field, error.cell, fmt)}."
    if error.type == "constraint-error":
        return _constraint(error, field, value, where)
    if error.type == "unique-error":
        return (f"{value} was already used in row {_first_row(error.note)}; "
                "each row needs its own value.")
    if error.type == "missing-offset":
        return (f"{value} has no UTC offset. Write it as e.g. 2025-06-05T14:15:00+02:00 "
                "(+01:00 in winter) or 2025-06-05T12:15:00Z (UTC).")
    if error.type == "missing-cell":
        return (f'This row has fewer values than the first row has columns: nothing {where}. '
                f"Check the {DELIMITER_NAMES[fmt.delimiter]}s in this row.")
    if error.type == "extra-cell":
        return (f"This row has more values than the first row has columns. Put quotes around "
                f"values that contain a {DELIMITER_NAMES[fmt.delimiter]}.")
    return f"{value}: {error.note}"


def _constraint(
    error: frictionless.errors.CellError, field: dict[str, Any], value: str, where: str
) -> str:
    match = _CONSTRAINT.search(error.note)
    name = match.group(1) if match else ""
    constraint = field.get("constraints", {}).get(name)
    if field["type"] == "number" and _NOT_FINITE.match(error.cell.strip()):
        return f"{value} is not a number."  # frictionless reads NaN, then compares it
    if name == "required":
        return f"A value is required {where}."
    if name == "enum":
        return f"{value} is not allowed; use one of: {', '.join(map(str, constraint))}."
    if name == "pattern":
        return f"{value} does not have the expected form. {_hint(field)}"
    if name == "minimum":
        return f"{value} is below the minimum of {constraint}."
    if name == "maximum":
        return f"{value} is above the maximum of {constraint}."
    if name == "exclusiveMinimum":
        return f"{value} must be greater than {constraint}."
    if name == "exclusiveMaximum":
        return f"{value} must be less than {constraint}."
    return f"{value} does not meet the rule {name} = {constraint}."


def _other(error: frictionless.Error, schema: dict[str, Any], fmt: CsvFormat) -> str:
    if error.type == "blank-row":
        return "This row is empty. Remove it."
    if error.type == "primary-key":
        key = ", ".join(schema.get("primaryKey", []))
        return (f"This row has the same {key} as row {_first_row(error.note)}; "
                "no two rows may share them.")
    if error.type == "encoding-error":
        return f"Part of the file cannot be read as {fmt.encoding} text: {error.note}"
    if error.type == "source-error":
        return f"The file cannot be read as a CSV table: {error.note}"
    return error.message


def _form(field: dict[str, Any], cell: str, fmt: CsvFormat) -> str:
    kind = "uri" if field.get("format") == "uri" else field["type"]
    form = TYPE_FORMS.get(kind, f"a valid {kind}")
    if kind == "number" and fmt.decimal_comma:
        return "a number with a decimal comma, like the other numbers in this file"
    if kind == "number" and _DECIMAL_COMMA.match(cell.strip()):
        return f"{form}: this file uses a decimal dot, not a comma"
    if kind == "boolean" and fmt.excel_conventions:
        return "true or false (or WAAR or ONWAAR)"
    example = field.get("example")
    return f"{form} (e.g. {example})" if example else form


def _hint(field: dict[str, Any]) -> str:
    """The first sentence of the column's description, and its example unless in there."""
    sentence = _SENTENCE_END.split(field.get("description", ""), maxsplit=1)[0].rstrip(".")
    hint = f"{sentence}." if sentence else ""
    example = field.get("example")
    if example and example not in hint:
        hint += f" Example: {example}"
    return hint.strip()


def _first_row(note: str) -> str:
    match = _ROW_REFERENCE.search(note)
    return match.group(1) if match else "an earlier row"


def _shown(cell: str) -> str:
    return cell if len(cell) <= MAX_SHOWN else cell[:MAX_SHOWN] + "…"
