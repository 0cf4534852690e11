"""The supervisor's structured reference: the portal asks the supervisor named on the
application by a single-use link, the supervisor answers without an account, the applicant
never uploads it nor reads it, and the assessors read it in the frozen round."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import ReferenceStatus, State, SupervisorReference
from accreditation.services import references, transitions
from accreditation.services.rules import checklist
from portal.audit import AuditEvent
from portal.logfilters import redact
from tests.accreditation import builders

pytestmark = pytest.mark.django_db

FORM = {
    "specialty": "orthopaedics",
    "post": "Consultant orthopaedic surgeon, Riverside MSK service",
    "registration": "GMC 4000002",
    "months": "24",
    "concerns": "no",
    "comment": "A careful GP.\nSeen in joint clinics.",
    "declaration": "on",
}


@pytest.fixture
def application(pathway, ready):
    return builders.draft(pathway, ready, reference=False)


def _ask(client, application, capture):
    client.force_login(application.applicant)
    with capture(execute=True):
        response = client.post(reverse("accreditation:reference", args=[application.pk]))
    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if m.to == ["sup@example.org"]]
    return re.search(r"https?://[^/\s]+(/accreditation/reference/\S+/)", message.body)[1]


def _reference_line(application):
    return next(
        line for line in checklist(application).lines if "structured reference" in line.text
    )


def test_the_supervisor_is_asked_by_email_and_answers_without_an_account(
    client, application, django_capture_on_commit_callbacks
):
    assert not _reference_line(application).met
    link = _ask(client, application, django_capture_on_commit_callbacks)
    assert "Not yet: we asked Dr Sup on" in _reference_line(application).text

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Structured reference for" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, FORM)
    assert "Your reference has been given" in response.content.decode()

    reference = SupervisorReference.objects.get(application=application)
    assert reference.status == ReferenceStatus.GIVEN
    assert reference.answers["post"] == FORM["post"]
    assert reference.answers["comment"] == "A careful GP.\nSeen in joint clinics."
    assert _reference_line(application).met
    told = [m for m in mail.outbox if m.to == [application.applicant.email]]
    assert told[-1].subject.startswith("Your supervisor has given their reference")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accreditation.reference_requested", "accreditation.reference_given"} <= actions


def test_a_link_works_once(client, application, django_capture_on_commit_callbacks):
    link = _ask(client, application, django_capture_on_commit_callbacks)
    client.logout()
    client.post(link, FORM)
    again = client.post(link, {**FORM, "post": "Someone else"})
    assert "This link has already been used" in again.content.decode()
    assert SupervisorReference.objects.get().answers["post"] == FORM["post"]


def test_an_expired_link_shows_nothing_of_the_gp(
    client, application, django_capture_on_commit_callbacks
):
    link = _ask(client, application, django_capture_on_commit_callbacks)
    SupervisorReference.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()
    page = client.get(link)
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()
    assert "Structured reference for" not in page.content.decode()
    assert client.post(link, FORM).status_code == 410
    assert SupervisorReference.objects.get().status == ReferenceStatus.REQUESTED
    assert "expired on" in _reference_line(application).text


def test_asking_again_replaces_the_waiting_link(
    client, application, django_capture_on_commit_callbacks
):
    first = _ask(client, application, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    second = _ask(client, application, django_capture_on_commit_callbacks)
    assert first != second
    client.logout()
    assert "This link is no longer valid" in client.get(first).content.decode()
    assert client.get(second).status_code == 200


def test_at_most_three_requests_a_day(application):
    for _ in range(references.REQUESTS_PER_DAY):
        references.request_reference(application=application, by=application.applicant)
    with pytest.raises(AccreditationError, match="the most we send"):
        references.request_reference(application=application, by=application.applicant)
    assert SupervisorReference.objects.filter(status=ReferenceStatus.REQUESTED).count() == 1


def test_the_applicant_cannot_be_their_own_supervisor(application):
    application.supervisor_email = application.applicant.email.upper()
    application.save()
    with pytest.raises(AccreditationError, match="one of yours"):
        references.request_reference(application=application, by=application.applicant)
    assert not SupervisorReference.objects.exists()


def test_only_the_applicant_asks_and_only_before_submission(pathway, ready, outsider):
    application = builders.draft(pathway, ready)
    with pytest.raises(AccreditationError, match="Only the applicant"):
        references.request_reference(application=application, by=outsider)
    transitions.submit_application(application=application, by=ready)
    application.refresh_from_db()
    with pytest.raises(AccreditationError, match="You cannot ask for a reference now"):
        references.request_reference(application=application, by=ready)


def test_a_reference_given_is_not_asked_for_again(pathway, ready):
    application = builders.draft(pathway, ready)
    with pytest.raises(AccreditationError, match="given their reference already"):
        references.request_reference(application=application, by=ready)


def test_naming_another_supervisor_withdraws_the_reference(pathway, ready):
    application = builders.draft(pathway, ready)
    assert _reference_line(application).met
    transitions.update_declaration(
        application=application,
        by=ready,
        extended_role=application.extended_role,
        supervisor_name="Dr Someone Else",
        supervisor_email="else@example.org",
    )
    assert SupervisorReference.objects.get().status == ReferenceStatus.WITHDRAWN
    assert not _reference_line(application).met
    with pytest.raises(AccreditationError, match="structured reference"):
        transitions.submit_application(application=application, by=ready)


def test_keeping_the_same_supervisor_keeps_the_reference(pathway, ready):
    application = builders.draft(pathway, ready)
    transitions.update_declaration(
        application=application,
        by=ready,
        extended_role="Three sessions a week now.",
        supervisor_name="  Dr   Sup ",
        supervisor_email="SUP@example.org",
    )
    assert SupervisorReference.objects.get().status == ReferenceStatus.GIVEN


def test_a_form_with_errors_records_nothing(
    client, application, django_capture_on_commit_callbacks
):
    link = _ask(client, application, django_capture_on_commit_callbacks)
    client.logout()
    bad = {**FORM, "months": "lots", "concerns": "yes", "concerns_detail": "", "declaration": ""}
    page = client.post(link, bad).content.decode()
    assert "There is a problem" in page
    assert "Enter the number of months as a whole number, like 18." in page
    assert "Describe your concerns." in page
    assert "Confirm that this reference is your own and accurate." in page
    assert SupervisorReference.objects.get().status == ReferenceStatus.REQUESTED


def test_the_service_refuses_answers_the_form_would_not_send(
    client, application, django_capture_on_commit_callbacks
):
    token = "a-token-the-test-knows-000000000000"
    references.request_reference(application=application, by=application.applicant, token=token)
    for answers in (
        {**builders.REFERENCE_ANSWERS, "specialty": "astrology"},
        {**builders.REFERENCE_ANSWERS, "months": -1},
        {**builders.REFERENCE_ANSWERS, "concerns": "maybe"},
    ):
        with pytest.raises(AccreditationError):
            references.give_reference(token=token, answers=answers)
    assert SupervisorReference.objects.get().status == ReferenceStatus.REQUESTED


def test_capabilities_with_a_level_are_judged_and_not_yet_needs_a_reason(application):
    # The framework is published (and so cannot change): set the level as if it had been.
    application.pathway.framework.competencies.filter(code="CAP1").update(
        level="Entrusted to act independently"
    )
    token = "a-token-the-test-knows-111111111111"
    references.request_reference(application=application, by=application.applicant, token=token)
    with pytest.raises(AccreditationError, match="Say what they still need for CAP1"):
        references.give_reference(
            token=token,
            answers={
                **builders.REFERENCE_ANSWERS,
                "capabilities": [{"code": "CAP1", "entrusted": "not_yet", "comment": ""}],
            },
        )
    reference = references.give_reference(
        token=token,
        answers={
            **builders.REFERENCE_ANSWERS,
            "capabilities": [{"code": "CAP1", "entrusted": "yes", "comment": "Seen it often."}],
        },
    )
    (judged,) = reference.answers["capabilities"]
    assert judged["code"] == "CAP1" and judged["level"] == "Entrusted to act independently"


def test_unknown_and_garbled_links_are_not_found(client, db):
    assert client.get("/accreditation/reference/not-a-real-token-at-all-000000/").status_code == 404
    assert client.get("/accreditation/reference/\u0661\u0662\u0663/").status_code == 404


def test_the_applicants_page_is_private(client, application, outsider, faculty_staff):
    url = reverse("accreditation:reference", args=[application.pk])
    for person in (outsider, faculty_staff):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not SupervisorReference.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302


def test_assessors_read_the_reference_and_the_applicant_does_not(
    client, pathway, ready, faculty_staff, assessors
):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    snapshot = application.rounds.get().snapshot["reference"]
    assert snapshot["post"] == builders.REFERENCE_ANSWERS["post"]
    assessor = assessors[0]
    client.force_login(assessor)
    page = client.get(reverse("accreditation:assess", args=[application.pk])).content.decode()
    assert "Supervisor's structured reference" in page
    assert builders.REFERENCE_ANSWERS["post"] in page
    client.force_login(ready)
    own = client.get(reverse("accreditation:round", args=[application.pk, 1])).content.decode()
    assert builders.REFERENCE_ANSWERS["post"] not in own
    client.force_login(faculty_staff)
    staff = client.get(reverse("accreditation:round", args=[application.pk, 1])).content.decode()
    assert builders.REFERENCE_ANSWERS["post"] in staff


def test_the_link_is_redacted_from_logs():
    line = '"GET /accreditation/reference/abcdefghijklmnopqrstuvwxyz123456/ HTTP/1.1" 200'
    assert "abcdefghijklmnop" not in redact(line)
    assert "/accreditation/reference/[token]/" in redact(line)


def test_the_round_keeps_the_reference_as_given(pathway, ready, faculty_staff, assessors):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    assert application.state == State.IN_REVIEW
    SupervisorReference.objects.update(answers={})
    assert references.reference_in(application.rounds.get())["months"] == 12
