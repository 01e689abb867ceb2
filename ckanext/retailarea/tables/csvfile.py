"""Looking at an uploaded CSV file before frictionless reads it, and opening it for reading.

``inspect`` reads the file once, line by line with a bounded line length, and decides what
frictionless should be told rather than letting it guess from a sample:

* **Size and kind.** An empty file, a file above ``max_bytes`` (judged from its size, without
  reading it), a workbook, archive or PDF, a file with NUL bytes (binary, or UTF-16 text) and a
  physical line longer than ``max_line_bytes`` (a "CSV bomb": the csv module would hold the
  whole line in memory) are refused with a ``CsvProblem``.
* **Encoding.** UTF-8, with or without a byte-order mark, is the encoding we ask for. A file
  that is not valid UTF-8, *holds no UTF-8 multi-byte character anywhere* and decodes as
  Windows-1252 is read as Windows-1252: that is what Excel's plain "CSV" export writes on Dutch
  Windows, and such a file cannot be UTF-8 with a damaged byte. Any other non-UTF-8 file
  (mixed encodings, damage) is refused, pointing at the first bad line.
* **Delimiter.** Comma, semicolon or tab, whichever splits the header into the most columns
  (column names never contain any of them). Semicolon files are accepted because Dutch Excel
  writes them (its decimal separator is the comma).
* **Dutch Excel conventions.** In a semicolon file, numbers may use a decimal comma when the
  first data rows do (``52,0116``; then every number in the file must) and booleans may read
  ``WAAR``/``ONWAAR``. Comma files always use a decimal dot.
"""
from __future__ import annotations

import codecs
import copy
import csv
import io
import os
import re
import stat
from dataclasses import dataclass
from typing import Any, BinaryIO

import frictionless
from frictionless.formats.csv import CsvControl
from frictionless.resources import TableResource

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
SAMPLE_ROWS = 100
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
EXCEL_TRUE = ["true", "True", "TRUE", "1", "WAAR"]
EXCEL_FALSE = ["false", "False", "FALSE", "0", "ONWAAR"]

_DECIMAL_COMMA = re.compile(r"^\s*[-+]?[0-9]*,[0-9]+\s*$")
_SAVE_AS_CSV = 'Export it from the spreadsheet with "Save as" > "CSV UTF-8".'
# Leading bytes of files people upload by mistake instead of a CSV export.
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook or a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel (.xls) or Word file"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xff\xfe", "UTF-16 or UTF-32 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"\x00\x00\xfe\xff", "UTF-32 text"),
)


class CsvProblem(Exception):
    """The file cannot be read as a CSV table at all; ``message`` tells the steward why."""

    def __init__(self, code: str, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.row = row


@dataclass(frozen=True)
class CsvFormat:
    """How to read one CSV file, as decided by ``inspect``."""

    encoding: str
    delimiter: str
    header: list[str]
    decimal_comma: bool = False

    @property
    def excel_conventions(self) -> bool:
        """Whether Dutch Excel habits (decimal comma, WAAR/ONWAAR) are accepted."""
        return self.delimiter == ";"


@dataclass
class _Scan:
    """What reading every line found out about the encoding."""

    utf8: bool = True  # every line is UTF-8
    bad_line: int | None = None  # the first line that is not
    saw_multibyte: bool = False  # some line holds UTF-8 beyond ASCII
    cp1252: bool = True  # every line is Windows-1252


def inspect(
    path: str | os.PathLike[str],
    *,
    max_bytes: int,
    max_line_bytes: int = MAX_LINE_BYTES,
    schema: dict[str, Any] | None = None,
) -> CsvFormat:
    """Decide encoding, delimiter and number style of the CSV at ``path``.

    ``schema`` (a table schema descriptor) tells which columns hold numbers, for the decimal
    comma check. Raises ``CsvProblem`` when the file cannot be read as a CSV table.
    """
    check_size(path, max_bytes)
    with open(path, "rb") as stream:
        head = stream.read(8)
        _check_magic(head)
        stream.seek(0)
        scan = _scan(stream, max_line_bytes)
    encoding = _encoding(scan, head)
    with open(path, encoding=encoding, newline="") as text:
        header, rows = _sample(text)
    delimiter = _delimiter(header)
    parsed = _parse(header, rows, delimiter)
    if not parsed or not any(label.strip() for label in parsed[0]):
        raise CsvProblem("blank-header", "The first row is empty: it must name the columns.", 1)
    decimal_comma = delimiter == ";" and _uses_decimal_comma(parsed, schema)
    return CsvFormat(encoding, delimiter, parsed[0], decimal_comma)


def check_size(path: str | os.PathLike[str], max_bytes: int) -> None:
    """Raise ``CsvProblem`` for a missing, empty or too large file (judged from its size)."""
    try:
        info = os.stat(path)
    except OSError as exception:
        raise CsvProblem(
            "file-not-found", f"The file cannot be opened: {exception.strerror}."
        ) from exception
    if not stat.S_ISREG(info.st_mode):
        raise CsvProblem("file-not-found", "The upload is not a regular file.")
    if info.st_size == 0:
        raise CsvProblem("empty-file", "The file is empty.")
    if info.st_size > max_bytes:
        raise CsvProblem(
            "file-too-large",
            f"The file is {_megabytes(info.st_size)}; the limit is {_megabytes(max_bytes)}. "
            "Split it into smaller files.",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _check_magic(head: bytes) -> None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise CsvProblem("binary-file", f"The file is {what}, not a CSV file. {_SAVE_AS_CSV}")


def _scan(stream: BinaryIO, max_line_bytes: int) -> _Scan:
    """Read every physical line once: length, NUL bytes and whether it decodes."""
    scan = _Scan()
    number = 0
    while line := stream.readline(max_line_bytes + 1):
        number += 1
        if len(line) > max_line_bytes:
            raise CsvProblem(
                "line-too-long",
                f"Line {number} is longer than {_megabytes(max_line_bytes)}; a CSV row is never "
                "that long. Is this really a CSV table with line breaks between the rows?",
                number,
            )
        if b"\x00" in line:
            raise CsvProblem(
                "binary-file",
                f"Line {number} contains NUL bytes: this is a binary file or UTF-16 text, "
                f"not a CSV file. {_SAVE_AS_CSV}",
                number,
            )
        _decode_line(scan, line, number)
    return scan


def _decode_line(scan: _Scan, line: bytes, number: int) -> None:
    # A newline byte never occurs inside a UTF-8 multi-byte sequence, so decoding line by line
    # gives the same answer as decoding the whole file.
    if line.isascii():
        return
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        if scan.utf8:
            scan.utf8, scan.bad_line = False, number
    else:
        scan.saw_multibyte = True
    try:
        line.decode("cp1252")
    except UnicodeDecodeError:
        scan.cp1252 = False


def _encoding(scan: _Scan, head: bytes) -> str:
    if scan.utf8:
        return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    if scan.cp1252 and not scan.saw_multibyte:
        return "cp1252"
    raise CsvProblem(
        "encoding-error",
        f"Line {scan.bad_line} contains bytes that are not UTF-8 text (the file mixes "
        f"encodings or is damaged). {_SAVE_AS_CSV}",
        scan.bad_line,
    )


def _sample(text: io.TextIOBase) -> tuple[str, list[str]]:
    """The header line and the physical lines of the first data rows."""
    lines: list[str] = []
    for line in text:
        lines.append(line)
        if len(lines) > SAMPLE_ROWS:
            break
    return (lines[0] if lines else ""), lines[1:]


def _delimiter(header: str) -> str:
    """The delimiter splitting the header line into the most columns (comma on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def _parse(header: str, rows: list[str], delimiter: str) -> list[list[str]]:
    parsed: list[list[str]] = []
    try:
        for record in csv.reader([header, *rows], delimiter=delimiter, quotechar='"'):
            parsed.append(record)
    except csv.Error:
        pass  # the sample ends inside a quoted value: keep the rows before it
    return parsed


def _uses_decimal_comma(parsed: list[list[str]], schema: dict[str, Any] | None) -> bool:
    if not schema:
        return False
    numbers = {field["name"] for field in schema["fields"] if field["type"] == "number"}
    columns = [index for index, label in enumerate(parsed[0]) if label.strip() in numbers]
    return any(
        _DECIMAL_COMMA.match(row[index])
        for row in parsed[1:]
        for index in columns
        if index < len(row)
    )


def reading_schema(descriptor: dict[str, Any], fmt: CsvFormat) -> frictionless.Schema:
    """The schema frictionless reads the file with.

    Keys (``primaryKey``, ``unique``) are dropped: frictionless keeps every key value of the
    file in memory, so ``checks.TableRules`` checks them instead with a hash per row. Key
    columns stay required. Dutch Excel conventions are added when ``fmt`` allows them.
    """
    primary_key = set(_primary_key(descriptor))
    descriptor = copy.deepcopy(descriptor)
    descriptor.pop("primaryKey", None)
    for field in descriptor["fields"]:
        constraints = field.setdefault("constraints", {})
        constraints.pop("unique", None)
        if field["name"] in primary_key:
            constraints["required"] = True
        if field["type"] == "number" and fmt.decimal_comma:
            field["decimalChar"] = ","
        if field["type"] == "boolean" and fmt.excel_conventions:
            field["trueValues"] = EXCEL_TRUE
            field["falseValues"] = EXCEL_FALSE
    return frictionless.Schema.from_descriptor(descriptor)


def keys(descriptor: dict[str, Any]) -> list[tuple[str, ...]]:
    """The keys of a table schema: its primary key, then every ``unique`` column."""
    found: list[tuple[str, ...]] = []
    if _primary_key(descriptor):
        found.append(tuple(_primary_key(descriptor)))
    for field in descriptor["fields"]:
        if field.get("constraints", {}).get("unique") and (field["name"],) not in found:
            found.append((field["name"],))
    return found


def _primary_key(descriptor: dict[str, Any]) -> list[str]:
    primary_key = descriptor.get("primaryKey", [])
    return [primary_key] if isinstance(primary_key, str) else list(primary_key)


def open_table(
    stream: BinaryIO, descriptor: dict[str, Any], fmt: CsvFormat
) -> TableResource:
    """A frictionless resource reading ``stream`` as ``fmt`` says, not as it would guess."""
    control = CsvControl(
        delimiter=fmt.delimiter, quote_char='"', double_quote=True, skip_initial_space=False
    )
    return TableResource(
        source=stream,
        format="csv",
        encoding=fmt.encoding,
        schema=reading_schema(descriptor, fmt),
        dialect=frictionless.Dialect(header_rows=[1], controls=[control]),
    )
