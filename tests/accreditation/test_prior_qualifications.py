"""A GP who passed the Diploma in MSK Medicine before the portal (or holds an equivalent the
pathway accepts) declares it with the certificate; an administrator verifies it during the
completeness check. Before this, the checklist demanded a credential the GP could not get."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    EligibilityRule,
    PriorQualification,
    QualificationStatus,
    State,
)
from accreditation.services import fees, qualifications, transitions
from accreditation.services.rules import checklist
from credentials.models import Credential
from portfolio.models import EvidenceItem
from tests.accreditation import builders
from tests.exams.factories import make_sitting
from tests.factories import make_persona

pytestmark = pytest.mark.django_db

NAMES = "FSEM Diploma in MSK Medicine (passed before this portal)\nMSc in Sports Medicine"


@pytest.fixture
def rule(pathway):
    rule = EligibilityRule.objects.get(pathway=pathway, kind="holds_credential")
    rule.accepts_declaration = True
    rule.accepted_qualifications = NAMES
    rule.save()
    return rule


@pytest.fixture
def gp(pathway, applicant):
    """Meets every rule but the diploma: it was passed before the portal."""
    builders.ready_applicant(pathway, applicant)
    Credential.objects.filter(holder=applicant, kind_id="diploma_msk_medicine").delete()
    return applicant


def _certificate(name="certificate.txt", body=b"Diploma in MSK Medicine, awarded 2019\n"):
    from portfolio.api import inspect_upload

    return [inspect_upload(SimpleUploadedFile(name, body, content_type="text/plain"))]


def _declare(application, gp, rule, **overrides):
    values = dict(
        application=application,
        by=gp,
        rule=rule,
        qualification="FSEM Diploma in MSK Medicine (passed before this portal)",
        awarding_body="Faculty of Sport and Exercise Medicine UK",
        awarded_on=datetime.date(2019, 6, 14),
        uploads=_certificate(),
    )
    values.update(overrides)
    return qualifications.declare_qualification(**values)


def _diploma_line(application):
    return next(line for line in checklist(application).lines if "Diploma" in line.text)


def test_without_a_route_the_line_links_to_declaring_and_the_next_sitting(pathway, gp, rule):
    sitting = make_sitting("diploma-msk-medicine", label="Spring 2027")
    application = builders.draft(pathway, gp)
    line = _diploma_line(application)
    assert not line.met
    assert line.fix_url == reverse("accreditation:qualification", args=[application.pk, rule.pk])
    assert line.fix_text == "Declare a qualification you hold"
    assert line.more_url == reverse("exams:apply", args=[sitting.pk])
    assert "Spring 2027" in line.more_text


def test_a_rule_that_accepts_no_declaration_still_offers_the_next_sitting(pathway, gp):
    make_sitting("diploma-msk-medicine")
    application = builders.draft(pathway, gp)
    line = _diploma_line(application)
    assert not line.met and line.fix_text == "See your credentials" and line.more_url


def test_declared_then_submitted_then_verified_before_complete(
    pathway, gp, rule, faculty_staff, django_capture_on_commit_callbacks
):
    application = builders.draft(pathway, gp)
    with django_capture_on_commit_callbacks(execute=True):
        declaration = _declare(application, gp, rule)
    assert "A prior qualification to verify" in mail.outbox[-1].subject
    line = _diploma_line(application)
    assert line.met and "the faculty verifies it" in line.text
    # The certificate is in the portfolio, locked, and its files are frozen.
    item = EvidenceItem.objects.get(pk=declaration.certificate_id)
    assert item.kind == "qualification" and item.locked_at is not None
    assert declaration.files[0]["name"] == "certificate.txt"

    transitions.submit_application(application=application, by=gp)
    fees.record_fee(application=application, by=faculty_staff, status="paid")
    with pytest.raises(AccreditationError, match="not verified yet"):
        transitions.mark_complete(application=application, by=faculty_staff)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    qualifications.verify_declaration(
        declaration=declaration, by=faculty_staff, application=application
    )
    transitions.mark_complete(application=application, by=faculty_staff)
    application.refresh_from_db()
    assert application.state == State.COMPLETE
    declaration.refresh_from_db()
    assert declaration.status == QualificationStatus.VERIFIED
    assert "verified" in _diploma_line(application).text


def test_not_accepted_tells_the_applicant_why_and_the_line_is_not_met(
    pathway, gp, rule, faculty_staff, django_capture_on_commit_callbacks
):
    application = builders.draft(pathway, gp)
    declaration = _declare(application, gp, rule)
    with pytest.raises(AccreditationError, match="reason"):
        qualifications.reject_declaration(
            declaration=declaration, by=faculty_staff, application=application, reason=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        qualifications.reject_declaration(
            declaration=declaration,
            by=faculty_staff,
            application=application,
            reason="The certificate is unreadable.",
        )
    assert "The certificate is unreadable." in mail.outbox[-1].body
    line = _diploma_line(application)
    assert not line.met and "The certificate is unreadable." in line.text
    # Declaring again is allowed after a refusal.
    again = _declare(application, gp, rule)
    assert again.status == QualificationStatus.DECLARED


def test_only_an_administrator_verifies(pathway, gp, rule, assessors):
    application = builders.draft(pathway, gp)
    declaration = _declare(application, gp, rule)
    with pytest.raises(AccreditationError, match="administrator"):
        qualifications.verify_declaration(
            declaration=declaration, by=assessors[0], application=application
        )
    declaration.refresh_from_db()
    assert declaration.status == QualificationStatus.DECLARED


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"qualification": "A made-up degree"}, "Choose one of the qualifications"),
        ({"awarded_on": timezone.localdate() + datetime.timedelta(days=1)}, "between 1950"),
        ({"awarded_on": datetime.date(1900, 1, 1)}, "between 1950"),
        ({"awarding_body": ""}, "Enter the awarding body"),
        ({"awarding_body": "FSEM\u202e"}, "hidden"),
        ({"uploads": []}, "Upload your certificate"),
    ],
)
def test_bad_declarations_are_refused_and_change_nothing(pathway, gp, rule, overrides, message):
    application = builders.draft(pathway, gp)
    items = EvidenceItem.objects.count()
    with pytest.raises(AccreditationError, match=message):
        _declare(application, gp, rule, **overrides)
    assert PriorQualification.objects.count() == 0
    assert EvidenceItem.objects.count() == items


def test_a_second_declaration_replaces_a_waiting_one_but_not_a_verified_one(
    pathway, gp, rule, faculty_staff
):
    application = builders.draft(pathway, gp)
    first = _declare(application, gp, rule)
    second = _declare(application, gp, rule, qualification="MSc in Sports Medicine")
    first.refresh_from_db()
    assert first.status == QualificationStatus.WITHDRAWN
    qualifications.verify_declaration(declaration=second, by=faculty_staff, application=application)
    with pytest.raises(AccreditationError, match="verified your qualification already"):
        _declare(application, gp, rule)


def test_someone_elses_application_or_a_rule_of_another_pathway_is_refused(pathway, gp, rule):
    application = builders.draft(pathway, gp)
    other = make_persona(None)
    with pytest.raises(AccreditationError, match="Only the applicant"):
        _declare(application, other, rule)
    other_pathway = builders.make_pathway(code="other-path")
    foreign = EligibilityRule.objects.get(pathway=other_pathway, kind="holds_credential")
    with pytest.raises(AccreditationError, match="does not accept"):
        _declare(application, gp, foreign)


def test_the_page_declares_with_an_upload_and_shows_where_it_stands(client, pathway, gp, rule):
    application = builders.draft(pathway, gp)
    client.force_login(gp)
    url = reverse("accreditation:qualification", args=[application.pk, rule.pk])
    page = client.get(url).content.decode()
    assert "Declare a qualification you hold" in page and "MSc in Sports Medicine" in page
    bad = client.post(url, {"qualification": "MSc in Sports Medicine", "awarding_body": "X"})
    assert bad.status_code == 200 and "Error: " in bad.content.decode()
    assert PriorQualification.objects.count() == 0
    response = client.post(
        url,
        {
            "qualification": "MSc in Sports Medicine",
            "awarding_body": "University of Bath",
            "awarded_on_day": "14",
            "awarded_on_month": "6",
            "awarded_on_year": "2019",
            "files": SimpleUploadedFile("msc.txt", b"MSc certificate\n", content_type="text/plain"),
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Waiting for the faculty to verify" in page and "msc.txt" in page
    detail = client.get(reverse("accreditation:application", args=[application.pk]))
    assert "You declared your MSc in Sports Medicine" in detail.content.decode()


def test_the_pages_refuse_outsiders(client, pathway, gp, rule, faculty_staff):
    application = builders.draft(pathway, gp)
    declaration = _declare(application, gp, rule)
    url = reverse("accreditation:qualification", args=[application.pk, rule.pk])
    file_url = reverse(
        "accreditation:qualification_file",
        args=[application.pk, declaration.pk, declaration.files[0]["id"]],
    )
    client.force_login(make_persona(None))
    assert client.get(url).status_code == 404
    assert client.get(file_url).status_code == 404
    client.force_login(gp)
    assert client.get(file_url).status_code == 404  # the administrator's copy
    client.force_login(faculty_staff)
    assert client.get(file_url).status_code == 200
    page = client.get(reverse("accreditation:manage_application", args=[application.pk]))
    assert "Verify the qualification" in page.content.decode()


def test_the_administrator_verifies_on_the_application_page(
    client, pathway, gp, rule, faculty_staff
):
    application = builders.draft(pathway, gp)
    declaration = _declare(application, gp, rule)
    transitions.submit_application(application=application, by=gp)
    client.force_login(faculty_staff)
    url = reverse("accreditation:manage_application", args=[application.pk])
    assert "is not verified yet" in client.get(url).content.decode()
    response = client.post(
        url, {"action": "qualification_reject", "declaration": declaration.pk}, follow=True
    )
    assert "Enter the reason it is not accepted." in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == QualificationStatus.DECLARED
    client.post(url, {"action": "qualification_verify", "declaration": declaration.pk})
    declaration.refresh_from_db()
    assert declaration.status == QualificationStatus.VERIFIED
