"""Bulk verification files: reading the uploaded CSV or XLSX, writing the results as both.

The upload is held in memory only (never written to disk) and read by the portal's one reader
(portal.spreadsheets): refused, with a message saying why, if it is too big, not a CSV or Excel
file, not UTF-8 or has too many rows. A formula in a workbook is read as its text (and so is
never a registration number). Every cell written out that a spreadsheet would run as a formula
gets a leading single quote.
"""

import csv
import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from portal.spreadsheets import (
    TableLimits,
    TableRefused,
    cell_text,
    escape_cell,
    read_rows,
    read_upload,
)
from portfolio.api import read_registration_number

MAX_UPLOAD_BYTES = 512 * 1024
MAX_ROWS = 5000  # registration numbers in one check, counted with their own message below
MAX_NUMBER_LENGTH = 40  # longer "numbers" are shown cut short; none can match
COLUMNS = (
    "Registration number",
    "Name",
    "Credential",
    "Serial number",
    "Status",
    "Valid until",
)
WRONG_TYPE = (
    "The file must be a CSV file (.csv) or an Excel workbook (.xlsx) with one registration "
    "number on each row."
)
CHOOSE = "Choose a CSV or Excel file of registration numbers to upload."
LIMITS = TableLimits(
    max_bytes=MAX_UPLOAD_BYTES,
    # Every line a file of this size can hold: the limit that matters is MAX_ROWS numbers.
    max_rows=MAX_UPLOAD_BYTES // 2,
    # Staff lists exported from HR systems can be wide; the number column is found by name.
    max_columns=200,
    max_unzipped_bytes=50 * MAX_UPLOAD_BYTES,
    wrong_type=WRONG_TYPE,
)


class BulkFileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps uploads in memory up to MAX_UPLOAD_BYTES; a bigger file is dropped and flagged.

    Replaces Django's handlers for the bulk upload, which would spool a large file to disk.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.buffer: io.BytesIO | None = None
        self.size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > MAX_UPLOAD_BYTES:
            self.too_large = True
            self.buffer = None
        elif self.buffer is not None:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


# A header cell naming the number column, once lower-cased and stripped of punctuation.
NUMBER_HEADINGS = {
    "registration number",
    "registration no",
    "registration",
    "reg number",
    "reg no",
    "gmc number",
    "hcpc number",
    "nmc pin",
    "gosc number",
    "professional registration number",
    "number",
}


def read_numbers(upload) -> list[str]:
    """The registration numbers in the file, in order, each once (normalised, not checked).

    CSV (UTF-8) or XLSX. The column is the one whose heading names a registration number; with
    no such heading, the first column, and a first row that holds no digit is a heading.
    """
    if upload is None:
        raise BulkFileError(CHOOSE)
    try:
        data = read_upload(upload, limits=LIMITS)
        if not data.strip():
            raise BulkFileError("The file is empty. Put one registration number on each row.")
        rows = read_rows(data, upload.name, limits=LIMITS)
    except TableRefused as exc:
        raise BulkFileError(exc.message) from exc
    rows = [[cell_text(cell) for cell in row] for row in rows]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    column, rows = _number_column(rows)
    cells = [row[column].strip() if column < len(row) else "" for row in rows]
    cells = [cell for cell in cells if cell]
    if not cells:
        raise BulkFileError("The file has no registration numbers. Put one on each row.")
    if len(cells) > MAX_ROWS:
        raise BulkFileError(
            f"The file has {len(cells):,} rows; the most is {MAX_ROWS:,}. Split it into "
            "smaller files."
        )
    numbers = (read_registration_number(cell)[:MAX_NUMBER_LENGTH] for cell in cells)
    return list(dict.fromkeys(numbers))


def _heading(cell: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in cell.lower()).split())


def _number_column(rows: list[list[str]]) -> tuple[int, list[list[str]]]:
    if not rows:
        return 0, rows
    first = rows[0]
    for index, cell in enumerate(first):
        if _heading(cell) in NUMBER_HEADINGS:
            return index, rows[1:]
    # No named column: the first; a first cell without a digit is a heading all the same.
    if first and not any(char.isdigit() for char in first[0]):
        return 0, rows[1:]
    return 0, rows


def results_csv(rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([escape_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


def results_xlsx(rows: list[tuple]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Verification")
    sheet.append(list(COLUMNS))
    for row in rows:
        # Characters XLSX cannot hold go first, so that what remains is checked for formulas.
        sheet.append([escape_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value))) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
