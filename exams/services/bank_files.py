"""The question bank as a file: export (CSV or Excel) and import through the same checks as
results files (portal.spreadsheets): all or nothing, every problem listed by row, a dry run
that saves nothing, and the same file imported again changes nothing.

Columns: code, domain, question, option_a ... option_e, key, tags (separated by ";") and
explanation. A new code makes a new question; a known code whose words differ makes its next
version (or changes a draft no paper uses); a known code with the same words is left as it is.
Every imported version is a draft: a second person reviews and approves it in the portal.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction

from exams.models import Question, QuestionState, QuestionVersion
from exams.services import bank
from exams.services.errors import ExamError
from exams.spreadsheets import export_rows
from portal.spreadsheets import TableLimits, TableRefused, cell_text, is_formula, read_rows

COLUMNS = [
    "code",
    "domain",
    "question",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "option_e",
    "key",
    "tags",
    "explanation",
]
REQUIRED = {"code", "domain", "question", "option_a", "option_b", "option_c", "option_d", "key"}
LIMITS = TableLimits(
    max_bytes=4 * 1024 * 1024,
    max_rows=5000,
    max_columns=20,
    max_unzipped_bytes=50 * 1024 * 1024,
    wrong_type="Upload a CSV file (.csv) or an Excel workbook (.xlsx).",
)


@dataclass
class BankImport:
    new: list = field(default_factory=list)  # codes
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # "Row 3: ..."
    rows: list = field(default_factory=list)  # (code, content) checked

    @property
    def ok(self) -> bool:
        return not self.errors


def export(exam, *, fmt: str) -> bytes:
    """Each question's latest version (retired ones included, with their state)."""
    rows = []
    for version in bank.latest_versions(exam):
        options = list(version.options) + [""] * (5 - len(version.options))
        rows.append(
            [
                version.question.code,
                version.domain,
                version.stem,
                *options,
                version.key,
                "; ".join(version.tags),
                version.explanation,
                version.number,
                version.get_state_display(),
            ]
        )
    return export_rows([*COLUMNS, "version", "state"], rows, fmt=fmt)


def _content(version) -> tuple:
    return (
        version.stem,
        tuple(version.options),
        version.key,
        version.domain,
        tuple(version.tags),
        version.explanation,
    )


def check(exam, data: bytes, filename: str) -> BankImport:
    """Read and check every row; nothing is saved."""
    report = BankImport()
    try:
        rows = read_rows(data, filename, limits=LIMITS)
    except TableRefused as exc:
        report.errors.append(exc.message)
        return report
    if not rows:
        report.errors.append("The file is empty.")
        return report
    header = [cell_text(cell).strip().lower() for cell in rows[0]]
    missing = sorted(REQUIRED - set(header))
    if missing:
        report.errors.append(
            f"Row 1: the first row must name the columns; missing: {', '.join(missing)}."
        )
        return report
    position = {name: header.index(name) for name in COLUMNS if name in header}
    latest = {v.question.code: v for v in bank.latest_versions(exam)}
    seen = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell_text(cell).strip() for cell in row):
            continue
        cells = {
            name: cell_text(row[index]).strip() if index < len(row) else ""
            for name, index in position.items()
        }
        formula = [name for name, value in cells.items() if is_formula(value)]
        if formula:
            report.errors.append(
                f"Row {number}: {formula[0]} starts like a spreadsheet formula; remove the "
                "leading =, +, - or @."
            )
            continue
        code = cells["code"]
        if code in seen:
            report.errors.append(f"Row {number}: {code} appears twice in the file.")
            continue
        seen.add(code)
        if not bank.CODE.fullmatch(code):
            report.errors.append(
                f"Row {number}: the code must be up to 30 letters, digits, dots, dashes or "
                "underscores."
            )
            continue
        try:
            content = bank.clean_content(
                stem=cells["question"],
                options=[cells.get(f"option_{x}", "") for x in "abcde" if cells.get(f"option_{x}")],
                key=cells["key"],
                domain=cells["domain"],
                tags=[t for t in cells.get("tags", "").split(";") if t.strip()],
                explanation=cells.get("explanation", ""),
            )
        except ExamError as exc:
            report.errors.append(f"Row {number}: {exc}")
            continue
        version = latest.get(code)
        if version is None:
            report.new.append(code)
        elif version.state == QuestionState.RETIRED:
            report.errors.append(f"Row {number}: {code} is retired and cannot change.")
            continue
        elif _content(version) == (
            content["stem"],
            tuple(content["options"]),
            content["key"],
            content["domain"],
            tuple(content["tags"]),
            content["explanation"],
        ):
            report.unchanged.append(code)
        else:
            report.changed.append(code)
        report.rows.append((code, content))
    return report


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_bank(exam, data: bytes, filename: str, *, by) -> BankImport:
    """Check the file again and write it all, or nothing (the first problem stops it)."""
    report = check(exam, data, filename)
    if not report.ok:
        return report
    with transaction.atomic():
        latest = {v.question.code: v for v in bank.latest_versions(exam)}
        for code, content in report.rows:
            if code in report.unchanged:
                continue
            if code in latest:
                bank.revise_question(version=latest[code], by=by, **content)
            else:
                bank.write_question(exam=exam, code=code, by=by, **content)
    return report


def version_count(exam) -> int:
    return QuestionVersion.objects.filter(question__exam=exam).count()


def question_count(exam) -> int:
    return Question.objects.filter(exam=exam).count()
