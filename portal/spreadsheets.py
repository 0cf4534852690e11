"""Uploaded tables and spreadsheet cells: the one reader every import uses, and the one rule
for formula injection.

Reading. `read_rows` gives the rows of an uploaded CSV file or of the first sheet of an Excel
workbook; `read_table` the same as a tablib Dataset whose first row names the columns. Every
import reads through them: competency frameworks (portfolio), bulk verification (credentials),
exam results and Angoff judgements (exams), and the psychometrics commands' CSV files.

- The type comes from the name (.csv or .xlsx) and is then checked by the content: a CSV is
  UTF-8 text (a byte-order mark is allowed) and not a zip, PDF or binary file; a workbook is
  a zip that does not expand far beyond its size, opened read-only.
- The caller's TableLimits bound the bytes, the rows after the first and the cells in a row.
  Rows keep their spreadsheet numbers: blank rows between rows count, blank rows at the end
  are dropped, and a limit is checked as the rows are read.
- A formula is never evaluated: a workbook's formula cell is read as its text, starting with
  "=", so the caller refuses it (imports) or keeps it as text (bulk verification).
- Workbook cells keep their type (text, whole numbers, other numbers, None for an empty cell;
  TRUE and FALSE as text, dates as ISO text); `cell_text` gives any cell as text.

Anything refused raises TableRefused, whose message says why in words an uploader understands
(the caller names what to upload instead, TableLimits.wrong_type); `reason` and the row let a
caller with its own wording (the psychometrics commands) say the same in theirs.

Formula injection. A cell a spreadsheet program would run as a formula starts with one of
FORMULA_PREFIXES, possibly after spaces. Imports refuse such cells (with the row and column);
exports write them with a leading single quote so they show as text. Our own rule rather than
a library option, so that every import and export agrees.
"""

import csv
import enum
import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

import tablib

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


# --- opening an uploaded workbook -------------------------------------------------------------


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
    trusted; callers check cells with is_formula. The size the sheet declares is not trusted
    either (a small file may claim a million rows): rows are read as they are in the file. The
    workbook is closed on leaving.
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
        sheet.reset_dimensions()
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise WorkbookRefused(NOT_A_WORKBOOK) from exc
    try:
        yield sheet
    finally:
        book.close()


# --- reading an uploaded table ----------------------------------------------------------------

WRONG_TYPE = "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)."
NOT_UTF8 = "Save the CSV file with UTF-8 encoding and try again."
UNREADABLE_WORKBOOK = "The Excel file could not be read. Save it again and retry."
EMPTY_TABLE = "The file is empty. Its first row must name the columns."
# Zip (a workbook or any Office file), PDF, and the old binary Office formats.
NOT_TEXT_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")
# No spreadsheet program has more rows: a file that numbers its rows beyond is not read on.
MOST_ROWS_ANYWHERE = 1_048_576


class Refusal(enum.StrEnum):
    TOO_BIG = "too_big"
    WRONG_TYPE = "wrong_type"
    NOT_CSV = "not_csv"
    NOT_UTF8 = "not_utf8"
    BAD_CSV = "bad_csv"
    NOT_A_WORKBOOK = "not_a_workbook"
    UNREADABLE_WORKBOOK = "unreadable_workbook"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    EMPTY = "empty"
    EXTRA_CELLS = "extra_cells"


class TableRefused(ValueError):
    """An uploaded table refused as a whole, before its rows are checked. MESSAGE says why;
    ROW is the spreadsheet row where that is known; DETAIL is the CSV reader's own words;
    OFFSET the first byte that is not UTF-8."""

    def __init__(
        self,
        reason: Refusal,
        message: str,
        *,
        row: int | None = None,
        detail: str = "",
        offset: int | None = None,
    ):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.row = row
        self.detail = detail
        self.offset = offset


@dataclass(frozen=True)
class TableLimits:
    max_bytes: int
    max_rows: int  # rows after the first, up to the last that holds something
    max_columns: int  # cells in one row, up to the last that holds something
    max_unzipped_bytes: int = 0  # a workbook's parts, unpacked (0: workbooks are refused)
    wrong_type: str = WRONG_TYPE  # what to upload instead, added to a refusal of the type

    @property
    def size_words(self) -> str:
        mebibyte = 1024 * 1024
        if self.max_bytes % mebibyte == 0:
            return f"{self.max_bytes // mebibyte} MB"
        return f"{self.max_bytes // 1024} KB"

    def too_big(self) -> TableRefused:
        return TableRefused(Refusal.TOO_BIG, f"The file must be smaller than {self.size_words}.")

    def too_many_rows(self) -> TableRefused:
        return TableRefused(
            Refusal.TOO_MANY_ROWS,
            f"The file has more than {self.max_rows:,} rows. Split it into smaller files.",
        )


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as text: "" for an empty cell, a number as written (a whole number has no ".0")."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def read_upload(upload, *, limits: TableLimits) -> bytes:
    """An uploaded file's bytes; refused unread when it says it is over the limit."""
    if upload.size is not None and upload.size > limits.max_bytes:
        raise limits.too_big()
    return upload.read(limits.max_bytes + 1)


def read_rows(data: bytes, filename: str, *, limits: TableLimits) -> list[list]:
    """The rows of an uploaded .csv or .xlsx file, as the file has them: row N is rows[N - 1],
    blank rows between are [], and blank rows at the end are dropped ([] for a blank file)."""
    if len(data) > limits.max_bytes:
        raise limits.too_big()
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_workbook_rows(data, limits=limits)
    if name.endswith(".csv"):
        return read_csv_rows(data, limits=limits)
    raise TableRefused(Refusal.WRONG_TYPE, limits.wrong_type)


def read_table(data: bytes, filename: str, *, limits: TableLimits, as_text: bool = False):
    """An uploaded table whose first row names its columns, as a tablib Dataset (see
    table_dataset)."""
    return table_dataset(read_rows(data, filename, limits=limits), as_text=as_text)


def table_dataset(rows: list[list], *, as_text: bool = False) -> tablib.Dataset:
    """ROWS as a Dataset: the first row's names, stripped and lower-cased, are the headers;
    every other row is cut or padded to their number (with "" when AS_TEXT, when every cell is
    text, else None). Refused: no rows at all, or a row with something beyond the named
    columns."""
    if not rows:
        raise TableRefused(Refusal.EMPTY, EMPTY_TABLE)
    headers = ["" if value is None else str(value).strip().lower() for value in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    fill = "" if as_text else None
    body = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell_text(value) for value in row] if as_text else list(row)
        if not all(is_blank(value) for value in cells[width:]):
            raise TableRefused(
                Refusal.EXTRA_CELLS,
                f"Row {number} has more cells than the first row has column names.",
                row=number,
            )
        body.append(cells[:width] + [fill] * (width - len(cells)))
    # The constructor takes every row at once (append() checks each row again).
    return tablib.Dataset(*body, headers=headers)


def read_csv_rows(data: bytes | str, *, limits: TableLimits) -> list[list[str]]:
    """The rows of a CSV file (see read_rows); each cell as written, the row as long as the file
    has it. Text (already decoded: the Django admin's import) is read as it is."""
    if isinstance(data, bytes):
        if len(data) > limits.max_bytes:
            raise limits.too_big()
        if data.startswith(NOT_TEXT_SIGNATURES) or b"\x00" in data:
            raise TableRefused(Refusal.NOT_CSV, f"This is not a CSV file. {limits.wrong_type}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TableRefused(Refusal.NOT_UTF8, NOT_UTF8, offset=exc.start) from exc
    else:
        if len(data) > limits.max_bytes:
            raise limits.too_big()
        text = data
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    read = 0  # records read so far: a CSV error is in the next one

    def numbered():
        nonlocal read
        for record in reader:
            read += 1
            yield read, record

    try:
        return _collect(numbered(), limits)
    except csv.Error as exc:
        raise TableRefused(
            Refusal.BAD_CSV,
            f"The CSV file could not be read: {exc}.",
            row=read + 1,
            detail=str(exc),
        ) from exc


def read_workbook_rows(data: bytes, *, limits: TableLimits) -> list[list]:
    """The rows of the first sheet of an .xlsx workbook (see read_rows); empty cells at the end
    of a row are dropped."""
    if len(data) > limits.max_bytes:
        raise limits.too_big()
    try:
        with untrusted_first_sheet(data, max_unzipped_bytes=limits.max_unzipped_bytes) as sheet:
            values = sheet.iter_rows(values_only=True)
            return _collect(
                ((number, _workbook_row(row)) for number, row in enumerate(values, start=1)),
                limits,
            )
    except WorkbookRefused as exc:
        raise TableRefused(Refusal.NOT_A_WORKBOOK, f"{exc.message} {limits.wrong_type}") from exc
    except TableRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged sheet
        raise TableRefused(Refusal.UNREADABLE_WORKBOOK, UNREADABLE_WORKBOOK) from exc


def _collect(numbered_rows, limits: TableLimits) -> list[list]:
    """Rows up to the last that holds something, checked against LIMITS as they come: a blank
    row costs nothing until a row holding something follows it."""
    rows: list[list] = []
    blank_run = 0
    for number, cells in numbered_rows:
        if number > MOST_ROWS_ANYWHERE:
            raise limits.too_many_rows()
        width = _filled_width(cells)
        if not width:
            blank_run += 1
            continue
        if width > limits.max_columns:
            raise TableRefused(
                Refusal.TOO_MANY_COLUMNS,
                f"The file has more than {limits.max_columns:,} columns.",
                row=number,
            )
        if number - 1 > limits.max_rows:
            raise limits.too_many_rows()
        rows.extend([] for _ in range(blank_run))
        blank_run = 0
        rows.append(cells)
    return rows


def _filled_width(cells) -> int:
    """How many cells up to the last that holds something (0: a blank row)."""
    width = len(cells)
    while width and is_blank(cells[width - 1]):
        width -= 1
    return width


def _workbook_row(values: tuple) -> list:
    if values.count(None) == len(values):  # blank (one C-level pass: most padding is None)
        return []
    cells = [_workbook_value(value) for value in values]
    while cells and is_blank(cells[-1]):
        cells.pop()
    return cells


def _workbook_value(value):
    if value is None or isinstance(value, str):  # a formula cell's value is its text
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, ArrayFormula):
        return value.text or "="
    if isinstance(value, DataTableFormula):
        return f"=TABLE({value.ref})"
    return str(value)  # dates and times as ISO text: refused where a number is wanted
