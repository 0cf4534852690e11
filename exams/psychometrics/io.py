"""Reading the command-line CSV formats (docs/psychometrics.md), refusing anything doubtful.

Every problem raises PsychometricsInputError with a one-line message that starts with the file
and names the row (the header is row 1, as in a spreadsheet) and column where there is one.
Files are read by the portal's one reader of tables (portal.spreadsheets): UTF-8 (a byte-order
mark is allowed), CSV quoting followed strictly; spaces and tabs around a cell are ignored;
rows whose cells are all empty are skipped. Numbers are plain ASCII decimals (no NaN, infinity,
thousands separators or non-ASCII digits); identifiers are 1-64 characters from [A-Za-z0-9_.-].
"""

import json
import math
import os
import re
import stat
from dataclasses import dataclass

import numpy as np

from exams.psychometrics.errors import PsychometricsInputError
from exams.psychometrics.scoring import normalise_option, score_responses
from portal.spreadsheets import Refusal, TableLimits, TableRefused, read_csv_rows

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_ITEMS = 1_000
MIN_CANDIDATES = 2
LIMITS = TableLimits(max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, max_columns=MAX_ITEMS + 1)

_IDENTIFIER = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_INTEGER = re.compile(r"[0-9]{1,9}")


def show(value: str) -> str:
    """A cell as it appears in a message: quoted, escaped to ASCII, and at most 40 characters."""
    shown = json.dumps(value[:40])
    if len(value) > 40:
        shown = shown[:-1] + '..."'
    return shown + ("" if value.isascii() else " (not ASCII)")


def _error(path, message: str, row: int | None = None, column: str | int | None = None):
    """The error for ``path``; a column is named by its header (str) or numbered (int)."""
    where = [str(path)]
    if row is not None:
        where.append(f"row {row}")
    if isinstance(column, int):
        where.append(f"column {column}")
    elif column is not None:
        where.append(f'column "{column}"')
    return PsychometricsInputError(f"{', '.join(where)}: {message}")


def parse_identifier(value: str) -> str | None:
    """The identifier, or None when it is not 1-64 characters from [A-Za-z0-9_.-]."""
    return value if value.isascii() and _IDENTIFIER.fullmatch(value) else None


def parse_number(value: str) -> float | None:
    """A finite float written as a plain ASCII decimal, else None."""
    if not (value.isascii() and _NUMBER.fullmatch(value)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_grade(value: str) -> int | None:
    """A whole number 0-999999999 in ASCII digits, else None."""
    return int(value) if value.isascii() and _INTEGER.fullmatch(value) else None


def parse_number_argument(option: str, value: str) -> float:
    number = parse_number(value)
    if number is None:
        raise PsychometricsInputError(f"{option}: expected a finite number, got {show(value)}")
    return number


def parse_count_argument(option: str, value: str) -> int:
    count = parse_grade(value)
    if count is None:
        raise PsychometricsInputError(f"{option}: expected a whole number, got {show(value)}")
    return count


def read_rows(path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows (with their row numbers), each the same length."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _error(path, "no such file") from None
    except OSError as error:
        raise _error(path, f"cannot read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise _error(path, "not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise _error(path, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _error(path, f"cannot read ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise _error(path, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        records = read_csv_rows(data, limits=LIMITS)
    except TableRefused as refused:
        raise _refusal(path, refused) from None
    if not records:
        raise _error(path, "file is empty")
    header = [cell.strip(" \t") for cell in records[0]]
    if not any(header):
        raise _error(path, "expected a header, got a blank line", 1)
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records[1:], start=2):
        cells = [cell.strip(" \t") for cell in record]
        if not any(cells):
            continue
        if len(cells) != len(header):
            raise _error(path, f"expected {len(header)} cells, got {len(cells)}", number)
        rows.append((number, cells))
    return header, rows


def _refusal(path, refused: TableRefused) -> PsychometricsInputError:
    """The reader's refusal in this module's words."""
    if refused.reason == Refusal.TOO_BIG:
        return _error(path, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if refused.reason == Refusal.NOT_UTF8:
        return _error(path, f"not UTF-8 text (invalid byte at offset {refused.offset})")
    if refused.reason == Refusal.NOT_CSV:
        return _error(path, "not CSV text (it holds binary data)")
    if refused.reason == Refusal.BAD_CSV:
        return _error(path, f"not valid CSV ({refused.detail})", refused.row)
    if refused.reason == Refusal.TOO_MANY_ROWS:
        return _error(path, f"more than {MAX_ROWS} data rows")
    if refused.reason == Refusal.TOO_MANY_COLUMNS:
        return _error(path, f"more than {MAX_ITEMS} item columns", refused.row)
    return _error(path, refused.message)


def _check_fixed_header(path, header: list[str], expected: list[str]) -> None:
    if header != expected:
        raise _error(
            path, f'expected the header "{",".join(expected)}", got {show(",".join(header))}', 1
        )


def _check_identifier(path, value: str, what: str, row: int, column: str | int) -> str:
    if parse_identifier(value) is None:
        raise _error(
            path,
            f"{what} must be 1-64 characters from A-Z a-z 0-9 _ . -, got {show(value)}",
            row,
            column,
        )
    return value


def _item_header(path, header: list[str], first: str) -> tuple[str, ...]:
    """Validate a "<first>,<item id>,…" header and return the item ids."""
    if header[0] != first:
        raise _error(path, f'expected "{first}" as the first column, got {show(header[0])}', 1)
    if len(header) < 2:
        raise _error(path, f'expected item columns after "{first}"', 1)
    seen: dict[str, int] = {}
    for column, item in enumerate(header[1:], start=2):
        _check_identifier(path, item, "item id", 1, column)
        if item in seen:
            raise _error(path, f'duplicate item id "{item}" (columns {seen[item]} and {column})', 1)
        seen[item] = column
    return tuple(header[1:])


def _row_ids(path, rows, column: str, what: str) -> tuple[str, ...]:
    """The first cell of each row as a unique identifier."""
    first_row: dict[str, int] = {}
    for number, cells in rows:
        value = _check_identifier(path, cells[0], what, number, column)
        if value in first_row:
            raise _error(
                path,
                f'duplicate {what} "{value}" (first at row {first_row[value]})',
                number,
                column,
            )
        first_row[value] = number
    return tuple(first_row)


def _check_candidate_count(path, count: int) -> None:
    if count < MIN_CANDIDATES:
        raise _error(path, f"needs at least {MIN_CANDIDATES} candidates, got {count}")


@dataclass(frozen=True)
class Key:
    path: str
    answers: dict[str, str]
    rows: dict[str, int]


def read_key(path) -> Key:
    """KEY.csv: header "item,answer", one row per item, answers A-D (any case)."""
    header, rows = read_rows(path)
    _check_fixed_header(path, header, ["item", "answer"])
    if not rows:
        raise _error(path, "no items in the key")
    _row_ids(path, rows, "item", "item id")
    answers = {}
    for number, (item, answer) in rows:
        try:
            answers[item] = normalise_option(answer, blank_ok=False)
        except PsychometricsInputError:
            raise _error(
                path, f"expected an option A-D, got {show(answer)}", number, "answer"
            ) from None
    return Key(str(path), answers, {item: number for number, (item, _) in rows})


@dataclass(frozen=True)
class Responses:
    candidate_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    scores: np.ndarray  # candidates × items, 0/1


def read_responses(path, key: Key | None = None) -> Responses:
    """RESPONSES.csv: header "candidate,<item id>,…", one row per candidate. Cells are 0 or 1;
    with a key they are option letters A-D (any case) or blank (scored wrong)."""
    header, rows = read_rows(path)
    items = _item_header(path, header, "candidate")
    candidates = _row_ids(path, rows, "candidate", "candidate id")
    _check_candidate_count(path, len(candidates))
    if key is None:
        return Responses(candidates, items, _binary_cells(path, items, rows))
    for item in items:
        if item not in key.answers:
            raise _error(key.path, f'no answer for item "{item}"')
    extra = [item for item in key.answers if item not in set(items)]
    if extra:
        raise _error(key.path, f'item "{extra[0]}" is not in {path}', key.rows[extra[0]])
    return Responses(candidates, items, _scored_cells(path, items, rows, key))


def _binary_cells(path, items, rows) -> np.ndarray:
    matrix = []
    for number, cells in rows:
        values = cells[1:]
        for item, cell in zip(items, values, strict=True):
            if cell != "0" and cell != "1":
                raise _error(path, f"expected 0 or 1, got {show(cell)}", number, item)
        matrix.append([cell == "1" for cell in values])
    return np.array(matrix, dtype=float)


def _scored_cells(path, items, rows, key: Key) -> np.ndarray:
    for number, cells in rows:
        for item, cell in zip(items, cells[1:], strict=True):
            try:
                normalise_option(cell, blank_ok=True)
            except PsychometricsInputError:
                raise _error(
                    path, f"expected an option A-D or blank, got {show(cell)}", number, item
                ) from None
    return score_responses([cells[1:] for _, cells in rows], [key.answers[i] for i in items])


@dataclass(frozen=True)
class Judgements:
    judge_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    probabilities: np.ndarray  # judges × items


def read_judgements(path) -> Judgements:
    """JUDGEMENTS.csv: header "judge,<item id>,…", one row per judge, probabilities 0-1."""
    header, rows = read_rows(path)
    items = _item_header(path, header, "judge")
    judges = _row_ids(path, rows, "judge", "judge id")
    if not judges:
        raise _error(path, "no judges")
    matrix = []
    for number, cells in rows:
        values = []
        for item, cell in zip(items, cells[1:], strict=True):
            value = parse_number(cell)
            if value is None or not 0 <= value <= 1:
                raise _error(
                    path, f"expected a probability from 0 to 1, got {show(cell)}", number, item
                )
            values.append(value)
        matrix.append(values)
    return Judgements(judges, items, np.array(matrix, dtype=float))


def read_percent_scores(path) -> np.ndarray:
    """SCORES.csv for Hofstee: one column "score", one row per candidate, percentages 0-100."""
    header, rows = read_rows(path)
    _check_fixed_header(path, header, ["score"])
    _check_candidate_count(path, len(rows))
    scores = []
    for number, (cell,) in rows:
        value = parse_number(cell)
        if value is None or not 0 <= value <= 100:
            raise _error(
                path, f"expected a percentage from 0 to 100, got {show(cell)}", number, "score"
            )
        scores.append(value)
    return np.array(scores, dtype=float)


@dataclass(frozen=True)
class OsceResults:
    candidate_ids: tuple[str, ...]
    station_ids: tuple[str, ...]
    scores: np.ndarray  # candidates × stations
    grades: np.ndarray  # candidates × stations, whole numbers


def read_osce(path) -> OsceResults:
    """SCORES.csv for borderline regression: header "candidate,station,score,grade", one row per
    candidate per station (every candidate at every station, once); candidates and stations keep
    the order in which they first appear."""
    header, rows = read_rows(path)
    _check_fixed_header(path, header, ["candidate", "station", "score", "grade"])
    cells_at: dict[tuple[str, str], tuple[float, int]] = {}
    first_row: dict[tuple[str, str], int] = {}
    candidates: dict[str, None] = {}
    stations: dict[str, None] = {}
    for number, (candidate, station, score_cell, grade_cell) in rows:
        _check_identifier(path, candidate, "candidate id", number, "candidate")
        _check_identifier(path, station, "station id", number, "station")
        score = parse_number(score_cell)
        if score is None:
            raise _error(path, f"expected a finite number, got {show(score_cell)}", number, "score")
        grade = parse_grade(grade_cell)
        if grade is None:
            raise _error(
                path, f"expected a whole-number grade, got {show(grade_cell)}", number, "grade"
            )
        pair = (candidate, station)
        if pair in first_row:
            raise _error(
                path,
                f'duplicate row for candidate "{candidate}" at station "{station}" '
                f"(first at row {first_row[pair]})",
                number,
            )
        first_row[pair] = number
        cells_at[pair] = (score, grade)
        candidates.setdefault(candidate)
        stations.setdefault(station)
    _check_candidate_count(path, len(candidates))
    scores = np.empty((len(candidates), len(stations)))
    grades = np.empty_like(scores)
    for i, candidate in enumerate(candidates):
        for j, station in enumerate(stations):
            if (candidate, station) not in cells_at:
                raise _error(path, f'candidate "{candidate}" has no row for station "{station}"')
            scores[i, j], grades[i, j] = cells_at[candidate, station]
    return OsceResults(tuple(candidates), tuple(stations), scores, grades)
