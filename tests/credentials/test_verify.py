"""The verification page: status in words, never valid when it is not; bad tokens learn nothing."""

import csv
import datetime
import io
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from credentials.models import WatchList, WatchListEntry
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential():
    profile = ClinicianProfileFactory(
        full_name="Asha Patel", registration_number="7654321", consent_to_public_register=False
    )
    return make_credential(
        profile.user,
        scope="Community MSK triage and injection therapy.",
        conditions="Injections under supervision until 2027.",
    )


def verify(client, token):
    return client.get(f"/verify/{token}/")


def test_a_valid_credential_says_so_in_words(client, credential):
    response = verify(client, credential.token)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'Status: <strong class="nhsuk-tag nhsuk-tag--green">Valid</strong>' in page
    assert "This credential is valid." in page
    for shown in (
        "Asha Patel",
        credential.title,
        "Community MSK triage and injection therapy.",
        "Injections under supervision until 2027.",
        "1 January 2026",
        "31 December 2029",
        credential.serial,
    ):
        assert shown in page
    assert "not valid" not in page


def test_verification_pages_send_no_referrer_and_are_not_indexed(client, credential):
    response = verify(client, credential.token)
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_page_links_to_the_json_and_the_open_badge(client, credential):
    page = verify(client, credential.token).content.decode()
    assert f'href="/api/v1/credentials/{credential.token}"' in page
    assert f'href="/verify/{credential.token}/credential.json"' in page
    assert 'href="/issuer.json"' in page


def test_the_holders_contact_details_are_never_shown(client, credential):
    page = verify(client, credential.token).content.decode()
    assert credential.holder.email not in page
    assert "Riverside Primary Care Network" not in page  # the employer
    assert "7654321" not in page  # not on the public register: the number is not shown


def test_a_revoked_credential_shows_the_reason_and_date_and_is_not_valid(
    client, credential, superuser
):
    revoke_credential(
        credential=credential, reason="Removed from the GMC register", actor=superuser
    )
    page = verify(client, credential.token).content.decode()
    assert ">Revoked</strong>" in page
    assert "This credential is not valid" in page
    assert "This credential has been revoked and is not valid." in page
    assert "Removed from the GMC register" in page
    assert "Status changed on" in page
    assert ">Valid</strong>" not in page


def test_a_suspended_credential_is_not_valid(client, credential, superuser):
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    page = verify(client, credential.token).content.decode()
    assert ">Suspended</strong>" in page
    assert "This credential is suspended and is not valid." in page
    assert "Under investigation" in page
    assert ">Valid</strong>" not in page


def test_an_expired_credential_is_not_valid(client):
    expired = make_credential(
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 12, 31)
    )
    page = verify(client, expired.token).content.decode()
    assert ">Expired</strong>" in page
    assert "This credential has expired and is not valid." in page
    assert ">Valid</strong>" not in page


def test_a_renewed_credential_links_to_its_renewal(client, credential):
    renewal = renew_credential(
        credential=credential,
        source_type="tests.renewal",
        source_id="1",
        valid_from=datetime.date(2026, 6, 1),
        valid_until=datetime.date(2031, 5, 31),
    )
    page = verify(client, credential.token).content.decode()
    assert ">Replaced by a renewal</strong>" in page
    assert f'href="/verify/{renewal.token}/"' in page
    assert renewal.serial in page
    assert ">Valid</strong>" not in page
    renewed_page = verify(client, renewal.token).content.decode()
    assert ">Valid</strong>" in renewed_page
    assert f'href="/verify/{credential.token}/"' in renewed_page  # "Renews"


def test_a_credential_that_has_not_started_is_not_yet_valid(client):
    future = make_credential(valid_from=datetime.date(2099, 1, 1), valid_until=None)
    page = verify(client, future.token).content.decode()
    assert ">Not yet valid</strong>" in page
    assert "not valid until 1 January 2099" in page
    assert "No end date" in page


def _bad_tokens(token):
    return {
        "unknown": secrets.token_urlsafe(32),
        "truncated": token[:-1],
        "half": token[: len(token) // 2],
        "guessed": "abc",
        "extended": token + "A",
        "too long": token + "A" * 40,
        "other characters": token[:-1] + "!",
        "other case": token.swapcase(),
    }


def test_every_bad_token_gets_the_same_plain_not_found_page(client, credential):
    pages = set()
    for token in _bad_tokens(credential.token).values():
        response = verify(client, token)
        assert response.status_code == 404, token
        assert response["Referrer-Policy"] == "same-origin"
        page = response.content.decode()
        assert "Credential not found" in page
        for secret in ("Asha Patel", credential.serial, credential.title, credential.scope):
            assert secret not in page
        pages.add(page)
    assert len(pages) == 1


def test_the_page_takes_one_query(client, credential, django_assert_num_queries):
    verify(client, credential.token)  # warm the per-process caches (the site menu)
    with django_assert_num_queries(1):
        assert verify(client, credential.token).status_code == 200


def test_a_malformed_token_is_not_looked_up(client, db):
    with CaptureQueriesContext(connection) as queries:
        assert verify(client, "not-a-token").status_code == 404
    assert not [q for q in queries.captured_queries if "credentials_credential" in q["sql"]]


def test_the_page_only_answers_reads(client, credential):
    assert client.post(f"/verify/{credential.token}/").status_code == 405


# --- never "valid" anywhere -------------------------------------------------------------------

NOT_VALID_STATES = {
    "revoked": ("revoked", "Revoked"),
    "expired": ("expired", "Expired"),
    "suspended": ("suspended", "Suspended"),
    "superseded": ("superseded", "Replaced by a renewal"),
}


def _not_valid_credential(state, actor):
    profile = ClinicianProfileFactory(full_name="Quentin Notvalid", registration_number="7111111")
    if state == "expired":
        return make_credential(
            profile.user,
            valid_from=datetime.date(2020, 1, 1),
            valid_until=datetime.date(2023, 1, 1),
        )
    credential = make_credential(profile.user)
    if state == "revoked":
        revoke_credential(credential=credential, reason="Struck off", actor=actor)
    elif state == "suspended":
        suspend_credential(credential=credential, reason="Under review", actor=actor)
    else:
        renewal = renew_credential(
            credential=credential,
            source_type="tests.renewal",
            source_id="later",
            valid_from=timezone.localdate(),  # starts today: superseded at once
            valid_until=None,
        )
        # Withdrawn the same day, so nothing of this clinician's reads as valid.
        revoke_credential(credential=renewal, reason="Issued in error", actor=actor)
    credential.refresh_from_db()
    return credential


@pytest.mark.parametrize("state", list(NOT_VALID_STATES))
def test_a_credential_that_is_not_valid_is_never_shown_as_valid_anywhere(
    client, superuser, commissioner, state
):
    """Register page, verification page, JSON API, Open Badge and bulk verification (page,
    CSV and XLSX) all say what the credential is, and none says it is valid."""
    code, words = NOT_VALID_STATES[state]
    credential = _not_valid_credential(state, superuser)
    never = ">Valid</strong>"

    register = client.get("/register/", {"q": "Notvalid"}).content.decode()
    assert f">{words}</strong>" in register
    assert never not in register

    page = verify(client, credential.token).content.decode()
    assert f">{words}</strong>" in page
    assert "is not valid" in page
    assert never not in page and "This credential is valid." not in page

    record = client.get(f"/api/v1/credentials/{credential.token}").json()
    api_status = "expired" if code == "superseded" else code  # the contract's four values
    assert (record["status"], record["valid"]) == (api_status, False)
    assert "is not valid" in record["status_description"]

    badge = client.get(f"/verify/{credential.token}/credential.json").json()
    assert badge["credentialStatus"][0]["name"] == code
    assert "is not valid" in badge["credentialStatus"][0]["description"]
    assert "This credential is valid." not in badge["description"]

    checker = Client()
    checker.force_login(commissioner)
    upload = SimpleUploadedFile("numbers.csv", b"7111111\n", content_type="text/csv")
    results = checker.post("/verify/bulk/", {"file": upload})
    bulk_page = results.content.decode()
    assert f">{words}</strong>" in bulk_page
    assert never not in bulk_page
    payload = results.context["payload"]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                checker.post(
                    "/verify/bulk/download/", {"payload": payload, "format": "csv"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    xlsx = checker.post("/verify/bulk/download/", {"payload": payload, "format": "xlsx"})
    xlsx_rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    for rows in (csv_rows, xlsx_rows):
        statuses = {row[3]: row[4] for row in rows[1:]}  # serial -> status
        assert statuses[credential.serial] == words
        assert "Valid" not in statuses.values()

    watch_list = WatchList.objects.create(owner=commissioner, name="Workforce")
    WatchListEntry.objects.create(watch_list=watch_list, registration_number="7111111")
    watched = checker.get(f"/watchlists/{watch_list.pk}/").content.decode()
    checker.force_login(credential.holder)
    own = checker.get("/credentials/").content.decode()
    checker.force_login(superuser)
    managed = checker.get(f"/manage/credentials/{credential.serial}/").content.decode()
    for private_page in (watched, own, managed):
        assert never not in private_page
        if state == "superseded" and private_page is not managed:
            # The renewal (revoked the day it was issued) is listed too, and not called valid.
            assert ">Revoked</strong>" in private_page
            if private_page is watched:
                continue  # the watch list shows the current credential only
        assert f">{words}</strong>" in private_page


def test_a_bad_token_is_not_written_to_the_log(client, credential, caplog):
    bad = credential.token[:-1]
    with caplog.at_level("DEBUG"):
        for url in (
            f"/verify/{bad}/",
            f"/verify/{bad}/credential.json",
            f"/api/v1/credentials/{bad}",
        ):
            assert client.get(url).status_code == 404
    assert bad[:20] not in caplog.text
    assert "Not Found: /verify/[token]/" in caplog.text


def test_a_server_error_on_a_token_page_never_logs_the_token(
    client, credential, caplog, monkeypatch
):
    def broken(token):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("credentials.views.verify.credential_for_token", broken)
    client.raise_request_exception = False
    with caplog.at_level("DEBUG"):
        response = client.get(f"/verify/{credential.token}/")
    assert response.status_code == 500
    assert "Internal Server Error: /verify/[token]/" in caplog.text
    assert credential.token not in caplog.text
    for record in caplog.records:
        request = getattr(record, "request", None)
        if request is not None:
            assert credential.token not in request.get_full_path()
