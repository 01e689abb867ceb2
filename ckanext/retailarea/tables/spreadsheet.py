"""Spreadsheet uploads (.xlsx, .ods): one sheet written out as the CSV the table checks read.

A steward's register lives in a workbook, so the sheet is turned into a UTF-8, comma-separated
CSV file, row for row (sheet row 5 is CSV row 5, so errors point at the cell the steward sees),
and then validated and loaded exactly like an uploaded CSV. The conversion knows the table
schema, so cells typed in the spreadsheet come through as the schema expects:

* **Dates and times**: date cells become ``2025-06-05``; date-time cells in a ``datetime``
  column get the offset of Europe/Amsterdam at that moment (the platform's calendar), since a
  spreadsheet cell has none. A plain number in a ``date`` or ``datetime`` column is an Excel
  date serial (days since 1899-12-30).
* **Numbers**: whole numbers lose Excel's ``.0``; other numbers keep every digit they hold.
  Text cells with a decimal comma (``52,0116``) in a ``number`` column read as ``52.0116``.
* **Text**: kept exactly, leading zeros included. A number cell in a text column (an SBI code
  or postcode typed as a number) keeps the leading zeros its cell format shows (``0000``);
  in an .ods file the shown text is stored with the cell and is taken as is.
* **Booleans**: ``true`` / ``false``.

The .ods reader streams ``content.xml`` rather than using ezodf (last release 2015), which
expands the million empty rows LibreOffice declares after the data into memory.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Generator, Iterator
from os import PathLike
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import openpyxl
from lxml import etree
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from ckanext.retailarea.tables.csvfile import DEFAULT_MAX_BYTES, CsvProblem

KINDS = ("xlsx", "ods")
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
# Empty rows or cells a sheet may declare at once (LibreOffice pads sheets to 1,048,576 rows):
# more than this many in one run are the end of the data, not part of it.
MAX_REPEAT = 1000

_DECIMAL_COMMA = re.compile(r"^\s*[-+]?[0-9]*,[0-9]+\s*$")
_ZERO_PAD = re.compile(r"^0+$")
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def kind_of(name: str | None, fmt: str | None = None) -> str | None:
    """``xlsx`` or ``ods`` for a file name or resource format, else None."""
    fmt = (fmt or "").strip().lower().lstrip(".")
    if fmt in KINDS:
        return fmt
    suffix = Path((name or "").lower().split("?")[0]).suffix.lstrip(".")
    return suffix if suffix in KINDS else None


def to_csv(source: str | PathLike[str], target: str | PathLike[str], kind: str,
           schema: dict[str, Any], sheet: str | None = None,
           max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Write sheet ``sheet`` (default: the first) of the workbook at ``source`` as a CSV file
    at ``target``; returns the name of the sheet read. Raises ``CsvProblem`` when the file is
    no workbook of that kind, has no such sheet, or its CSV would exceed ``max_bytes`` (a
    small compressed workbook can unpack into a huge table)."""
    reader = _read_xlsx if kind == "xlsx" else _read_ods
    try:
        name, rows = reader(Path(source), sheet)
        types = {f["name"]: f["type"] for f in schema["fields"]}
        _write(rows, Path(target), types, max_bytes)
    except CsvProblem:
        raise
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError,
            InvalidFileException) as error:
        raise CsvProblem(
            "source-error", f"The file cannot be read as an {kind} workbook ({error})."
        ) from error
    return name


def header(source: str | PathLike[str], kind: str, sheet: str | None = None) -> list[str]:
    """The column names in the first row of sheet ``sheet`` (default: the first); raises
    ``CsvProblem`` like ``to_csv``."""
    reader = _read_xlsx if kind == "xlsx" else _read_ods
    try:
        _, rows = reader(Path(source), sheet)
        first = next(rows, [])
        rows.close()
    except CsvProblem:
        raise
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError,
            InvalidFileException):
        return []
    return [_label(cell) for cell in first]


def _write(rows: Iterator[list[Any]], target: Path, types: dict[str, str],
           max_bytes: int) -> None:
    header: list[str] = []
    pending: list[list[str]] = []  # blank rows kept only when data follows them
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for number, cells in enumerate(rows, start=1):
            if number == 1:
                header = [_label(cell) for cell in cells]
                while header and not header[-1]:
                    header.pop()
                writer.writerow(header)
                continue
            pairs = zip(cells, header, strict=False)
            row = [_text(cell, types.get(label)) for cell, label in pairs]
            row += [_text(cell, None) for cell in cells[len(header):] if _present(cell)]
            if not any(row):
                pending.append([""] * len(header))
                continue
            writer.writerows(pending)
            pending = []
            writer.writerow(row + [""] * (len(header) - len(row)))
            if number % 1000 == 0 and handle.tell() > max_bytes:
                raise CsvProblem(
                    "file-too-large",
                    f"The sheet holds more than {max_bytes / 1_000_000:.1f} MB of data; "
                    "split it into smaller files.",
                )
    if not header:
        raise CsvProblem("blank-header", "The first row is empty: it must name the columns.", 1)


def _present(cell: Any) -> bool:
    return _value(cell) not in (None, "")


def _label(cell: Any) -> str:
    value = _value(cell)
    return "" if value is None else str(value).strip()


class _Cell:
    """A cell as read: its value and how the spreadsheet shows it (format or text)."""

    __slots__ = ("value", "shown")

    def __init__(self, value: Any, shown: str | None = None) -> None:
        self.value, self.shown = value, shown


def _value(cell: Any) -> Any:
    return cell.value if isinstance(cell, _Cell) else cell


def _text(cell: Any, field_type: str | None) -> str:
    value = _value(cell)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _moment(value, field_type)
    if isinstance(value, (int, float)):
        return _number(value, field_type, cell.shown if isinstance(cell, _Cell) else None)
    text = str(value)
    if field_type == "number" and _DECIMAL_COMMA.match(text):
        return text.strip().replace(",", ".")
    return text


def _moment(value: dt.date | dt.time, field_type: str | None) -> str:
    if isinstance(value, dt.datetime):
        if field_type == "date":
            return value.date().isoformat()
        if field_type == "datetime":
            aware = value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)
            return aware.isoformat()
        if value.time() == dt.time(0):
            return value.date().isoformat()
    return value.isoformat()


def _number(value: float, field_type: str | None, shown: str | None) -> str:
    if field_type in ("date", "datetime") and not isinstance(value, bool):
        return _moment(from_excel(value), field_type)
    if field_type == "string" and shown is not None:
        return shown
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) else repr(value)


def _read_xlsx(path: Path, sheet: str | None) -> tuple[str, Generator[list[Any], None, None]]:
    # a stream, not the path: openpyxl judges a path by its suffix, and uploads have none
    stream = open(path, "rb")  # noqa: SIM115 - closed when the rows are read
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        name = _pick(book.sheetnames, sheet)
    except BaseException:
        stream.close()
        raise
    return name, _xlsx_rows(book, name, stream)


def _xlsx_rows(book: Any, name: str, stream: Any) -> Generator[list[Any], None, None]:
    try:
        for row in book[name].iter_rows(min_row=1):
            yield [_xlsx_cell(cell) for cell in row]
    finally:
        book.close()
        stream.close()


def _xlsx_cell(cell: Any) -> _Cell:
    value = getattr(cell, "value", None)
    shown = None
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0 \
            and _ZERO_PAD.match(number_format) and float(value).is_integer():
        shown = str(int(value)).zfill(len(number_format))
    elif isinstance(value, int | float) and not isinstance(value, bool) \
            and float(value).is_integer():
        shown = str(int(value))
    return _Cell(value, shown)


def _pick(names: list[str], sheet: str | None) -> str:
    if not names:
        raise CsvProblem("no-sheet", "The workbook has no sheets.")
    if not sheet:
        return names[0]
    if sheet in names:
        return sheet
    raise CsvProblem(
        "no-sheet",
        f'The workbook has no sheet "{sheet}". Its sheets: ' + ", ".join(names) + ".",
    )


def _read_ods(path: Path, sheet: str | None) -> tuple[str, Generator[list[Any], None, None]]:
    # content.xml is streamed from the archive, never read whole: it is often ten times
    # the size of the .ods file
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        tables = etree.iterparse(content, events=("start",), tag=f"{_TABLE}table",
                                 resolve_entities=False, no_network=True)
        names = [element.get(f"{_TABLE}name") for _, element in tables]
    name = _pick([n for n in names if n], sheet)
    return name, _ods_rows(path, name)


def _ods_rows(path: Path, name: str) -> Generator[list[Any], None, None]:
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        yield from _ods_sheet(content, name)


def _ods_sheet(content: IO[bytes], name: str) -> Generator[list[Any], None, None]:
    inside = False
    blank_run = 0
    for event, element in etree.iterparse(
        content, events=("start", "end"), resolve_entities=False, no_network=True,
        tag=(f"{_TABLE}table", f"{_TABLE}table-row"),
    ):
        if element.tag == f"{_TABLE}table":
            inside = event == "start" and element.get(f"{_TABLE}name") == name
            if event == "end" and element.get(f"{_TABLE}name") == name:
                return
            continue
        if event != "end" or not inside:
            continue
        cells = _ods_cells(element)
        repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
        element.clear()
        if not any(_present(cell) for cell in cells):
            blank_run += repeat
            if blank_run > MAX_REPEAT:
                return
            for _ in range(repeat):
                yield cells
            continue
        blank_run = 0
        for _ in range(min(repeat, MAX_REPEAT)):
            yield cells


def _ods_cells(row: Any) -> list[_Cell]:
    cells: list[_Cell] = []
    for element in row:
        if element.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            continue
        cell = _ods_cell(element)
        repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
        cells.extend([cell] * min(repeat, MAX_REPEAT))
    while cells and cells[-1].value is None:
        cells.pop()
    return cells


def _ods_cell(element: Any) -> _Cell:
    shown = "\n".join("".join(p.itertext()) for p in element.iter(f"{_TEXT}p"))
    kind = element.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(element.get(f"{_OFFICE}value"))
        return _Cell(int(number) if number.is_integer() else number, shown)
    if kind == "date":
        return _Cell(dt.datetime.fromisoformat(element.get(f"{_OFFICE}date-value")), shown)
    if kind == "boolean":
        return _Cell(element.get(f"{_OFFICE}boolean-value") == "true", shown)
    if kind == "time":
        return _Cell(shown or None, shown)
    return _Cell(shown if kind or shown else None, shown)
