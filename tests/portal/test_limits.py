"""Request bodies are refused by their declared size before anything reads them."""

import pytest

pytestmark = pytest.mark.django_db


def _post_declaring(client, path, length, **extra):
    # The declared length is what the middleware judges; the test sends no such body.
    return client.generic(
        "POST",
        path,
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **extra,
    )


def test_a_huge_anonymous_post_to_any_address_is_refused_unread(client):
    for path in ("/", "/accounts/login/", "/register/", "/portfolio/evidence/add/"):
        response = _post_declaring(client, path, 200 * 1024 * 1024)
        assert response.status_code == 413, path
        assert "Too much was sent" in response.content.decode()
    # No hop-by-hop header: runserver turned it into a 500 (tests/portal/test_servers.py).
    assert "Connection" not in response


def test_ordinary_pages_take_a_few_megabytes_at_most(client, settings):
    response = _post_declaring(client, "/accounts/login/", settings.MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413


def test_evidence_uploads_may_be_large_for_a_signed_in_clinician_only(client, applicant, settings):
    size = settings.MAX_REQUEST_BYTES + 1
    assert _post_declaring(client, "/portfolio/evidence/add/", size).status_code == 413
    client.force_login(applicant)
    response = _post_declaring(client, "/portfolio/evidence/add/", size)
    assert response.status_code != 413  # read, and judged by the form (not here)
    too_big = settings.MAX_UPLOAD_REQUEST_BYTES + 1
    assert _post_declaring(client, "/portfolio/evidence/add/", too_big).status_code == 413


def test_a_malformed_content_length_is_refused(client):
    response = client.generic("POST", "/accounts/login/", b"", CONTENT_LENGTH="１２")
    assert response.status_code == 400


def test_pages_for_a_signed_in_person_are_never_stored(client, applicant):
    client.force_login(applicant)
    for path in ("/dashboard/", "/portfolio/", "/portfolio/profile/"):
        cache_control = client.get(path, follow=True)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, path


def test_public_pages_keep_their_own_cache_headers(client):
    assert "no-store" not in client.get("/issuer.json").get("Cache-Control", "")
