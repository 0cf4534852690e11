"""Checking the rows of a framework spreadsheet, every row before any is written.

Rows are numbered as a spreadsheet shows them: the column names are row 1. A row that gives a
domain_title describes its domain (title, order and evidence limits, as written); other rows
may name the domain by code alone. A domain_code that is neither in the draft nor described
in the file is an unknown domain.
"""

from collections import defaultdict

from portal.spreadsheets import is_formula
from portfolio.frameworks_files import COLUMNS

MAX_NUMBER = 10_000
# column → (longest text allowed, message when it is required but blank)
TEXT_COLUMNS = {
    "domain_code": (30, "enter the domain code"),
    "domain_title": (200, None),
    "code": (30, "enter the competency code"),
    "title": (300, "enter the competency title"),
    "descriptor": (5000, None),
    "level": (100, None),
}
# column → the value a blank cell means
NUMBER_COLUMNS = {
    "domain_order": 0,
    "domain_min_evidence": None,
    "domain_max_evidence": None,
    "min_evidence": 1,
    "max_evidence": None,
    "order": 0,
}
DOMAIN_FIELDS = {
    "title": "domain_title",
    "order": "domain_order",
    "min_evidence": "domain_min_evidence",
    "max_evidence": "domain_max_evidence",
}
COMPETENCY_FIELDS = (
    "code",
    "title",
    "descriptor",
    "level",
    "min_evidence",
    "max_evidence",
    "order",
)

Problem = tuple[str | None, str]  # (column or None, what is wrong)


def format_problem(number: int, column: str | None, text: str) -> str:
    return f"Row {number}, column {column}: {text}" if column else f"Row {number}: {text}"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
        raise ValueError
    return value


class RowChecker:
    """Feed it every row with check(); finish() gives (problems, cleaned rows) by row number."""

    def __init__(self, *, known_domains: set[str]):
        self.known_domains = known_domains
        self.problems: dict[int, list[Problem]] = defaultdict(list)
        self.cleaned: dict[int, dict] = {}
        self.domains: dict[str, dict] = {}  # domain code → fields, as described in the file
        self._described_on: dict[str, int] = {}
        self._broken_domains: set[str] = set()
        self._codes: dict[str, int] = {}
        self._uses: list[tuple[int, str]] = []

    def check(self, number: int, row: dict) -> None:
        if all(_blank(value) for value in row.values()):
            return
        problems: list[Problem] = []
        values = self._clean_cells(row, problems)
        for prefix in ("", "domain_"):
            low, high = values.get(f"{prefix}min_evidence"), values.get(f"{prefix}max_evidence")
            if low is not None and high is not None and low > high:
                problems.append(
                    (
                        None,
                        f"{prefix}min_evidence ({low}) is more than {prefix}max_evidence ({high})",
                    )
                )
        code, domain_code = values.get("code"), values.get("domain_code")
        if code:
            if code in self._codes:
                problems.append(
                    (
                        None,
                        f"competency code {code} appears twice (first on row {self._codes[code]})",
                    )
                )
            else:
                self._codes[code] = number
        if domain_code:
            self._uses.append((number, domain_code))
            if values.get("domain_title"):
                self._describe_domain(number, domain_code, values, problems)
        if problems:
            self.problems[number] = problems
        else:
            self.cleaned[number] = {
                "domain_code": domain_code,
                **{name: values[name] for name in COMPETENCY_FIELDS},
            }

    def _clean_cells(self, row: dict, problems: list[Problem]) -> dict:
        values = {}
        for column in COLUMNS:
            value = row.get(column)
            if is_formula(value):
                problems.append((column, "formulas are not allowed"))
            elif column in TEXT_COLUMNS:
                longest, required = TEXT_COLUMNS[column]
                text = "" if value is None else str(value).strip()
                if required and not text:
                    problems.append((column, required))
                elif len(text) > longest:
                    problems.append((column, f"must be {longest:,} characters or fewer"))
                else:
                    values[column] = text
            elif _blank(value):
                values[column] = NUMBER_COLUMNS[column]
            else:
                try:
                    values[column] = _number(value)
                except ValueError:
                    problems.append(
                        (column, f"enter a whole number from 0 to {MAX_NUMBER:,}, like 2")
                    )
        return values

    def _describe_domain(self, number, domain_code, values, problems) -> None:
        if any(column not in values for column in DOMAIN_FIELDS.values()) or problems:
            self._broken_domains.add(domain_code)
            return
        fields = {name: values[column] for name, column in DOMAIN_FIELDS.items()}
        if domain_code not in self.domains:
            self.domains[domain_code] = fields
            self._described_on[domain_code] = number
        elif self.domains[domain_code] != fields:
            problems.append(
                (
                    None,
                    f"domain {domain_code} is described differently on row "
                    f"{self._described_on[domain_code]}",
                )
            )

    def finish(self) -> tuple[dict[int, list[Problem]], dict[int, dict]]:
        for number, domain_code in self._uses:
            if (
                domain_code not in self.known_domains
                and domain_code not in self.domains
                and domain_code not in self._broken_domains
            ):
                self.problems[number].append(
                    (None, f"unknown domain {domain_code}; give it a domain_title to create it")
                )
                self.cleaned.pop(number, None)
        return dict(sorted(self.problems.items())), self.cleaned
