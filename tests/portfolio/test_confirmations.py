"""Third-party confirmation: a single-use, expiring link to confirm one evidence item."""

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import AuditEvent
from portal.roles import Role
from portfolio.errors import PortfolioError
from portfolio.models import Confirmation, ConfirmationStatus, EvidenceFile
from portfolio.services.confirmations import (
    request_confirmation,
    respond_to_confirmation,
    void_confirmations,
    withdraw_confirmation,
)
from tests.factories import make_persona
from tests.portfolio.factories import CompetencyFactory, EvidenceItemFactory, EvidenceLinkFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/portfolio/confirm/([A-Za-z0-9_-]+)/")
CONFIRMER = {
    "confirmer_name": "Dr Priya Raman",
    "confirmer_email": "priya.raman@nhs.example",
    "confirmer_role": "Consultant rheumatologist",
}


@pytest.fixture
def item(applicant, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = EvidenceItemFactory(
        owner=applicant, title="Shoulder injection audit", reflection="Injected 40 shoulders."
    )
    EvidenceLinkFactory(item=item, competency=CompetencyFactory(code="CiP2", title="MSK care"))
    EvidenceFile.objects.create(
        item=item,
        file=ContentFile(b"%PDF-1.4 audit", name="upload"),
        original_name="audit-results.pdf",
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
    )
    return item


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a confirmation through the service; return (confirmation, token from the email)."""

    def _ask(item, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            confirmation = request_confirmation(
                item=item, requested_by=item.owner, **{**CONFIRMER, **overrides}
            )
        return confirmation, LINK.search(mail.outbox[-1].body).group(1)

    return _ask


def _url(token: str) -> str:
    return f"/portfolio/confirm/{token}/"


def test_the_owner_asks_and_the_confirmer_confirms_without_an_account(
    client, applicant, item, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/portfolio/evidence/{item.pk}/confirm/", CONFIRMER)
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["priya.raman@nhs.example"]
    assert "Shoulder injection audit" in email.body
    token = LINK.search(email.body).group(1)
    assert f"{settings.PORTAL_BASE_URL}/portfolio/confirm/{token}/" in email.body
    confirmation = Confirmation.objects.get(item=item)
    # Only the hash of the token is kept.
    assert confirmation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Confirmation.objects.filter(pk=confirmation.pk).values().get())
    assert confirmation.expires_at - confirmation.requested_at > timedelta(days=13, hours=23)

    client.logout()
    page = client.get(_url(token))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    html = page.content.decode()
    for shown in ["Shoulder injection audit", "Injected 40 shoulders.", "CiP2", "MSK care"]:
        assert shown in html
    assert "audit-results.pdf" in html
    assert "/media/" not in html and "download" not in html.lower()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(_url(token), {"decision": "confirmed", "comment": ""})
    assert done.status_code == 200
    assert "Your answer has been sent" in done.content.decode()
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert confirmation.responded_at is not None
    assert mail.outbox[-1].to == [applicant.email]  # the owner hears about it
    assert AuditEvent.objects.filter(
        action="portfolio.confirmation_responded", actor_email="priya.raman@nhs.example"
    ).exists()

    client.force_login(applicant)
    owner_page = client.get(f"/portfolio/evidence/{item.pk}/confirm/").content.decode()
    assert "Confirmed by Dr Priya Raman" in owner_page
    assert timezone.localtime(confirmation.responded_at).strftime("%H:%M") in owner_page


def test_declining_needs_a_comment(client, item, ask):
    confirmation, token = ask(item)
    response = client.post(_url(token), {"decision": "declined", "comment": "  "})
    assert response.status_code == 200
    assert "Enter a comment to explain why you cannot confirm this evidence." in (
        response.content.decode()
    )
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.REQUESTED
    with pytest.raises(PortfolioError, match="Enter a comment"):
        respond_to_confirmation(token=token, decision="declined", comment="")

    client.post(_url(token), {"decision": "declined", "comment": "I was not there that day."})
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.DECLINED
    assert confirmation.comment == "I was not there that day."


def test_a_nonsense_decision_is_refused(item, ask):
    confirmation, token = ask(item)
    with pytest.raises(PortfolioError, match="Choose whether"):
        respond_to_confirmation(token=token, decision="void", comment="")
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.REQUESTED


def test_the_link_works_once(client, item, ask, caplog):
    _, token = ask(item)
    client.post(_url(token), {"decision": "confirmed"})
    for response in (client.get(_url(token)), client.post(_url(token), {"decision": "declined"})):
        html = response.content.decode()
        assert response.status_code == 410
        assert "This link has already been used" in html
        assert "Shoulder injection audit" not in html
    assert "Gone: /portfolio/confirm/[token]/" in caplog.text
    assert token not in caplog.text
    assert token not in caplog.text
    assert Confirmation.objects.get().status == ConfirmationStatus.CONFIRMED


def test_an_expired_link_shows_no_item(client, item, ask):
    confirmation, token = ask(item)
    Confirmation.objects.filter(pk=confirmation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(_url(token))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired" in html
    assert "Shoulder injection audit" not in html and "Injected" not in html
    client.post(_url(token), {"decision": "confirmed"})
    assert Confirmation.objects.get().status == ConfirmationStatus.REQUESTED
    with pytest.raises(PortfolioError, match="expired"):
        respond_to_confirmation(token=token, decision="confirmed")


@pytest.mark.parametrize("mangle", [lambda t: t[:-1], lambda t: t[:10], lambda t: t + "x"])
def test_a_garbled_or_truncated_token_is_a_plain_404(client, item, ask, mangle, caplog):
    _, token = ask(item)
    response = client.get(_url(mangle(token)))
    assert mangle(token) not in caplog.text  # the path is not logged with its token
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    assert "Shoulder injection audit" not in html and "Raman" not in html
    response = client.post(_url(mangle(token)), {"decision": "confirmed"})
    assert response.status_code == 404
    assert Confirmation.objects.get().status == ConfirmationStatus.REQUESTED


def test_only_the_owner_sees_the_request_page(client, applicant, outsider, item, ask):
    other = make_persona(Role.APPLICANT, email="other@example.org")
    confirmation, _ = ask(item)
    url = f"/portfolio/evidence/{item.pk}/confirm/"
    withdraw = f"{url}{confirmation.pk}/withdraw/"
    assert client.get(url).status_code == 302  # signed out: sign in first
    for person in (outsider, other):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {**CONFIRMER, "confirmer_email": "x@nhs.example"}).status_code == 404
        )
        assert client.post(withdraw).status_code == 404
    assert Confirmation.objects.get().status == ConfirmationStatus.REQUESTED
    with pytest.raises(PortfolioError):
        request_confirmation(item=item, requested_by=other, **CONFIRMER)
    with pytest.raises(PortfolioError):
        withdraw_confirmation(confirmation=confirmation, withdrawn_by=other)


def test_you_cannot_confirm_your_own_item(client, applicant, item):
    EmailAddress.objects.create(user=applicant, email="me@home.example", verified=True)
    for own in [applicant.email, applicant.email.upper(), "ME@home.example"]:
        with pytest.raises(PortfolioError, match="cannot confirm your own evidence"):
            request_confirmation(
                item=item, requested_by=applicant, **{**CONFIRMER, "confirmer_email": own}
            )
    client.force_login(applicant)
    response = client.post(
        f"/portfolio/evidence/{item.pk}/confirm/", {**CONFIRMER, "confirmer_email": applicant.email}
    )
    assert response.status_code == 200
    assert "You cannot confirm your own evidence" in response.content.decode()
    assert not Confirmation.objects.exists()
    assert mail.outbox == []


def test_bad_input_changes_nothing(client, applicant, item):
    client.force_login(applicant)
    response = client.post(
        f"/portfolio/evidence/{item.pk}/confirm/",
        {"confirmer_name": "", "confirmer_email": "not-an-email", "confirmer_role": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert not Confirmation.objects.exists()
    with pytest.raises(PortfolioError, match="correct format"):
        request_confirmation(
            item=item, requested_by=applicant, **{**CONFIRMER, "confirmer_email": "nope"}
        )


def test_a_double_response_is_recorded_once(client, item, ask):
    confirmation, token = ask(item)
    respond_to_confirmation(token=token, decision="confirmed", comment="Saw it myself.")
    with pytest.raises(PortfolioError, match="already been used"):
        respond_to_confirmation(token=token, decision="declined", comment="Changed my mind.")
    second = client.post(_url(token), {"decision": "declined", "comment": "Again"})
    assert second.status_code == 410
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert confirmation.comment == "Saw it myself."
    assert AuditEvent.objects.filter(action="portfolio.confirmation_responded").count() == 1


def test_one_live_request_at_a_time(item, ask):
    ask(item)
    with pytest.raises(PortfolioError, match="already asked Dr Priya Raman"):
        request_confirmation(
            item=item, requested_by=item.owner, **{**CONFIRMER, "confirmer_email": "b@nhs.example"}
        )
    assert Confirmation.objects.count() == 1


def test_an_expired_request_is_replaced_by_a_new_one(item, ask):
    old, old_token = ask(item)
    Confirmation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    new, _ = ask(item, confirmer_email="second@nhs.example")
    old.refresh_from_db()
    assert old.status == ConfirmationStatus.WITHDRAWN
    assert new.status == ConfirmationStatus.REQUESTED
    assert AuditEvent.objects.filter(action="portfolio.confirmation_lapsed").count() == 1


def test_a_confirmed_item_cannot_be_asked_again(item, ask):
    _, token = ask(item)
    respond_to_confirmation(token=token, decision="confirmed")
    with pytest.raises(PortfolioError, match="already been confirmed by Dr Priya Raman"):
        request_confirmation(item=item, requested_by=item.owner, **CONFIRMER)


def test_a_locked_item_can_still_be_confirmed(item, ask):
    item.locked_at = timezone.now()
    item.save()
    _, token = ask(item)
    assert respond_to_confirmation(token=token, decision="confirmed").status == "confirmed"


def test_editing_voids_confirmations(client, item, ask):
    confirmation, token = ask(item)
    respond_to_confirmation(token=token, decision="confirmed")
    assert void_confirmations(item=item) == 1
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.VOID
    assert AuditEvent.objects.filter(action="portfolio.confirmation_voided").count() == 1
    assert void_confirmations(item=item) == 0  # nothing live is left

    # A pending request is voided too, and its link stops working.
    pending, pending_token = ask(item, confirmer_email="second@nhs.example")
    void_confirmations(item=item)
    response = client.get(_url(pending_token))
    assert response.status_code == 410
    assert "Shoulder injection audit" not in response.content.decode()


def test_the_owner_withdraws_a_pending_request(client, applicant, item, ask):
    confirmation, token = ask(item)
    client.force_login(applicant)
    response = client.post(f"/portfolio/evidence/{item.pk}/confirm/{confirmation.pk}/withdraw/")
    assert response.status_code == 302
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="portfolio.confirmation_withdrawn").exists()
    client.logout()
    closed = client.get(_url(token))
    assert closed.status_code == 410
    assert "no longer valid" in closed.content.decode()
    # Withdrawing frees the item for a new request; a confirmed one cannot be withdrawn.
    _, new_token = ask(item, confirmer_email="second@nhs.example")
    respond_to_confirmation(token=new_token, decision="confirmed")
    with pytest.raises(PortfolioError, match="Only a request still waiting"):
        withdraw_confirmation(
            confirmation=Confirmation.objects.get(status="confirmed"), withdrawn_by=applicant
        )


def test_the_public_page_is_rate_limited(client, item, ask):
    _, token = ask(item)
    for _ in range(30):
        page = client.get(_url(token))
        assert page.status_code == 200
        assert "Can you confirm this evidence?" in page.content.decode()
    refused = client.get(_url(token))
    assert refused.status_code == 429
    assert "Too many attempts have been made from your connection" in refused.content.decode()


def test_asking_for_confirmations_is_limited_per_clinician(
    client, applicant, item, django_capture_on_commit_callbacks
):
    """Ten emails with the clinician's own words in a few seconds made the faculty a relay."""
    client.force_login(applicant)
    items = [item, *(EvidenceItemFactory(owner=applicant) for _ in range(10))]
    for n, each in enumerate(items[:10]):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/portfolio/evidence/{each.pk}/confirm/",
                {**CONFIRMER, "confirmer_email": f"person{n}@nhs.example"},
            )
        assert response.status_code == 302, response.content.decode()
    assert len(mail.outbox) == 10
    response = client.post(
        f"/portfolio/evidence/{items[10].pk}/confirm/",
        {**CONFIRMER, "confirmer_email": "eleventh@nhs.example"},
    )
    assert response.status_code == 200
    assert "You have asked for 10 in an hour, the most we send." in response.content.decode()
    assert len(mail.outbox) == 10
    assert Confirmation.objects.count() == 10
    # Another clinician is not held back by this one.
    other = EvidenceItemFactory()
    request_confirmation(item=other, requested_by=other.owner, **CONFIRMER)
