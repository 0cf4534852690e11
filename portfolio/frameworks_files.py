"""Reading uploaded framework spreadsheets (CSV or XLSX) into a tablib Dataset, through the
portal's one reader (portal.spreadsheets).

The type is decided by the content, not the name alone: an .xlsx must be a zip holding a
workbook, a .csv must be UTF-8 text. Formula cells are kept visible as text starting with
"=" so that the row checks can refuse them with the row and column; nothing is evaluated.
Workbook cells keep their type (numbers stay numbers), as the row checks expect.
"""

import dataclasses

import tablib
from import_export.formats import base_formats

from portal import spreadsheets
from portal.spreadsheets import TableLimits, TableRefused
from portfolio.errors import PortfolioError

__all__ = ["COLUMNS", "read_upload"]

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
MAX_COLUMNS = 100  # the format has twelve
LIMITS = TableLimits(
    max_bytes=MAX_UPLOAD_BYTES,
    max_rows=MAX_ROWS,
    max_columns=MAX_COLUMNS,
    max_unzipped_bytes=MAX_UNZIPPED_BYTES,
)
# The Django admin's import keeps no signed preview; the request size limit bounds it first.
ADMIN_LIMITS = dataclasses.replace(LIMITS, max_bytes=8 * MAX_UPLOAD_BYTES)


def read_upload(upload) -> tablib.Dataset:
    """An uploaded file → Dataset, or PortfolioError saying what is wrong with the file."""
    try:
        data = spreadsheets.read_upload(upload, limits=LIMITS)
        return spreadsheets.read_table(data, upload.name, limits=LIMITS)
    except TableRefused as exc:
        raise PortfolioError(exc.message) from exc


def header_problems(headers) -> list[str]:
    """What is wrong with the column names, if anything."""
    headers = list(headers or [])
    if not headers:
        return [spreadsheets.EMPTY_TABLE]
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
        try:
            return spreadsheets.table_dataset(
                spreadsheets.read_csv_rows(in_stream, limits=ADMIN_LIMITS)
            )
        except TableRefused as exc:
            raise PortfolioError(exc.message) from exc


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX reader: formulas stay visible (the library's default hides them)."""

    def create_dataset(self, in_stream):
        try:
            return spreadsheets.table_dataset(
                spreadsheets.read_workbook_rows(in_stream, limits=ADMIN_LIMITS)
            )
        except TableRefused as exc:
            raise PortfolioError(exc.message) from exc
