"""Angoff judgements: imported from a file (judge, then one column per question) or entered
one judge at a time. Replacing a judge's row is all or nothing."""

import re

from django.db import transaction

from exams import sitting_states
from exams.models import AngoffJudgement, ComponentKind, Item, Sitting
from exams.services.errors import ExamError, refuse_if
from exams.sitting_states import SittingAction
from exams.spreadsheets import read_results_file
from portal.audit import record
from portal.spreadsheets import is_formula

JUDGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}")
PROBABILITY = re.compile(r"(0(\.[0-9]{1,6})?|1(\.0{1,6})?|\.[0-9]{1,6})")


def parse_judgements(sitting: Sitting, data: bytes, filename: str):
    """{judge: {item_id: probability}} and a list of (row, message) errors."""
    dataset = read_results_file(data, filename)
    items = dict(
        Item.objects.filter(sitting=sitting, component__kind=ComponentKind.SBA).values_list(
            "code", "pk"
        )
    )
    headers = list(dataset.headers or [])
    if not headers or headers[0] != "judge":
        raise ExamError("The first column must be judge, then one column per question.")
    errors: list[tuple[int, str]] = []
    for header in headers[1:]:
        if header not in {code.lower(): code for code in items}:
            errors.append((1, f"column {header[:30]!r} is not a question of this sitting"))
    lookup = {code.lower(): pk for code, pk in items.items()}
    judgements: dict[str, dict[int, float]] = {}
    for number, row in enumerate(dataset[:], start=2):
        judge = (row[0] or "").strip()
        if is_formula(judge) or not JUDGE.fullmatch(judge):
            errors.append((number, f"judge {judge[:30]!r} is not a name (letters and digits)"))
            continue
        if judge in judgements:
            errors.append((number, f"judge {judge} appears again"))
            continue
        values = {}
        for header, cell in zip(headers[1:], row[1:], strict=False):
            cell = (cell or "").strip()
            if is_formula(cell) or not PROBABILITY.fullmatch(cell):
                errors.append((number, f"{header}: {cell[:30]!r} is not a probability from 0 to 1"))
                continue
            if header in lookup:
                values[lookup[header]] = float(cell)
        judgements[judge] = values
    return judgements, errors


def save_judgements(sitting: Sitting, judgements: dict[str, dict[int, float]], *, by) -> int:
    with transaction.atomic():
        sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
        refuse_if(sitting_states.refusal(sitting, SittingAction.SAVE_JUDGEMENTS))
        AngoffJudgement.objects.filter(item__sitting=sitting, judge__in=list(judgements)).delete()
        rows = [
            AngoffJudgement(item_id=item_id, judge=judge, probability=p)
            for judge, values in judgements.items()
            for item_id, p in values.items()
        ]
        AngoffJudgement.objects.bulk_create(rows, batch_size=5000)
        record(
            "exams.angoff_judgements_saved",
            obj=sitting,
            actor=by,
            detail=f"{len(judgements)} judges, {len(rows)} judgements",
        )
        return len(rows)
