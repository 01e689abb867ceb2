"""Build .xlsx (openpyxl) and .ods (the OpenDocument XML, by hand) workbooks for tests."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import openpyxl

# A cell: a plain value, or (value, number_format) for .xlsx, or (value, shown) for .ods.
Rows = list[list[Any]]


def xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row, start=1):
                value, number_format = cell if isinstance(cell, tuple) else (cell, None)
                target = sheet.cell(row=r, column=c, value=value)
                if number_format:
                    target.number_format = number_format
    book.save(path)
    return path


def ods(path: Path, sheets: dict[str, Rows], padding_rows: int = 1048000) -> Path:
    """Like LibreOffice, each sheet ends with ``padding_rows`` declared empty rows."""
    tables = "".join(_table(name, rows, padding_rows) for name, rows in sheets.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return path


def _table(name: str, rows: Rows, padding_rows: int) -> str:
    body = "".join("<table:table-row>" + "".join(map(_cell, row)) + "</table:table-row>"
                   for row in rows)
    padding = (f'<table:table-row table:number-rows-repeated="{padding_rows}">'
               '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    return f"<table:table table:name={quoteattr(name)}>{body}{padding}</table:table>"


def _cell(cell: Any) -> str:
    value, shown = cell if isinstance(cell, tuple) else (cell, None)
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        attrs = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
    elif isinstance(value, int | float):
        attrs = f'office:value-type="float" office:value="{value!r}"'
    elif isinstance(value, dt.date):
        attrs = f'office:value-type="date" office:date-value="{value.isoformat()}"'
    else:
        attrs = 'office:value-type="string"'
    text = escape(str(value if shown is None else shown))
    return f"<table:table-cell {attrs}><text:p>{text}</text:p></table:table-cell>"
