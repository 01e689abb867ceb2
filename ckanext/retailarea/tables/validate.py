"""Validate an uploaded CSV file against one of our table schemas.

``validate_csv`` never raises on bad input: whatever the file holds, it returns a report
(only an exception raised by the ``on_progress`` callback, e.g. to cancel the job, passes
through). The report is JSON-serialisable::

    {
      "valid": false,
      "schema": "footfall_counts",
      "rows": 2,                 # data rows read (all of them, unless truncated)
      "error_count": 1,          # == len(errors)
      "errors": [
        {"row": 3, "column": "count", "code": "type-error",
         "message": 'The value "12x" in column "count" is not a whole number (e.g. 312).'}
      ],
      "truncated": false,        # true: stopped after max_errors errors, rows is partial
      "encoding": "utf-8",       # how the file was read (None if it could not be)
      "delimiter": ","
    }

``row`` counts as a spreadsheet does: the header is row 1, the first data row is row 2 (a
value with line breaks inside quotes still counts as one row). It is ``None`` for problems
with the file as a whole. ``code`` is the frictionless error type (``type-error``,
``constraint-error``, ``missing-label``, ``extra-label``, ``missing-cell``, ``extra-cell``,
``blank-row``, ``unique-error``, ``primary-key``, ...) or one of ours: ``missing-offset``,
``no-rows``, ``blank-label``, ``duplicate-label``, ``unmatched-header``, ``unknown-schema`` and the
``csvfile.CsvProblem`` codes (``empty-file``, ``file-too-large``, ``binary-file``,
``line-too-long``, ``encoding-error``, ``blank-header``, ``file-not-found``).
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import frictionless

from ckanext.retailarea.tables import csvfile, messages, schemas, spreadsheet
from ckanext.retailarea.tables.checks import TableRules
from ckanext.retailarea.tables.csvfile import DEFAULT_MAX_BYTES, CsvFormat, CsvProblem

log = logging.getLogger(__name__)

PROGRESS_EVERY = 1000

ProgressCallback = Callable[[int], None]


class _CallbackFailed(Exception):
    """Carries an exception of the caller's ``on_progress`` through frictionless."""


def validate_csv(
    path: str | os.PathLike[str],
    schema_name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_errors: int = 1000,
    on_progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Check the CSV file at ``path`` against the table schema ``schema_name``.

    :param max_bytes: larger files are refused from their size, without being read
    :param max_errors: stop after this many errors (at least 1) and set ``truncated``
    :param on_progress: called with the number of data rows read every ``PROGRESS_EVERY``
        rows, and once at the end
    :returns: the report described in this module's docstring
    """
    report = _report(schema_name)
    try:
        descriptor = schemas.load(schema_name)
    except KeyError:
        message = f'There is no table schema "{schema_name}".'
        return _finish(report, [messages.entry("unknown-schema", message)])
    try:
        fmt = csvfile.inspect(path, max_bytes=max_bytes, schema=descriptor)
    except CsvProblem as problem:
        return _finish(report, [messages.entry(problem.code, problem.message, row=problem.row)])
    report["encoding"], report["delimiter"] = fmt.encoding, fmt.delimiter
    header_errors = _header_errors(fmt.header, descriptor)
    if header_errors:
        return _finish(report, header_errors)
    try:
        return _finish(report, *_read(path, descriptor, fmt, max(1, max_errors), on_progress))
    except _CallbackFailed as failed:
        raise failed.__cause__ or failed from None
    except Exception:  # a bad file must give a report, never a failed job
        log.exception("validating %s against %s failed", path, schema_name)
        message = "The file cannot be read as a CSV table."
        return _finish(report, [messages.entry("source-error", message)])


def validate_sheet(
    path: str | os.PathLike[str],
    kind: str,
    schema_name: str,
    csv_path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    **options: Any,
) -> dict[str, Any]:
    """Check sheet ``sheet`` (default: the first) of the ``kind`` (``xlsx``/``ods``) workbook
    at ``path`` against ``schema_name``, as ``validate_csv`` checks a CSV.

    The sheet is written to ``csv_path`` first (``spreadsheet.to_csv``), which is the file to
    load when the report is valid. The report and each of its errors carry ``sheet``.
    """
    report = _report(schema_name)
    try:
        csvfile.check_size(path, max_bytes)
        name = spreadsheet.to_csv(path, csv_path, kind, schemas.load(schema_name), sheet,
                                  max_bytes)
    except KeyError:
        message = f'There is no table schema "{schema_name}".'
        return _on_sheet(_finish(report, [messages.entry("unknown-schema", message)]), sheet)
    except CsvProblem as problem:
        error = messages.entry(problem.code, problem.message, row=problem.row)
        return _on_sheet(_finish(report, [error]), sheet)
    report = validate_csv(csv_path, schema_name, max_bytes=max_bytes, **options)
    return _on_sheet(report, name)


def _on_sheet(report: dict[str, Any], sheet: str | None) -> dict[str, Any]:
    report["sheet"] = sheet
    for error in report["errors"]:
        error["sheet"] = sheet
    return report


def _report(schema_name: str) -> dict[str, Any]:
    return {
        "valid": False,
        "schema": schema_name,
        "rows": 0,
        "error_count": 0,
        "errors": [],
        "truncated": False,
        "encoding": None,
        "delimiter": None,
    }


def _finish(
    report: dict[str, Any], errors: list[dict[str, Any]], rows: int = 0, truncated: bool = False
) -> dict[str, Any]:
    report.update(
        valid=not errors, rows=rows, error_count=len(errors), errors=errors, truncated=truncated
    )
    return report


def _header_errors(header: list[str], descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Header problems that keep frictionless from pairing columns with fields by name
    (missing and extra columns it reports itself, together with the rows)."""
    errors = [
        messages.entry(
            "blank-label",
            f"Column {number} has no name in the first row. Name it or remove the column.",
            row=messages.HEADER_ROW,
        )
        for number, label in enumerate(header, start=1)
        if not label.strip()
    ]
    errors += [
        messages.entry(
            "duplicate-label",
            f'The column "{label}" appears more than once in the first row.',
            row=messages.HEADER_ROW,
            column=label,
        )
        for label, count in Counter(header).items()
        if count > 1 and label.strip()
    ]
    if errors:
        return errors
    columns = [field["name"] for field in descriptor["fields"]]
    if not set(header) & set(columns):
        message = (
            "None of the expected columns is in the first row. The first row must name the "
            "columns, separated by commas or semicolons. Expected: " + ", ".join(columns) + "."
        )
        return [messages.entry("unmatched-header", message, row=messages.HEADER_ROW)]
    return []


def _read(
    path: str | os.PathLike[str],
    descriptor: dict[str, Any],
    fmt: CsvFormat,
    max_errors: int,
    on_progress: ProgressCallback | None,
) -> tuple[list[dict[str, Any]], int, bool]:
    """Let frictionless read every row; returns (errors, rows read, truncated)."""
    rules = TableRules(keys=csvfile.keys(descriptor), primary_key="primaryKey" in descriptor)
    progress = _Progress(on_progress)
    with open(path, "rb") as stream:
        resource = csvfile.open_table(stream, descriptor, fmt)
        result = resource.validate(
            frictionless.Checklist(checks=[rules]), on_row=progress, limit_errors=max_errors
        )
    progress.done()
    task = result.tasks[0]
    errors = [messages.from_frictionless(error, descriptor, fmt) for error in task.errors]
    truncated = any(warning.startswith("reached error limit") for warning in task.warnings)
    if progress.rows == 0 and not errors:
        message = "The file has a header but no data rows."
        errors.append(messages.entry("no-rows", message))
    return errors, progress.rows, truncated


class _Progress:
    """The ``on_row`` callback of frictionless: counts rows, reports every PROGRESS_EVERY."""

    def __init__(self, on_progress: ProgressCallback | None) -> None:
        self.on_progress = on_progress
        self.rows = 0

    def __call__(self, row: frictionless.Row) -> None:
        self.rows += 1
        if self.rows % PROGRESS_EVERY == 0:
            self._report()

    def done(self) -> None:
        self._report()

    def _report(self) -> None:
        if self.on_progress is None:
            return
        try:
            self.on_progress(self.rows)
        except Exception as exception:
            raise _CallbackFailed() from exception
