"""Reading uploaded framework spreadsheets (CSV or XLSX) into a tablib Dataset, safely.

The type is decided by the content, not the name alone: an .xlsx must be a zip holding a
workbook, a .csv must be UTF-8 text. Formula cells are kept visible as text starting with
"=" so that the row checks can refuse them with the row and column; nothing is evaluated.
"""

import csv
import io

import tablib
from import_export.formats import base_formats

from portal.spreadsheets import WorkbookRefused, is_formula, untrusted_first_sheet
from portfolio.errors import PortfolioError

__all__ = ["COLUMNS", "is_formula", "read_upload"]

COLUMNS = (
    "domain_code",
    "domain_title",
    "domain_order",
    "domain_min_evidence",
    "domain_max_evidence",
    "code",
    "title",
    "descriptor",
    "level",
    "min_evidence",
    "max_evidence",
    "order",
)
MAX_ROWS = 2000
# 1 MB keeps the signed preview (posted back to confirm) well under Django's 2.5 MB limit.
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024  # a 1 MB workbook never holds more than this

WRONG_TYPE = "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)."


def read_upload(upload) -> tablib.Dataset:
    """An uploaded file → Dataset, or PortfolioError saying what is wrong with the file."""
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise PortfolioError("The file must be smaller than 1 MB.")
    data = upload.read()
    if name.endswith(".xlsx"):
        return xlsx_dataset(data)
    if name.endswith(".csv"):
        return csv_dataset(data)
    raise PortfolioError(WRONG_TYPE)


def csv_dataset(data: bytes | str) -> tablib.Dataset:
    if isinstance(data, bytes):
        if data.startswith(b"PK\x03\x04") or b"\x00" in data:
            raise PortfolioError(f"This is not a CSV file. {WRONG_TYPE}")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PortfolioError("Save the CSV file with UTF-8 encoding and try again.") from exc
    try:
        rows = list(_limited(csv.reader(io.StringIO(data, newline=""))))
    except csv.Error as exc:
        raise PortfolioError(f"The CSV file could not be read: {exc}.") from exc
    return _dataset(rows)


def xlsx_dataset(data: bytes) -> tablib.Dataset:
    try:
        with untrusted_first_sheet(data, max_unzipped_bytes=MAX_UNZIPPED_BYTES) as sheet:
            rows = list(_limited([_cell_value(cell) for cell in row] for row in sheet.iter_rows()))
    except WorkbookRefused as exc:
        raise PortfolioError(f"{exc.message} {WRONG_TYPE}") from exc
    return _dataset(rows)


def _cell_value(cell):
    if cell.data_type == "f":
        text = str(getattr(cell.value, "text", cell.value) or "")
        return text if text.startswith("=") else "=" + text
    value = cell.value
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return str(value)  # dates and times: kept as text, refused where a number is wanted


def _blank(row) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _limited(rows):
    """Yield the header and data rows, refusing more than MAX_ROWS rows that hold data."""
    filled = -1  # the header is not a data row
    for row in rows:
        if not _blank(row):
            filled += 1
            if filled > MAX_ROWS:
                raise PortfolioError(
                    f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files."
                )
        yield row


def _dataset(rows: list[list]) -> tablib.Dataset:
    while rows and _blank(rows[-1]):
        rows.pop()
    if not rows:
        raise PortfolioError("The file is empty. Its first row must name the columns.")
    headers = [str(value).strip().lower() if value is not None else "" for value in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    dataset = tablib.Dataset(headers=headers)
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row)
        if not _blank(cells[len(headers) :]):
            raise PortfolioError(
                f"Row {number} has more cells than the first row has column names."
            )
        cells = cells[: len(headers)] + [None] * (len(headers) - len(cells))
        dataset.append(cells)
    return dataset


def header_problems(headers) -> list[str]:
    """What is wrong with the column names, if anything."""
    headers = list(headers or [])
    if not headers:
        return ["The file is empty. Its first row must name the columns."]
    problems = []
    for name in sorted({h for h in headers if headers.count(h) > 1}):
        problems.append(f"The column {name or '(blank)'} appears more than once.")
    unknown = [h for h in dict.fromkeys(headers) if h not in COLUMNS]
    if unknown:
        problems.append(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: "
            f"{', '.join(h or '(blank)' for h in unknown)}."
        )
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        problems.append(
            f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}."
        )
    if problems:
        problems.append(f"The first row must name these columns: {', '.join(COLUMNS)}.")
    return problems


class SafeCSV(base_formats.CSV):
    """The admin's CSV reader: the same checks as the portal's."""

    def create_dataset(self, in_stream, **kwargs):
        return csv_dataset(in_stream)


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX reader: formulas stay visible (the library's default hides them)."""

    def create_dataset(self, in_stream):
        return xlsx_dataset(in_stream)
