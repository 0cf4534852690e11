"""Renewal: from 90 days before expiry, on evidence since the last award; approval
supersedes the old credential through the credentials app."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import EvidenceRule, State
from accreditation.services import transitions
from credentials import api as credentials_api
from credentials.services.lifecycle import run_daily_checks
from tests.accreditation import builders
from tests.accreditation.builders import EvidenceItemFactory
from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(pathway, ready):
    for kind in ("cpd_certificate", "patient_feedback", "msf"):
        EvidenceRule.objects.create(
            pathway=pathway, kind="required_kind", evidence_kind=kind, applies_to="renewal"
        )
    return ready


def _credential(user, ends_in_days):
    today = timezone.localdate()
    return make_credential(
        user,
        kind="gpwer_msk",
        valid_from=today - datetime.timedelta(days=1000),
        valid_until=today + datetime.timedelta(days=ends_in_days),
    )


def _evidence_since(user, credential):
    day = credential.valid_from + datetime.timedelta(days=30)
    for kind in ("cpd_certificate", "patient_feedback", "msf"):
        EvidenceItemFactory(owner=user, kind=kind, date=day, title=f"Recent {kind}")
    EvidenceItemFactory(
        owner=user,
        kind="patient_feedback",
        date=credential.valid_from - datetime.timedelta(days=5),
        title="Old feedback",
    )


def test_too_early_and_someone_elses_credential_are_refused(holder, outsider):
    early = _credential(holder, 200)
    with pytest.raises(AccreditationError, match="from"):
        transitions.start_renewal(applicant=holder, credential=early)
    due = _credential(holder, 60)
    with pytest.raises(AccreditationError, match="your own"):
        transitions.start_renewal(applicant=outsider, credential=due)


def test_renewal_on_evidence_since_the_award_supersedes_the_old_credential_when_it_starts(
    pathway, holder, faculty_staff, assessors, lead_assessor
):
    from accreditation.services import allocation

    old = _credential(holder, 60)
    application = transitions.start_renewal(applicant=holder, credential=old)
    with pytest.raises(AccreditationError, match="CPD"):
        transitions.submit_application(application=application, by=holder)
    _evidence_since(holder, old)
    transitions.update_declaration(
        application=application,
        by=holder,
        extended_role="MSK clinic",
        supervisor_name="Dr Sup",
        supervisor_email="sup@example.org",
    )
    transitions.submit_application(application=application, by=holder)
    snapshot = application.rounds.get()
    titles = {item["title"] for item in snapshot.items}
    assert "Recent cpd_certificate" in titles and "Old feedback" not in titles
    builders.paid_and_complete(application, faculty_staff)
    for assessor in assessors:
        allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
        allocation.declare_no_conflict(application=application, assessor=assessor)
    for assessor in assessors:
        builders.review(application, assessor)
    application.refresh_from_db()
    builders.approve(application, lead_assessor)
    application.refresh_from_db()
    assert application.state == State.APPROVED
    new = credentials_api.credential_for_source(
        credentials_api.Source("accreditation.application", application.pk)
    )
    old.refresh_from_db()
    assert new.valid_from == old.valid_until + datetime.timedelta(days=1)
    # Renewed 60 days before the end: the old credential stays valid until the renewal
    # starts (never a gap on the register), and the daily run supersedes it that day.
    assert credentials_api.public_record(old).is_valid
    with pytest.raises(AccreditationError, match=f"renewed already, as {new.serial}"):
        transitions.start_renewal(applicant=holder, credential=old)
    run_daily_checks(today=new.valid_from)
    old.refresh_from_db()
    assert credentials_api.public_record(old).status == "superseded"


def test_renewal_pages(client, holder):
    credential = _credential(holder, 60)
    client.force_login(holder)
    page = client.get(reverse("accreditation:my_applications")).content.decode()
    assert f"Renew GP with Extended Role (GPwER) in MSK ({credential.serial})" in page
    response = client.post(reverse("accreditation:renew", args=[credential.serial]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"Renewal of {credential.serial}" in page
    assert "Renewals can be submitted at any time" in page
