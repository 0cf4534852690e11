"""Reading results files (CSV or XLSX) through django-import-export's formats, safely, and
writing exports with every formula-leading cell escaped.

Limits come first: the byte size before anything is parsed, then the row count (CSV: counted
lines; XLSX: the sheet's declared dimension, then counted again while reading). Formula cells
stay visible as text starting with "=" so the row checks refuse them; nothing is evaluated.
"""

import csv
import io
import zipfile

import tablib
from import_export.formats import base_formats

from exams.services.errors import ExamError
from portal.spreadsheets import escape_cell

MAX_IMPORT_BYTES = 8 * 1024 * 1024  # 500 candidates × 200 items in long form is about 1.6 MB
MAX_IMPORT_ROWS = 250_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Results files have 3 or 4 columns; Angoff judgements one per question (at most 500).
MAX_COLUMNS = 501
WRONG_TYPE = "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)."


def _too_many_rows():
    return ExamError(
        f"The file has more than {MAX_IMPORT_ROWS:,} rows. Split it into smaller files."
    )


def _too_many_columns():
    return ExamError(f"The file has more than {MAX_COLUMNS} columns.")


class ResultsCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        data = in_stream
        if isinstance(data, bytes):
            if data.startswith(b"PK\x03\x04") or b"\x00" in data:
                raise ExamError(f"This is not a CSV file. {WRONG_TYPE}")
            if data.count(b"\n") > MAX_IMPORT_ROWS + 1:
                raise _too_many_rows()
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ExamError("Save the CSV file with UTF-8 encoding and try again.") from exc
        try:
            rows = []
            for row in csv.reader(io.StringIO(data, newline="")):
                if len(row) > MAX_COLUMNS:
                    raise _too_many_columns()
                rows.append(row)
        except csv.Error as exc:
            raise ExamError(f"The CSV file could not be read: {exc}.") from exc
        return _dataset(rows)


class ResultsXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        from openpyxl import load_workbook

        data = in_stream
        if not data.startswith(b"PK\x03\x04"):
            raise ExamError(f"This is not an Excel workbook. {WRONG_TYPE}")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unzipped = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise ExamError(f"This is not an Excel workbook. {WRONG_TYPE}") from exc
        if unzipped > MAX_UNZIPPED_BYTES:
            raise ExamError("The workbook is too large to import.")
        try:
            # data_only=False: a formula cell stays a formula, never its cached value.
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
            raise ExamError(f"This is not an Excel workbook. {WRONG_TYPE}") from exc
        try:
            sheet = book.worksheets[0]
            if (sheet.max_row or 0) > MAX_IMPORT_ROWS + 1:
                raise _too_many_rows()
            if (sheet.max_column or 0) > MAX_COLUMNS:
                raise _too_many_columns()
            rows = []
            for row in sheet.iter_rows():
                values = [_cell_value(cell) for cell in row]
                while values and values[-1] == "":
                    values.pop()  # trailing empty cells (a padded sheet) are no columns
                if len(values) > MAX_COLUMNS:
                    raise _too_many_columns()
                rows.append(values)
                if len(rows) > MAX_IMPORT_ROWS + 1:
                    raise _too_many_rows()
        finally:
            book.close()
        return _dataset(rows)


def _cell_value(cell):
    if cell.data_type == "f":
        text = str(getattr(cell.value, "text", cell.value) or "")
        return text if text.startswith("=") else "=" + text
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _dataset(rows) -> tablib.Dataset:
    while rows and not any((c or "").strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ExamError("The file is empty. Its first row must name the columns.")
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise _too_many_rows()
    headers = [str(h or "").strip().lower() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    # tablib checks each appended row; build the list directly (100,000 rows stay fast).
    dataset._data = [
        tablib.core.Row(list(row[:width]) + [""] * (width - len(row))) for row in rows[1:]
    ]
    return dataset


def read_results_file(data: bytes, filename: str) -> tablib.Dataset:
    """FILE → Dataset, or ExamError saying what is wrong with it. Size is checked first."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ExamError(f"The file must be smaller than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return ResultsXLSX().create_dataset(data)
    if name.endswith(".csv"):
        return ResultsCSV().create_dataset(data)
    raise ExamError(WRONG_TYPE)


def export_rows(headers, rows, *, fmt: str) -> bytes:
    """HEADERS and ROWS as CSV or XLSX bytes, every cell through portal.spreadsheets.escape_cell
    (our own rule: the library's option only strips a leading "=")."""
    dataset = tablib.Dataset(headers=[escape_cell(h) for h in headers])
    for row in rows:
        dataset.append([escape_cell(cell) for cell in row])
    export_format = base_formats.XLSX() if fmt == "xlsx" else base_formats.CSV()
    out = export_format.export_data(dataset)
    return out.encode("utf-8") if isinstance(out, str) else out
