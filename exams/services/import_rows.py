"""Checking the rows of a results file, one function per kind: an answer key, SBA responses,
OSCE station scores. Every bad row is reported by its number (the header is row 1); the checked
values are kept on the report, ready to write (exams.services.import_writes)."""

import re
from dataclasses import dataclass, field

from exams.models import Booking, BookingStatus, ImportKind, Item, Mark
from exams.services.errors import ExamError
from portal.spreadsheets import is_formula

COLUMNS = {
    ImportKind.KEY: ("item", "answer", "domain"),
    ImportKind.SBA: ("candidate_number", "item", "option"),
    ImportKind.OSCE: ("candidate_number", "station", "score", "grade"),
}
OPTIONAL = {"domain"}
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,19}")
CANDIDATE_NUMBER = re.compile(r"[0-9]{1,12}")
NUMBER = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4})?")
MAX_REPORTED = 200


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    unchanged: bool = False
    summary: str = ""
    # Checked values, ready to write (not shown).
    parsed: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((row, message))


def _show(value: str) -> str:
    value = value if len(value) <= 30 else value[:30] + "…"
    return f'"{value}"'


def check_rows(sitting, component, kind, dataset, report: ImportReport) -> None:
    """Check every row of DATASET (its columns first: ExamError when they are wrong)."""
    headers = list(dataset.headers or [])
    expected = COLUMNS[kind]
    missing = [c for c in expected if c not in headers and c not in OPTIONAL]
    unknown = [h for h in headers if h not in expected]
    if missing or unknown or len(set(headers)) != len(headers):
        raise ExamError(
            f"The first row must name the columns {', '.join(expected)}"
            f"{' (domain is optional)' if kind == ImportKind.KEY else ''}; "
            f"this file has {', '.join(h or '(blank)' for h in headers)}."
        )
    positions = {name: headers.index(name) for name in headers}
    rows = dataset[:]  # every row, as tuples of text
    for number, row in enumerate(rows, start=2):
        for name, index in positions.items():
            if is_formula(row[index]):
                report.error(
                    number,
                    f"the {name} cell {_show(row[index])} would run as a formula; "
                    "write it as plain text",
                )
    if report.error_count:
        return
    checker = {ImportKind.KEY: _check_key, ImportKind.SBA: _check_sba, ImportKind.OSCE: _check_osce}
    checker[kind](sitting, component, rows, positions, report)


def _show(value: str) -> str:
    value = value if len(value) <= 30 else value[:30] + "…"
    return f'"{value}"'


def _cell(row, positions, name) -> str:
    index = positions.get(name)
    return (row[index] or "").strip() if index is not None else ""


def _check_key(sitting, component, rows, positions, report):
    if Mark.objects.filter(item__sitting=sitting, item__component=component).exists():
        raise ExamError(
            f"Responses for {component.name} are imported already: the key can no longer change."
        )
    letters = "ABCDEFGH"[: component.options]
    seen = {}
    for number, row in enumerate(rows, start=2):
        code, answer = _cell(row, positions, "item"), _cell(row, positions, "answer").upper()
        domain = _cell(row, positions, "domain")
        if not IDENTIFIER.fullmatch(code):
            report.error(number, f"item {_show(code)} is not an item id (letters, digits, - _ .)")
            continue
        if code in seen:
            report.error(number, f"item {code} appears again (first on row {seen[code]})")
            continue
        seen[code] = number
        if answer not in letters or not answer:
            report.error(number, f"answer {_show(answer)} is not one of {', '.join(letters)}")
        if len(domain) > 60:
            report.error(number, "the domain is longer than 60 characters")
        report.parsed.append((code, answer, domain))
    if len(seen) > component.item_count:
        report.error(
            len(rows) + 1,
            f"{len(seen)} items: {component.name} has {component.item_count} questions",
        )
    taken = set(
        Item.objects.filter(sitting=sitting)
        .exclude(component=component)
        .values_list("code", flat=True)
    )
    for code, number in seen.items():
        if code in taken:
            report.error(number, f"item {code} is already an item of another paper of this sitting")
    report.summary = f"{len(seen)} questions with their answers."


def _bookings(sitting) -> dict[int, int]:
    """Confirmed bookings by candidate number as a number: a spreadsheet that stored 0042 as
    the number 42 still finds the candidate."""
    return {
        int(number): pk
        for number, pk in Booking.objects.filter(
            sitting=sitting, status=BookingStatus.CONFIRMED
        ).values_list("candidate_number", "pk")
    }


def _booking(bookings, candidate: str):
    return bookings.get(int(candidate)) if CANDIDATE_NUMBER.fullmatch(candidate) else None


def _check_sba(sitting, component, rows, positions, report):
    items = {
        code: (pk, answer)
        for code, pk, answer in Item.objects.filter(
            sitting=sitting, component=component
        ).values_list("code", "pk", "answer")
    }
    if not items:
        raise ExamError(f"Import the answer key for {component.name} first.")
    bookings = _bookings(sitting)
    letters = "ABCDEFGH"[: component.options]
    seen: dict[tuple[int, int], int] = {}
    for number, row in enumerate(rows, start=2):
        candidate = _cell(row, positions, "candidate_number")
        code = _cell(row, positions, "item")
        option = _cell(row, positions, "option").upper()
        booking = _booking(bookings, candidate)
        item = items.get(code)
        if booking is None:
            report.error(
                number, f"candidate number {_show(candidate)} has no place at this sitting"
            )
            continue
        if item is None:
            report.error(number, f"item {_show(code)} is not in the answer key of {component.name}")
            continue
        if option and (len(option) != 1 or option not in letters):
            report.error(
                number, f"option {_show(option)} is not one of {', '.join(letters)} or blank"
            )
            continue
        pair = (booking, item[0])
        if pair in seen:
            report.error(
                number,
                f"candidate {candidate} item {code} appears again (first on row {seen[pair]})",
            )
            continue
        seen[pair] = number
        report.parsed.append((booking, item[0], option, 1.0 if option == item[1] else 0.0, None))
    candidates = len({b for b, _ in seen})
    report.summary = (
        f"{len(seen):,} responses from {candidates:,} candidates to {len(items)} questions."
    )


def _check_osce(sitting, component, rows, positions, report):
    bookings = _bookings(sitting)
    existing = dict(
        Item.objects.filter(sitting=sitting, component=component).values_list("code", "pk")
    )
    stations: dict[str, int] = {}
    seen: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows, start=2):
        candidate = _cell(row, positions, "candidate_number")
        station = _cell(row, positions, "station")
        score, grade = _cell(row, positions, "score"), _cell(row, positions, "grade")
        booking = _booking(bookings, candidate)
        if booking is None:
            report.error(
                number, f"candidate number {_show(candidate)} has no place at this sitting"
            )
            continue
        if not IDENTIFIER.fullmatch(station):
            report.error(number, f"station {_show(station)} is not a station id")
            continue
        if not NUMBER.fullmatch(score) or not 0 <= float(score) <= component.max_score:
            report.error(
                number, f"score {_show(score)} is not a number from 0 to {component.max_score}"
            )
            continue
        if not CANDIDATE_NUMBER.fullmatch(grade) or not 1 <= int(grade) <= component.max_grade:
            report.error(
                number,
                f"grade {_show(grade)} is not a whole number from 1 to {component.max_grade}",
            )
            continue
        pair = (booking, station)
        if pair in seen:
            report.error(
                number,
                f"candidate {candidate} station {station} appears again "
                f"(first on row {seen[pair]})",
            )
            continue
        seen[pair] = number
        stations.setdefault(station, number)
        report.parsed.append((booking, station, "", float(score), int(grade)))
    if existing and stations:
        for station, number in stations.items():
            if station not in existing:
                report.error(number, f"station {station} is not a station of this sitting")
    if len(stations) > component.item_count:
        report.error(
            len(rows) + 1, f"{len(stations)} stations: {component.name} has {component.item_count}"
        )
    taken = set(
        Item.objects.filter(sitting=sitting)
        .exclude(component=component)
        .values_list("code", flat=True)
    )
    for station, number in stations.items():
        if station in taken:
            report.error(number, f"station {station} is already an item of another component")
    report.summary = (
        f"{len(seen):,} station scores from {len({b for b, _ in seen}):,} candidates "
        f"at {len(stations)} stations."
    )
