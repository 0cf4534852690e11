"""Every page sends Referrer-Policy: same-origin, and none sends no-referrer: with
no-referrer, Chromium posts a page's form with "Origin: null" and Django's CSRF check answers
403 (the commissioner's work-email confirmation failed so). same-origin still keeps secret
links (tokens in the address) from other sites."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_FORM_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/register/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_FORM_PAGES)
def test_public_form_pages_send_same_origin(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_overrides_the_policy_with_no_referrer():
    offenders = []
    for folder in ("portal", "portfolio", "credentials", "accreditation", "exams", "cms"):
        for path in (ROOT / folder).rglob("*.py"):
            if re.search(r"[\"']no-referrer[\"']", path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "templates").rglob("*.html"):
        if re.search(r"name=[\"']referrer[\"']|referrerpolicy=[\"']no-referrer", path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
