"""The one reader of uploaded tables (portal/spreadsheets.py): sniffing, encodings, limits,
formula cells, rows keeping their numbers; and that every import reads through it."""

import datetime
import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.worksheet.formula import ArrayFormula

from portal.spreadsheets import (
    EMPTY_TABLE,
    MOST_ROWS_ANYWHERE,
    NOT_UTF8,
    UNREADABLE_WORKBOOK,
    WRONG_TYPE,
    Refusal,
    TableLimits,
    TableRefused,
    cell_text,
    read_csv_rows,
    read_rows,
    read_table,
    read_upload,
    read_workbook_rows,
)

LIMITS = TableLimits(
    max_bytes=64 * 1024, max_rows=5, max_columns=4, max_unzipped_bytes=10 * 1024 * 1024
)
ROOT = Path(__file__).resolve().parents[2]


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, change) -> bytes:
    """DATA with the first sheet's XML changed by CHANGE (a function of bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(item, content)
    return buffer.getvalue()


def refusal(data, name="t.csv", limits=LIMITS) -> TableRefused:
    with pytest.raises(TableRefused) as refused:
        read_rows(data, name, limits=limits)
    return refused.value


# The type: by name, then checked by the content ------------------------------------------------


@pytest.mark.parametrize("name", ["t.txt", "t.xls", "t", "", None])
def test_a_name_other_than_csv_or_xlsx_is_refused_with_what_to_upload(name):
    refused = refusal(b"a,b\n", name)
    assert (refused.reason, refused.message) == (Refusal.WRONG_TYPE, WRONG_TYPE)


def test_the_caller_says_what_to_upload_instead():
    limits = TableLimits(max_bytes=100, max_rows=5, max_columns=4, wrong_type="Upload numbers.")
    assert refusal(b"a", "t.txt", limits).message == "Upload numbers."
    assert (
        refusal(b"PK\x03\x04", "t.csv", limits).message == "This is not a CSV file. Upload numbers."
    )


@pytest.mark.parametrize(
    "data",
    [
        workbook(["a"]),  # a workbook named .csv
        b"%PDF-1.7 a document",
        b"\xd0\xcf\x11\xe0 an old Excel file",
        b"a,b\n1,\x00\n",
    ],
)
def test_binary_content_named_csv_is_refused(data):
    refused = refusal(data)
    assert refused.reason == Refusal.NOT_CSV
    assert refused.message == f"This is not a CSV file. {WRONG_TYPE}"


@pytest.mark.parametrize("data", [b"a,b\n", b"PK\x03\x04 not really a zip", b""])
def test_content_that_is_not_a_workbook_named_xlsx_is_refused(data):
    refused = refusal(data, "t.xlsx")
    assert refused.reason == Refusal.NOT_A_WORKBOOK
    assert refused.message == f"This is not an Excel workbook. {WRONG_TYPE}"


def test_a_workbook_whose_sheet_is_damaged_is_refused_in_words():
    damaged = with_sheet_xml(
        workbook(["a"], ["b"]), lambda xml: xml.replace(b"</sheetData>", b"<row r=")
    )
    refused = refusal(damaged, "t.xlsx")
    assert (refused.reason, refused.message) == (
        Refusal.UNREADABLE_WORKBOOK,
        UNREADABLE_WORKBOOK,
    )


# CSV text --------------------------------------------------------------------------------------


def test_a_byte_order_mark_is_allowed_and_dropped():
    assert read_rows("\ufeffitem,answer\nQ1,A\n".encode(), "t.csv", limits=LIMITS) == [
        ["item", "answer"],
        ["Q1", "A"],
    ]


def test_text_not_in_utf8_is_refused_with_the_first_bad_byte():
    refused = refusal("item\nQ1é\n".encode("latin-1"))
    assert (refused.reason, refused.message, refused.offset) == (Refusal.NOT_UTF8, NOT_UTF8, 7)


@pytest.mark.parametrize(
    ("text", "row"),
    [('a,b\n1,"2"x\n', 2), ('a,"b\n', 1), ('"' + "7" * 140_000 + '"\n', 1)],
)
def test_bad_quoting_is_refused_not_guessed(text, row):
    limits = TableLimits(max_bytes=1024 * 1024, max_rows=5, max_columns=4)
    refused = refusal(text.encode(), limits=limits)
    assert refused.reason == Refusal.BAD_CSV
    assert refused.message.startswith("The CSV file could not be read: ")
    assert refused.row == row and refused.detail


def test_text_already_decoded_is_read_as_it_is():
    assert read_csv_rows("a,b\n1,2\n", limits=LIMITS) == [["a", "b"], ["1", "2"]]


# Rows keep their numbers -----------------------------------------------------------------------


def test_blank_rows_between_are_kept_empty_and_blank_rows_at_the_end_dropped():
    text = "\na,b\n , \n1,2\n,,\n\n"
    assert read_rows(text.encode(), "t.csv", limits=LIMITS) == [[], ["a", "b"], [], ["1", "2"]]


def test_a_blank_file_has_no_rows():
    assert read_rows(b" \n,,\n", "t.csv", limits=LIMITS) == []


def test_csv_rows_keep_every_cell_as_written():
    assert read_rows(b"a,b,,\n", "t.csv", limits=LIMITS) == [["a", "b", "", ""]]


# Limits -----------------------------------------------------------------------------------------


def test_the_size_limit_is_checked_before_anything_is_read():
    limits = TableLimits(max_bytes=2048, max_rows=5, max_columns=4, max_unzipped_bytes=10**7)
    for name in ("t.csv", "t.xlsx", "t.txt"):
        refused = refusal(b"x" * 2049, name, limits)
        assert (refused.reason, refused.message) == (
            Refusal.TOO_BIG,
            "The file must be smaller than 2 KB.",
        )


@pytest.mark.parametrize(
    ("max_bytes", "words"), [(512 * 1024, "512 KB"), (1024 * 1024, "1 MB"), (8 << 20, "8 MB")]
)
def test_the_size_is_said_in_kilobytes_or_megabytes(max_bytes, words):
    limits = TableLimits(max_bytes=max_bytes, max_rows=5, max_columns=4)
    assert limits.too_big().message == f"The file must be smaller than {words}."


def test_an_upload_over_the_limit_is_refused_unread():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(TableRefused, match="smaller than 64 KB"):
        read_upload(Unreadable("t.csv", b"x" * (64 * 1024 + 1)), limits=LIMITS)
    assert read_upload(SimpleUploadedFile("t.csv", b"a,b\n"), limits=LIMITS) == b"a,b\n"


@pytest.mark.parametrize("build", ["csv", "xlsx"])
def test_rows_over_the_limit_are_refused_counting_blank_rows_between(build):
    header, five = ["a"], [[str(n)] for n in range(5)]
    fits = [header, *five, [None], [None]]  # blank rows at the end do not count
    over = [header, *five[:4], [None], ["5"]]  # the blank row between does
    for rows, refused in ((fits, False), (over, True)):
        data = (
            workbook(*rows)
            if build == "xlsx"
            else "\n".join(",".join(c or "" for c in row) for row in rows).encode()
        )
        if refused:
            error = refusal(data, f"t.{build}")
            assert error.reason == Refusal.TOO_MANY_ROWS
            assert error.message == "The file has more than 5 rows. Split it into smaller files."
        else:
            assert len(read_rows(data, f"t.{build}", limits=LIMITS)) == 6


@pytest.mark.parametrize("build", ["csv", "xlsx"])
def test_rows_wider_than_the_limit_are_refused_with_their_row(build):
    rows = [["a", "b"], ["1", "2", "3", "4", "5"]]
    data = workbook(*rows) if build == "xlsx" else b"a,b\n1,2,3,4,5\n"
    refused = refusal(data, f"t.{build}")
    assert (refused.reason, refused.row) == (Refusal.TOO_MANY_COLUMNS, 2)
    assert refused.message == "The file has more than 4 columns."
    # Empty cells at the end of a row are no columns.
    assert read_rows(b"a,b,,,,,,,\n", "t.csv", limits=LIMITS) == [["a", "b", *[""] * 7]]


def test_a_file_numbering_its_rows_beyond_any_spreadsheet_is_not_read_on():
    limits = TableLimits(max_bytes=10**8, max_rows=10**7, max_columns=4)
    with pytest.raises(TableRefused) as refused:
        read_csv_rows("\n" * MOST_ROWS_ANYWHERE + "a\n", limits=limits)
    assert refused.value.reason == Refusal.TOO_MANY_ROWS


def test_a_workbook_claiming_a_million_rows_and_columns_is_read_as_it_is():
    claiming = with_sheet_xml(
        workbook(["a", "b"], [1, 2]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    started = time.monotonic()
    assert read_rows(claiming, "t.xlsx", limits=LIMITS) == [["a", "b"], [1, 2]]
    assert time.monotonic() - started < 5


# Workbook cells ---------------------------------------------------------------------------------


def test_a_formula_is_read_as_its_text_never_its_value():
    book = openpyxl.Workbook()
    book.active.append(["=1+1", '=HYPERLINK("http://evil.example")'])
    book.active["A2"] = ArrayFormula("A2:A2", "=SUM(A1:B1)")
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_rows(buffer.getvalue(), "t.xlsx", limits=LIMITS)
    assert rows == [["=1+1", '=HYPERLINK("http://evil.example")'], ["=SUM(A1:B1)"]]


def test_workbook_cells_keep_their_type_and_empty_cells_at_the_end_go():
    day = datetime.datetime(2027, 3, 1, 9, 30)
    data = workbook([7012345, 2.0, 1.5, True, day, "x", None, None])
    assert read_rows(data, "t.xlsx", limits=TableLimits(10**6, 5, 10, 10**7)) == [
        [7012345, 2, 1.5, "TRUE", "2027-03-01 09:30:00", "x"]
    ]


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), ("x", "x"), (42, "42"), (1.5, "1.5"), ("TRUE", "TRUE")]
)
def test_cell_text(value, text):
    assert cell_text(value) == text


# Tables: the first row names the columns --------------------------------------------------------


def test_a_table_has_lower_cased_names_and_rows_cut_or_padded_to_them():
    data = workbook([" Item ", "ANSWER", None], ["Q1"], ["Q2", "B", None, " "])
    table = read_table(data, "t.xlsx", limits=LIMITS)
    assert table.headers == ["item", "answer"]
    assert table[:] == [("Q1", None), ("Q2", "B")]
    as_text = read_table(data, "t.xlsx", limits=LIMITS, as_text=True)
    assert as_text[:] == [("Q1", ""), ("Q2", "B")]


def test_a_table_with_something_beyond_its_named_columns_is_refused():
    with pytest.raises(TableRefused) as refused:
        read_table(b"item,answer\nQ1,A\nQ2,B,extra\n", "t.csv", limits=LIMITS)
    assert refused.value.reason == Refusal.EXTRA_CELLS
    assert refused.value.message == "Row 3 has more cells than the first row has column names."


@pytest.mark.parametrize("data", [b"", b"\n\n", b",,\n \n"])
def test_an_empty_table_is_refused(data):
    with pytest.raises(TableRefused) as refused:
        read_table(data, "t.csv", limits=LIMITS)
    assert (refused.value.reason, refused.value.message) == (Refusal.EMPTY, EMPTY_TABLE)


def test_a_workbook_needs_an_unzipped_limit():
    with pytest.raises(TableRefused, match="far larger inside"):
        read_workbook_rows(workbook(["a"]), limits=TableLimits(10**6, 5, 4))


# One reader --------------------------------------------------------------------------------------

READERS = [
    "credentials/bulk_files.py",
    "exams/psychometrics/io.py",
    "exams/services/imports.py",
    "exams/services/judgements.py",
    "exams/spreadsheets.py",
    "portfolio/frameworks_files.py",
    "portfolio/frameworks_io.py",
    "portfolio/frameworks_rows.py",
]


@pytest.mark.parametrize("module", READERS)
def test_every_import_reads_through_the_one_reader(module):
    source = (ROOT / module).read_text()
    for own_reading in ("csv.reader(", "load_workbook(", "untrusted_first_sheet(", "._data"):
        assert own_reading not in source, f"{module} reads tables itself ({own_reading})"
