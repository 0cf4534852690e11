"""Spreadsheet cells: the one rule for formula injection, used by every import and export.

A cell a spreadsheet program would run as a formula starts with one of FORMULA_PREFIXES,
possibly after spaces. Imports refuse such cells (with the row and column); exports write them
with a leading single quote so they show as text. Our own rule rather than a library option,
so that CSV and XLSX, framework exports, bulk verification and exam reports all agree.
"""

import io
import zipfile
from contextlib import contextmanager

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value) -> bool:
    if not isinstance(value, str):
        return False
    return value.startswith(FORMULA_PREFIXES) or value.lstrip().startswith(FORMULA_PREFIXES)


def escape_cell(value):
    """VALUE as an export writes it: text that would run as a formula gets a leading quote.

    None becomes ""; numbers, dates and other non-text values pass through unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


class WorkbookRefused(ValueError):
    """An uploaded file that must not be opened as a workbook; the message says why, in words
    an uploader understands, and the caller adds what they should upload instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


NOT_A_WORKBOOK = "This is not an Excel workbook."
TOO_LARGE_INSIDE = "The workbook is far larger inside than it looks, so it was refused."


@contextmanager
def untrusted_first_sheet(data: bytes, *, max_unzipped_bytes: int, max_members: int = 200):
    """The first worksheet of an uploaded .xlsx, opened the one safe way every import uses.

    Refused before openpyxl parses anything: a file that is not a zip, a zip that expands far
    beyond its size (a zip bomb) or holds too many parts. Opened read-only, with formulas kept
    as their text (data_only=False), so a formula is never evaluated nor its cached value
    trusted; callers check cells with is_formula. The workbook is closed on leaving.
    """
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookRefused(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused(NOT_A_WORKBOOK) from exc
    if len(members) > max_members or sum(m.file_size for m in members) > max_unzipped_bytes:
        raise WorkbookRefused(TOO_LARGE_INSIDE)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise WorkbookRefused(NOT_A_WORKBOOK) from exc
    try:
        yield sheet
    finally:
        book.close()
