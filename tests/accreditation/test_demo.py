"""`make demo` seeds applications in every state through the real services, twice safely."""

import io

import pytest
from django.core.management import call_command

from accreditation.models import Application, Pathway, State
from accreditation.services.rules import open_window

pytestmark = pytest.mark.django_db


def test_demo_has_every_pathway_open_and_applications_in_every_state():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert all(open_window(p) for p in Pathway.objects.all())
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(State.values)
    in_review = Application.objects.get(state=State.IN_REVIEW)
    assert {a.assessor.email for a in in_review.allocations.all()} == {
        "assessor@demo.msk-portal.example",
        "lead.assessor@demo.msk-portal.example",
    }
    assert in_review.rounds.get().reviews.count() == 1
    assert Application.objects.count() == 16
    # An appeal upheld with a new review waits for fresh assessors; one upheld with the
    # decision changed is approved with its credential; a GP who passed the diploma before the
    # portal has declared it, and the administrator verifies it at the completeness check.
    from accreditation.models import AppealOutcome, QualificationStatus
    from accreditation.services.allocation import suggestions

    new_review = Application.objects.get(appeal__outcome=AppealOutcome.NEW_REVIEW)
    assert new_review.state == State.COMPLETE and new_review.rounds.count() == 2
    ruled_out = {s.assessor.email for s in suggestions(new_review) if s.conflict}
    assert "assessor@demo.msk-portal.example" in ruled_out
    changed = Application.objects.get(appeal__outcome=AppealOutcome.DECISION_CHANGED)
    assert changed.state == State.APPROVED
    submitted = Application.objects.get(state=State.SUBMITTED)
    declaration = submitted.applicant.prior_qualifications.get()
    assert declaration.status == QualificationStatus.DECLARED
