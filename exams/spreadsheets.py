"""Reading results files (CSV or XLSX) through the portal's one reader, and writing exports
with every formula-leading cell escaped.

Limits come first: the byte size before anything is parsed, then rows and columns as they are
read (portal.spreadsheets). Formula cells stay visible as text starting with "=" so the row
checks refuse them; nothing is evaluated. Every cell is read as text.
"""

import tablib
from import_export.formats import base_formats

from exams.services.errors import ExamError
from portal.spreadsheets import TableLimits, TableRefused, escape_cell, read_table, read_upload

MAX_IMPORT_BYTES = 8 * 1024 * 1024  # 500 candidates × 200 items in long form is about 1.6 MB
MAX_IMPORT_ROWS = 250_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Results files have 3 or 4 columns; Angoff judgements one per question (at most 500).
MAX_COLUMNS = 501


def _limits() -> TableLimits:
    # Built when called: the limits are this module's settings (tests change them).
    return TableLimits(
        max_bytes=MAX_IMPORT_BYTES,
        max_rows=MAX_IMPORT_ROWS,
        max_columns=MAX_COLUMNS,
        max_unzipped_bytes=MAX_UNZIPPED_BYTES,
    )


def read_results_upload(upload) -> bytes:
    """An uploaded results file's bytes; ExamError, unread, when it is too big."""
    try:
        return read_upload(upload, limits=_limits())
    except TableRefused as exc:
        raise ExamError(exc.message) from exc


def read_results_file(data: bytes, filename: str) -> tablib.Dataset:
    """FILE → Dataset of text cells, or ExamError saying what is wrong with it."""
    try:
        return read_table(data, filename, limits=_limits(), as_text=True)
    except TableRefused as exc:
        raise ExamError(exc.message) from exc


def export_rows(headers, rows, *, fmt: str) -> bytes:
    """HEADERS and ROWS as CSV or XLSX bytes, every cell through portal.spreadsheets.escape_cell
    (our own rule: the library's option only strips a leading "=")."""
    dataset = tablib.Dataset(headers=[escape_cell(h) for h in headers])
    for row in rows:
        dataset.append([escape_cell(cell) for cell in row])
    export_format = base_formats.XLSX() if fmt == "xlsx" else base_formats.CSV()
    out = export_format.export_data(dataset)
    return out.encode("utf-8") if isinstance(out, str) else out
