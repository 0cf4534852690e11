"""accreditation.api: the contract the public Wagtail pages code against."""

import datetime

import pytest

from accreditation import api
from accreditation.models import ApplicationWindow, EligibilityRule, EvidenceRule, Pathway
from accreditation.standard_pathways import ensure_standard_pathways

pytestmark = pytest.mark.django_db


def test_four_standard_pathways_exist_after_migrate():
    assert ensure_standard_pathways() == 0  # made already, after migrate
    codes = list(api.published_pathways().values_list("code", flat=True))
    assert codes == [
        "gpwer-msk",
        "msk-advanced-practice",
        "sport-exercise-therapist",
        "first-contact-practitioner",
    ]
    assert set(api.PUBLIC_FACT_MODELS) == {
        Pathway,
        ApplicationWindow,
        EligibilityRule,
        EvidenceRule,
    }


def test_gpwer_facts_in_words(django_assert_num_queries):
    pathway = Pathway.objects.get(code="gpwer-msk")
    with django_assert_num_queries(5):
        facts = api.pathway_facts(pathway, today=datetime.date(2026, 3, 20))
    assert facts.name == "GP with Extended Role (GPwER) in MSK"
    assert facts.credential_name == "GP with Extended Role (GPwER) in MSK"
    assert facts.fee_text == "£850"
    assert facts.open_window == (datetime.date(2026, 3, 16), datetime.date(2026, 4, 16))
    assert facts.next_window == (datetime.date(2026, 8, 17), datetime.date(2026, 9, 17))
    assert facts.eligibility[0] == "You hold an active Diploma in MSK Medicine credential."
    assert "General Medical Council (GMC)" in facts.eligibility[1]
    assert "Evidence for capability CiP1: at least 1 item." in facts.evidence_rules
    assert facts.start_url == "/accreditation/start/gpwer-msk/"


def test_between_windows_there_is_no_open_one():
    facts = api.pathway_facts(
        Pathway.objects.get(code="gpwer-msk"), today=datetime.date(2026, 5, 1)
    )
    assert facts.open_window is None
    assert facts.next_window == (datetime.date(2026, 8, 17), datetime.date(2026, 9, 17))


def test_the_query_count_does_not_grow_with_rules(django_assert_num_queries):
    pathway = Pathway.objects.get(code="msk-advanced-practice")
    for n in range(5):
        EligibilityRule.objects.create(
            pathway=pathway, kind="holds_credential", credential_type_code="mfsem", order=10 + n
        )
        EvidenceRule.objects.create(pathway=pathway, kind="total", maximum=40 + n, order=10 + n)
    with django_assert_num_queries(5):
        facts = api.pathway_facts(pathway)
    assert facts.eligibility[-1].startswith("You hold an active Membership")


def test_every_recorded_action_has_words():
    import re
    from pathlib import Path

    from portal.audit_words import describe_action

    source = "".join(p.read_text() for p in Path("accreditation/services").glob("*.py"))
    actions = set(re.findall(r'"accreditation\.([a-z_]+)"', source))
    actions |= set(re.findall(r'audit="([a-z_]+)"', source))
    actions |= {"approved", "declined", "appeal_upheld", "appeal_dismissed"}  # action=str(to)
    actions.discard("application")  # the credential's Source, not an action
    for action in actions:
        assert not describe_action(f"accreditation.{action}").startswith("Accreditation:"), action
