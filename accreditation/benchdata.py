"""Benchmark applications (manage.py bench_data), loaded with COPY: each with its first review
round, its timeline and two assessors, one of whom is sometimes the bench assessor."""

import datetime
import json
import random

from django.utils import timezone

from accreditation.models import (
    Allocation,
    Application,
    ApplicationEvent,
    AssessorTraining,
    Pathway,
    ReviewRound,
    State,
)
from accreditation.standard_pathways import ensure_standard_pathways
from portal.bulk import Timings, analyse, copy_rows, next_id, reset_sequence

SNAPSHOT = json.dumps({"outline": [], "items": []})


def generate(
    *,
    applicants: list[int],
    assessors: list[int],
    queue_assessor: int,
    queue_length: int,
    seed: int,
    timings: Timings,
) -> None:
    """One application for each of APPLICANTS (ids; the first gets an application in review).
    QUEUE_ASSESSOR is allocated to about QUEUE_LENGTH applications, ASSESSORS to the rest."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    ensure_standard_pathways()
    pathways = list(Pathway.objects.order_by("code"))
    for pathway in pathways:
        for assessor in (queue_assessor, *assessors):
            AssessorTraining.objects.get_or_create(assessor_id=assessor, pathway=pathway)
    states = [s.value for s in State if s != State.DRAFT]
    now = timezone.now()
    first_app = next_id(Application._meta.db_table)
    chosen = []  # (id, applicant, pathway, state, changed)
    every = max(1, len(applicants) // max(1, queue_length))
    for k, applicant in enumerate(applicants):
        state = State.IN_REVIEW.value if k == 0 or k % every == 0 else rng.choice(states)
        changed = now - datetime.timedelta(hours=rng.randrange(1, 24 * 400))
        chosen.append((first_app + k, applicant, pathways[k % len(pathways)], state, changed))

    with timings.table("accreditation_application") as t:
        t["rows"] = copy_rows(
            Application._meta.db_table,
            ["id", "applicant_id", "pathway_id", "state", "state_changed_at", "extended_role"]
            + ["supervisor_name", "supervisor_email", "returned_reasons"]
            + ["more_evidence_capabilities", "more_evidence_note", "fee_status", "fee_reference"]
            + ["submitted_at", "created_at"],
            (
                (pk, applicant, pathway.pk, state, changed, "", "", "", "", "[]", "", "paid", "")
                + (changed, changed - datetime.timedelta(days=30))
                for pk, applicant, pathway, state, changed in chosen
            ),
        )
    with timings.table("accreditation_reviewround") as t:
        first = next_id(ReviewRound._meta.db_table)
        t["rows"] = copy_rows(
            ReviewRound._meta.db_table,
            ["id", "application_id", "number", "framework_code", "framework_version"]
            + ["snapshot", "submitted_at", "origin"],
            (
                (first + k, pk, 1, pathway.framework_code, 1, SNAPSHOT, changed, "submitted")
                for k, (pk, _, pathway, _, changed) in enumerate(chosen)
            ),
        )
    with timings.table("accreditation_applicationevent") as t:
        first = next_id(ApplicationEvent._meta.db_table)

        def events():
            n = first
            for pk, _, _, state, changed in chosen:
                for from_state, to_state in (("", "draft"), ("draft", "submitted")) + (
                    ("submitted", state),
                ):
                    yield (n, pk, from_state, to_state, "", changed)
                    n += 1

        t["rows"] = copy_rows(
            ApplicationEvent._meta.db_table,
            ["id", "application_id", "from_state", "to_state", "note", "at"],
            events(),
        )
    with timings.table("accreditation_allocation") as t:
        first = next_id(Allocation._meta.db_table)

        def allocations():
            n = first
            for k, (pk, _, _, state, changed) in enumerate(chosen):
                pair = rng.sample(assessors, 2)
                if state == State.IN_REVIEW and (k == 0 or k % every == 0):
                    pair[0] = queue_assessor
                for assessor in pair:
                    yield (n, pk, assessor, None, changed, changed, None, "", "")
                    n += 1

        t["rows"] = copy_rows(
            Allocation._meta.db_table,
            ["id", "application_id", "assessor_id", "allocated_by_id", "allocated_at"]
            + ["no_conflict_declared_at", "ended_at", "end_reason", "conflict_reason"],
            allocations(),
        )
    tables = [
        Application._meta.db_table,
        ReviewRound._meta.db_table,
        ApplicationEvent._meta.db_table,
        Allocation._meta.db_table,
    ]
    for table in tables:
        reset_sequence(table)
    analyse(*tables)
