"""Every import opens an uploaded workbook the same safe way (portal/spreadsheets.py)."""

import io
import zipfile

import openpyxl
import pytest

from portal.spreadsheets import (
    NOT_A_WORKBOOK,
    TOO_LARGE_INSIDE,
    WorkbookRefused,
    untrusted_first_sheet,
)


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def open_and_close(data: bytes, **limits) -> None:
    with untrusted_first_sheet(data, **limits):
        pass


def test_a_formula_is_read_as_its_text_never_its_value():
    data = workbook(["7012345", '=HYPERLINK("http://evil.example")'])
    with untrusted_first_sheet(data, max_unzipped_bytes=10_000_000) as sheet:
        cells = [cell.value for cell in next(sheet.iter_rows())]
    assert cells == ["7012345", '=HYPERLINK("http://evil.example")']


@pytest.mark.parametrize("data", [b"number\n7012345\n", b"PK\x03\x04 not really a zip", b""])
def test_a_file_that_is_not_a_workbook_is_refused(data):
    with pytest.raises(WorkbookRefused) as refused:
        open_and_close(data, max_unzipped_bytes=10_000_000)
    assert refused.value.message == NOT_A_WORKBOOK


def test_a_zip_bomb_is_refused_before_it_is_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)  # ~5 KB compressed
    with pytest.raises(WorkbookRefused) as refused:
        open_and_close(buffer.getvalue(), max_unzipped_bytes=1_000_000)
    assert refused.value.message == TOO_LARGE_INSIDE


def test_a_zip_of_too_many_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(201):
            archive.writestr(f"part{n}.xml", b"x")
    with pytest.raises(WorkbookRefused, match="far larger inside"):
        open_and_close(buffer.getvalue(), max_unzipped_bytes=10_000_000)
