"""Pathways are edited in the Django admin by administrators; hostile input changes nothing."""

import pytest
from django.urls import reverse

from accreditation.models import Application, EligibilityRule, Pathway
from tests.accreditation import builders

pytestmark = pytest.mark.django_db


def test_administrators_edit_pathways_and_their_rules_in_the_admin(client, faculty_staff):
    client.force_login(faculty_staff)
    pathway = Pathway.objects.get(code="gpwer-msk")
    assert client.get(reverse("admin:accreditation_pathway_changelist")).status_code == 200
    page = client.get(reverse("admin:accreditation_pathway_change", args=[pathway.pk]))
    assert page.status_code == 200
    assert "diploma_msk_medicine" in page.content.decode()
    assert client.get(reverse("admin:accreditation_assessortraining_add")).status_code == 200


def test_applications_are_read_only_in_the_admin(client, superuser, pathway, ready):
    application = builders.draft(pathway, ready)
    client.force_login(superuser)
    url = reverse("admin:accreditation_application_change", args=[application.pk])
    client.post(url, {"state": "approved"})
    application.refresh_from_db()
    assert application.state == "draft"
    assert client.get(reverse("admin:accreditation_application_add")).status_code == 403


def test_a_registered_rule_needs_known_registers():
    from django.core.exceptions import ValidationError

    rule = EligibilityRule(pathway=Pathway.objects.first(), kind="registered", regulators="gmc,xyz")
    with pytest.raises(ValidationError):
        rule.clean()


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"extended_role": "x" * 5001, "supervisor_name": "Dr A", "supervisor_email": "a@b.uk"},
            "Enter 5,000 characters or fewer.",
        ),
        (
            {"extended_role": "MSK", "supervisor_name": "Dr\u202eA", "supervisor_email": "a@b.uk"},
            "hidden or text-direction characters",
        ),
        (
            {"extended_role": "MSK", "supervisor_name": "Dr A", "supervisor_email": "dr@bücher.de"},
            "Enter an email address like",
        ),
    ],
)
def test_bad_declarations_are_refused_and_nothing_is_made(client, pathway, ready, data, message):
    client.force_login(ready)
    response = client.post(reverse("accreditation:start", args=[pathway.code]), data)
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_bad_decision_input_changes_nothing(
    client, pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    client.force_login(lead_assessor)
    url = reverse("accreditation:lead_application", args=[application.pk])
    for data in (
        {"outcome": "more_evidence", "reasons": "More", "capabilities": ["CAP1"]},
        {
            "outcome": "more_evidence",
            "reasons": "More",
            "capabilities": ["CAP1"],
            "deadline_0": "1",
            "deadline_1": "1",
            "deadline_2": "99999",
        },
        {"outcome": "sideways"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "recommended"
