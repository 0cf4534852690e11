"""Bulk verification files: reading the uploaded CSV, writing the results as CSV and XLSX.

The upload is held in memory only (never written to disk) and is refused, with a message
saying why, if it is too big, not a CSV file, not UTF-8 or has too many rows. Every cell
written out that a spreadsheet would run as a formula gets a leading single quote.
"""

import csv
import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from portal.spreadsheets import escape_cell
from portfolio.api import normalise_registration_number

MAX_UPLOAD_BYTES = 512 * 1024
MAX_ROWS = 5000
MAX_NUMBER_LENGTH = 40  # longer "numbers" are shown cut short; none can match
COLUMNS = (
    "Registration number",
    "Name",
    "Credential",
    "Serial number",
    "Status",
    "Valid until",
)
WRONG_TYPE = "The file must be a CSV file (.csv) with one registration number on each row."


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


def read_numbers(upload) -> list[str]:
    """The registration numbers in the first column, in order, each once; header skipped."""
    if upload is None:
        raise BulkFileError("Choose a CSV file of registration numbers to upload.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise BulkFileError(f"The file must be smaller than {MAX_UPLOAD_BYTES // 1024} KB.")
    if not (upload.name or "").lower().endswith(".csv"):
        raise BulkFileError(WRONG_TYPE)
    data = upload.read()
    if not data.strip():
        raise BulkFileError("The file is empty. Put one registration number on each row.")
    if b"\x00" in data or data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise BulkFileError(f"This is not a CSV file. {WRONG_TYPE}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkFileError("Save the CSV file with UTF-8 encoding and try again.") from exc
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if _first(row)]
    except csv.Error as exc:
        raise BulkFileError(f"The CSV file could not be read: {exc}.") from exc
    # A registration number always has a digit; a first cell without one is a heading.
    if rows and not any(char.isdigit() for char in _first(rows[0])):
        rows = rows[1:]
    if not rows:
        raise BulkFileError("The file has no registration numbers. Put one on each row.")
    if len(rows) > MAX_ROWS:
        raise BulkFileError(
            f"The file has {len(rows):,} rows; the most is {MAX_ROWS:,}. Split it into "
            "smaller files."
        )
    numbers = (normalise_registration_number(_first(row))[:MAX_NUMBER_LENGTH] for row in rows)
    return list(dict.fromkeys(numbers))


def _first(row: list[str]) -> str:
    return row[0].strip() if row else ""


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
