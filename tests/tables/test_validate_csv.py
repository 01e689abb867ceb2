"""validate_csv: a clear report for every kind of upload, and never an exception."""
from __future__ import annotations

import json
import os
import random

import pytest
from table_samples import fixture_text

from ckanext.retailarea.tables import csvfile, schemas
from ckanext.retailarea.tables.validate import PROGRESS_EVERY, validate_csv

COUNTS_HEADER = "location_id,interval_start,interval,direction,mode,count,imputed\n"
COUNT = "GOU-01,2025-06-05T14:00:00+02:00,PT15M,in,pedestrian,312,false\n"
SHOPS_HEADER = fixture_text("shops").splitlines()[0] + "\n"
SHOP = (
    "GOU-9,Bakkerij,11.110.110,1071,sbi2025,12345678,0513010000000001,Markt,1,"
    "2801 JG,Gouda,52.0116,4.7105,85,false,,2025-01-01,\n"
)
REPORT_KEYS = {"valid", "schema", "rows", "error_count", "errors", "truncated", "encoding",
               "delimiter"}


def codes(report: dict) -> list[tuple[int | None, str | None, str]]:
    return [(error["row"], error["column"], error["code"]) for error in report["errors"]]


def check_shape(report: dict) -> None:
    """Every report has the same JSON-serialisable shape, whatever went wrong."""
    assert set(report) == REPORT_KEYS
    assert report["error_count"] == len(report["errors"])
    assert report["valid"] is (report["error_count"] == 0)
    for error in report["errors"]:
        assert set(error) == {"row", "column", "code", "message"}
        assert error["message"] and "Traceback" not in error["message"]
    json.dumps(report)


@pytest.mark.parametrize("name", schemas.names())
def test_sample_files_are_valid(name, write_file):
    report = validate_csv(write_file(fixture_text(name)), name)
    check_shape(report)
    assert report["errors"] == []
    assert report["valid"] is True
    assert report["rows"] == len(fixture_text(name).splitlines()) - 1
    assert (report["encoding"], report["delimiter"]) == ("utf-8", ",")


def test_columns_may_come_in_any_order(write_file):
    lines = [line.split(",") for line in (COUNTS_HEADER + COUNT).splitlines()]
    text = "\n".join(",".join(reversed(cells)) for cells in lines) + "\n"
    assert validate_csv(write_file(text), "footfall_counts")["valid"] is True


def test_byte_order_mark_and_crlf_line_ends(write_file):
    path = write_file("\ufeff" + (COUNTS_HEADER + COUNT).replace("\n", "\r\n"))
    report = validate_csv(path, "footfall_counts")
    assert report["valid"] is True
    assert report["encoding"] == "utf-8-sig"


# Semicolons and Windows-1252: what Dutch Excel's "CSV" export writes


def excel_export() -> str:
    return (
        SHOPS_HEADER.replace(",", ";")
        + "GOU-9;Café Één;11.110.110;0111;sbi2025;01234567;0513010000000001;Markt;1;2801 JG;"
        "Gouda;52,0116;4,7105;85,5;ONWAAR;\"Mo-Sa 09:00-18:00; Su 12:00-17:00\";2025-01-01;\n"
        "GOU-10;Leeg;00.100.100;;;;0513010000000002;Markt;3;2801 JG;Gouda;52,0117;4,7106;40;"
        "WAAR;;2025-01-01;\n"
    )


def test_dutch_excel_semicolon_export_is_accepted(write_file):
    report = validate_csv(write_file(excel_export(), encoding="cp1252"), "shops")
    check_shape(report)
    assert report["errors"] == []
    assert (report["encoding"], report["delimiter"]) == ("cp1252", ";")


def test_decimal_comma_file_must_use_it_throughout(write_file):
    text = excel_export().replace("4,7106", "4.7106")
    report = validate_csv(write_file(text), "shops")
    assert codes(report) == [(3, "lon", "type-error")]
    assert "decimal comma" in report["errors"][0]["message"]


def test_semicolon_file_with_decimal_dots(write_file):
    text = (COUNTS_HEADER + COUNT).replace(",", ";")
    assert validate_csv(write_file(text), "footfall_counts")["valid"] is True
    shops = SHOPS_HEADER.replace(",", ";") + SHOP.replace(",", ";")
    assert validate_csv(write_file(shops), "shops")["valid"] is True


def test_decimal_comma_in_a_comma_file_is_explained(write_file):
    report = validate_csv(write_file(SHOPS_HEADER + SHOP.replace("52.0116", '"52,0116"')),
                          "shops")
    assert codes(report) == [(2, "lat", "type-error")]
    assert "decimal dot, not a comma" in report["errors"][0]["message"]


def test_excel_booleans_only_in_semicolon_files(write_file):
    report = validate_csv(write_file(SHOPS_HEADER + SHOP.replace("false", "ONWAAR")), "shops")
    assert codes(report) == [(2, "is_vacant", "type-error")]


def test_tab_separated_file_is_accepted(write_file):
    text = (COUNTS_HEADER + COUNT).replace(",", "\t")
    report = validate_csv(write_file(text), "footfall_counts")
    assert report["valid"] is True
    assert report["delimiter"] == "\t"


def test_other_delimiters_give_one_clear_error(write_file):
    report = validate_csv(write_file((COUNTS_HEADER + COUNT).replace(",", "|")),
                          "footfall_counts")
    check_shape(report)
    assert codes(report) == [(1, None, "unmatched-header")]
    assert "location_id" in report["errors"][0]["message"]


# Encodings


def test_utf8_with_a_damaged_byte_points_at_the_line(write_file):
    data = (COUNTS_HEADER + COUNT.replace("GOU-01", "Zoë")).encode() + COUNT.encode()
    data += b"GOU-\xff1" + COUNT.encode()[6:]
    report = validate_csv(write_file(data), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(4, None, "encoding-error")]
    assert "CSV UTF-8" in report["errors"][0]["message"]


def test_utf8_after_a_windows_1252_byte_means_mixed_encodings(write_file):
    data = (COUNTS_HEADER + COUNT).encode() + "Caf\xe9".encode("cp1252") + COUNT.encode()[6:]
    data += ("Zoë" + COUNT[6:]).encode()
    report = validate_csv(write_file(data), "footfall_counts")
    assert codes(report) == [(3, None, "encoding-error")]


def test_bytes_windows_1252_cannot_hold_are_refused(write_file):
    report = validate_csv(write_file((COUNTS_HEADER + COUNT).encode() + b"\x81\x8d\n"),
                          "footfall_counts")
    assert codes(report) == [(3, None, "encoding-error")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_are_refused(write_file, encoding):
    report = validate_csv(write_file(COUNTS_HEADER + COUNT, encoding=encoding),
                          "footfall_counts")
    check_shape(report)
    assert [error["code"] for error in report["errors"]] == ["binary-file"]


# The header


def test_missing_column(write_file):
    text = (COUNTS_HEADER + COUNT).replace(",imputed", "").replace(",false", "")
    report = validate_csv(write_file(text), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(1, "imputed", "missing-label")]
    assert report["rows"] == 1


def test_extra_column(write_file):
    text = COUNTS_HEADER.replace("\n", ",remarks\n") + COUNT.replace("\n", ",rainy\n")
    report = validate_csv(write_file(text), "footfall_counts")
    assert codes(report) == [(1, "remarks", "extra-label")]


def test_misspelt_column_gets_a_suggestion(write_file):
    text = COUNTS_HEADER.replace("interval_start", "interval_strat") + COUNT
    report = validate_csv(write_file(text), "footfall_counts")
    assert sorted(codes(report)) == [
        (1, "interval_start", "missing-label"), (1, "interval_strat", "extra-label")]
    extra = next(e for e in report["errors"] if e["code"] == "extra-label")
    assert 'Did you mean "interval_start"?' in extra["message"]


def test_duplicate_column(write_file):
    text = COUNTS_HEADER.replace("\n", ",count\n") + COUNT.replace("\n", ",1\n")
    report = validate_csv(write_file(text), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(1, "count", "duplicate-label")]


def test_unnamed_columns_from_a_spreadsheet(write_file):
    text = COUNTS_HEADER.replace("\n", ",,\n") + COUNT.replace("\n", ",,\n")
    report = validate_csv(write_file(text), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(1, None, "blank-label"), (1, None, "blank-label")]
    assert "Column 8 has no name" in report["errors"][0]["message"]


def test_header_only(write_file):
    report = validate_csv(write_file(COUNTS_HEADER), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(None, None, "no-rows")]
    assert report["rows"] == 0


@pytest.mark.parametrize("content", ["\n", "\n\n\n", "   \n", ",,,\n"])
def test_blank_first_row(write_file, content):
    report = validate_csv(write_file(content + COUNT), "footfall_counts")
    check_shape(report)
    assert report["valid"] is False
    assert report["errors"][0]["row"] == 1


# Cells


@pytest.mark.parametrize(
    ("find", "replace", "column", "code", "words"),
    [
        ("2025-06-05T14:00:00+02:00", "05-06-2025 14:00", "interval_start", "type-error",
         "YYYY-MM-DD"),
        ("2025-06-05T14:00:00+02:00", "2025-06-05T14:00:00", "interval_start", "missing-offset",
         "+02:00"),
        ("2025-06-05T14:00:00+02:00", "", "interval_start", "constraint-error", "required"),
        ("PT15M", "15 min", "interval", "constraint-error", "ISO 8601 duration"),
        (",in,", ",up,", "direction", "constraint-error", "in, out, both"),
        (",312,", ",-3,", "count", "constraint-error", "minimum of 0"),
        (",312,", ",3.5,", "count", "type-error", "whole number"),
        (",false", ",nee", "imputed", "type-error", "true or false"),
    ],
)
def test_bad_cells(write_file, find, replace, column, code, words):
    text = COUNTS_HEADER + COUNT + COUNT.replace(find, replace).replace(",in,", ",out,", 1)
    if code == "constraint-error" and column == "direction":
        text = COUNTS_HEADER + COUNT + COUNT.replace(find, replace)
    report = validate_csv(write_file(text), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(3, column, code)]
    assert words in report["errors"][0]["message"]


@pytest.mark.parametrize(
    ("find", "replace", "column", "code", "words"),
    [
        ("0513010000000001", "513010000000001", "bag_vbo_id", "constraint-error", "16 digits"),
        ("12345678", "1234567", "kvk_number", "constraint-error", "exactly 8 digits"),
        ("2801 JG", "2801 jg", "postcode", "constraint-error", "Dutch postcode"),
        ("11.110.110", "11110110", "locatus_branch_code", "constraint-error", "22.110.110"),
        ("52.0116", "152.0116", "lat", "constraint-error", "maximum of 90"),
        ("85", "NaN", "floor_area_m2", "constraint-error", "is not a number"),
        ("85", "-Infinity", "floor_area_m2", "constraint-error", "is not a number"),
        ("85", "Infinity", "floor_area_m2", "type-error", "is not a number"),
        ("2025-01-01", "1-1-2025", "valid_from", "type-error", "YYYY-MM-DD"),
        ("sbi2025", "sbi2026", "sbi_scheme", "constraint-error", "sbi2008, sbi2025"),
    ],
)
def test_bad_shop_cells(write_file, find, replace, column, code, words):
    report = validate_csv(write_file(SHOPS_HEADER + SHOP.replace(find, replace, 1)), "shops")
    assert codes(report) == [(2, column, code)]
    assert words in report["errors"][0]["message"]


def test_bad_event_url(write_file):
    text = fixture_text("events").replace("https://tickets.example.org/koopavond", "tickets")
    report = validate_csv(write_file(text), "events")
    assert codes(report) == [(3, "booking_url", "type-error")]
    assert "web address" in report["errors"][0]["message"]


def test_missing_and_extra_cells(write_file):
    text = COUNTS_HEADER + COUNT.replace(",false", "") + COUNT.replace(",in,", ",out,").replace(
        "\n", ",x\n")
    report = validate_csv(write_file(text), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(2, "imputed", "missing-cell"), (3, None, "extra-cell")]


def test_blank_row(write_file):
    report = validate_csv(write_file(COUNTS_HEADER + COUNT + ",,,,,,\n"), "footfall_counts")
    assert codes(report) == [(3, None, "blank-row")]


def test_long_values_are_shortened_in_messages(write_file):
    text = COUNTS_HEADER + COUNT.replace("PT15M", "P" * 5000)
    message = validate_csv(write_file(text), "footfall_counts")["errors"][0]["message"]
    assert len(message) < 400


# Keys


def test_repeated_primary_key(write_file):
    same_instant = COUNT.replace("2025-06-05T14:00:00+02:00", "2025-06-05T12:00:00Z")
    report = validate_csv(write_file(COUNTS_HEADER + COUNT + COUNT.replace("in,", "out,")
                                     + same_instant), "footfall_counts")
    check_shape(report)
    assert codes(report) == [(4, None, "primary-key")]
    assert "as row 2" in report["errors"][0]["message"]
    assert "location_id, interval_start, direction, mode" in report["errors"][0]["message"]


def test_repeated_unique_value(write_file):
    text = fixture_text("shops").replace("GOU-000002", "GOU-000001")
    report = validate_csv(write_file(text), "shops")
    assert codes(report) == [(3, None, "primary-key")]
    locations = fixture_text("footfall_locations").replace("GOU-02", "GOU-01")
    report = validate_csv(write_file(locations), "footfall_locations")
    assert codes(report) == [(3, None, "primary-key")]


def test_a_value_with_line_breaks_counts_as_one_row(write_file):
    repeated = fixture_text("events").splitlines()[2] + "\n"  # EV-002, in spreadsheet row 3
    text = fixture_text("events").replace(
        "Shops stay open until nine.", '"Shops\nstay\nopen until nine."') + repeated
    report = validate_csv(write_file(text), "events")
    assert codes(report) == [(4, None, "primary-key")]
    assert "as row 3" in report["errors"][0]["message"]


# The file as a whole


def test_empty_file(write_file):
    report = validate_csv(write_file(b""), "shops")
    check_shape(report)
    assert codes(report) == [(None, None, "empty-file")]


def test_file_over_the_limit_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as stream:
        stream.truncate(5 * 1024**3)  # sparse: 5 GB that take no disk space

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(csvfile, "open", no_reading, raising=False)
    report = validate_csv(path, "footfall_counts", max_bytes=100 * 1024 * 1024)
    check_shape(report)
    assert codes(report) == [(None, None, "file-too-large")]
    assert "5368.7 MB" in report["errors"][0]["message"]


def test_missing_file_and_directory(tmp_path):
    assert codes(validate_csv(tmp_path / "gone.csv", "shops")) == [
        (None, None, "file-not-found")]
    assert codes(validate_csv(tmp_path, "shops")) == [(None, None, "file-not-found")]


def test_unknown_schema(write_file):
    report = validate_csv(write_file(COUNTS_HEADER + COUNT), "visitors")
    check_shape(report)
    assert codes(report) == [(None, None, "unknown-schema")]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "Excel"),
        (b"%PDF-1.7\n" + bytes(200), "PDF"),
        (b"\x1f\x8b\x08\x00" + bytes(20), "gzip"),
        (COUNTS_HEADER.encode() + bytes(range(256)) * 4, "NUL"),
    ],
)
def test_binary_files(write_file, content, words):
    report = validate_csv(write_file(content), "footfall_counts")
    check_shape(report)
    assert [error["code"] for error in report["errors"]] == ["binary-file"]
    assert words in report["errors"][0]["message"]


def test_csv_bomb_of_one_huge_line(write_file):
    bomb = write_file(COUNTS_HEADER + "x" * (5 * 1024 * 1024))
    report = validate_csv(bomb, "footfall_counts")
    check_shape(report)
    assert codes(report) == [(2, None, "line-too-long")]
    no_newline = write_file("a," * (3 * 1024 * 1024))
    assert codes(validate_csv(no_newline, "shops")) == [(1, None, "line-too-long")]


def test_unterminated_quote_does_not_break_validation(write_file):
    text = COUNTS_HEADER + COUNT + 'GOU-01,"2025-06-05T14:00:00+02:00,PT15M\n' + COUNT * 50
    report = validate_csv(write_file(text), "footfall_counts")
    check_shape(report)
    assert report["valid"] is False


def test_random_bytes_never_raise(write_file):
    generator = random.Random(20251128)
    for _ in range(40):
        size = generator.choice([1, 7, 100, 5000])
        content = bytes(generator.randrange(256) for _ in range(size))
        check_shape(validate_csv(write_file(content), generator.choice(schemas.names())))


def test_random_text_never_raises(write_file):
    generator = random.Random(7)
    alphabet = 'ab,;"\n\r\t 0123456789.:-+TZé'
    header = COUNTS_HEADER
    for _ in range(60):
        body = "".join(generator.choice(alphabet) for _ in range(generator.randrange(400)))
        check_shape(validate_csv(write_file(header + body), "footfall_counts"))


# Limits and progress


def test_errors_stop_at_max_errors(write_file):
    text = COUNTS_HEADER + COUNT.replace("312", "many") * 50
    report = validate_csv(write_file(text), "footfall_counts", max_errors=10)
    check_shape(report)
    assert report["truncated"] is True
    assert report["error_count"] == 10
    full = validate_csv(write_file(text), "footfall_counts")
    assert full["truncated"] is False
    assert full["error_count"] == 50 + 49  # a bad count per row, and repeated keys


def test_large_file_is_streamed_with_progress(write_file):
    rows = 50_000
    lines = [COUNTS_HEADER]
    for number in range(rows):
        minutes = number // 4 * 15
        day, minute = divmod(minutes, 24 * 60)
        direction = ("in", "out", "both", "in")[number % 4]
        mode = "cyclist" if number % 4 == 3 else "pedestrian"
        lines.append(
            f"GOU-01,2025-{1 + day // 28:02d}-{1 + day % 28:02d}T{minute // 60:02d}:"
            f"{minute % 60:02d}:00+01:00,PT15M,{direction},{mode},{number % 700},false\n"
        )
    path = write_file("".join(lines))
    seen: list[int] = []
    report = validate_csv(path, "footfall_counts", on_progress=seen.append)
    assert report["errors"] == []
    assert report["rows"] == rows
    # called while reading, not only at the end: the rows are streamed, not loaded first
    assert seen == [*range(PROGRESS_EVERY, rows + 1, PROGRESS_EVERY), rows]
    assert os.path.getsize(path) > 3_000_000


def test_an_exception_from_the_progress_callback_passes_through(write_file):
    class Cancelled(Exception):
        pass

    def cancel(rows: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        validate_csv(write_file(COUNTS_HEADER + COUNT), "footfall_counts", on_progress=cancel)
