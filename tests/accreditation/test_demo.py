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
    assert set(State.values) - states == {State.APPEAL_UPHELD}
    in_review = Application.objects.get(state=State.IN_REVIEW)
    assert {a.assessor.email for a in in_review.allocations.all()} == {
        "assessor@demo.msk-portal.example",
        "lead.assessor@demo.msk-portal.example",
    }
    assert in_review.rounds.get().reviews.count() == 1
    assert Application.objects.count() == 14
