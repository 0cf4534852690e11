"""Settings fail loudly; production passes `check --deploy`; pages send security headers."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.credentials.signing_keys import write_ca_issued_pair

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x7$k2!pq9z" * 6,
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/msk_portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PORTAL_BASE_URL": "https://portal.example.org",
    "VIRUS_SCAN": "off",
    # The 1EdTech Open Badges test vector's published seed: a test key, never a real one.
    "ISSUER_ED25519_KEY_FILE": str(ROOT / "tests" / "credentials" / "issuer-test-seed.txt"),
    # A demonstration pair for signing PDFs (its key is public): test only, never a real key.
    "ISSUER_CERT_FILE": str(ROOT / "tests" / "credentials" / "pdf-issuer-test-cert.pem"),
    "ISSUER_KEY_FILE": str(ROOT / "tests" / "credentials" / "pdf-issuer-test-key.pem"),
}


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DEBUG"}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    # One real start of manage.py under production settings; the rules are tested in-process.
    # Signing with a CA-issued certificate, as production does: the committed test pair is a
    # demonstration certificate, which the check warns about (tests/credentials/test_issuer.py).
    cert, key = write_ca_issued_pair(tmp_path)
    env = {**PRODUCTION_ENV, "ISSUER_CERT_FILE": str(cert), "ISSUER_KEY_FILE": str(key)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "too-short"}, "at least 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "true"}, "DEBUG must be false"),
        ({"DEBUG": "perhaps"}, "not a boolean"),
        ({"DATABASE_CONN_MAX_AGE": "ten"}, "not a whole number"),
        ({"TASKS_BACKEND": "celery"}, "must be one of"),
        ({"PORTAL_ENV": "staging"}, "must be one of"),
        ({"REDIS_URL": ""}, "REDIS_URL must be set"),
    ],
)
def test_bad_settings_stop_the_process_with_a_clear_message(monkeypatch, override, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(monkeypatch, **{**PRODUCTION_ENV, **override})


def test_a_bad_setting_stops_manage_py_with_the_message():
    result = _manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_secrets_can_come_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("q8#Lm2$vT" * 7 + "\n")
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    assert load_settings(monkeypatch, **env)["SECRET_KEY"] == "q8#Lm2$vT" * 7


def load_settings(monkeypatch, **env) -> dict:
    """portal/settings.py run afresh under ENV (in this process: fast), as a dict."""
    for name in list(os.environ):
        if name in PRODUCTION_ENV or name in {"DEBUG", "PORT", "CLAMD_HOST", "CLAMD_SOCKET"}:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "portal" / "settings.py"))


def test_links_follow_the_port_the_demo_serves_on(monkeypatch):
    assert load_settings(monkeypatch, PORT="8080")["PORTAL_BASE_URL"] == "http://127.0.0.1:8080"
    assert load_settings(monkeypatch)["PORTAL_BASE_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"PORTAL_BASE_URL": ""}, "PORTAL_BASE_URL must be set"),
        ({"PORTAL_BASE_URL": "http://portal.example.org"}, "must be an https:// address"),
        ({"PORTAL_BASE_URL": "portal.example.org"}, "is not an http"),
        ({"VIRUS_SCAN": ""}, "must be scanned for viruses"),
        ({"VIRUS_SCAN": "maybe"}, "must be one of"),
        ({"PORT": "eighty"}, "not a whole number"),
    ],
)
def test_production_needs_its_public_address_and_virus_scanning(monkeypatch, override, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(monkeypatch, **{**PRODUCTION_ENV, **override})


def test_the_demo_database_waits_for_a_writer_instead_of_failing(monkeypatch):
    options = load_settings(monkeypatch)["DATABASES"]["default"]["OPTIONS"]
    assert options["timeout"] >= 20  # seconds a second writer waits for the first
    assert options["transaction_mode"] == "IMMEDIATE"  # take the write lock up front
    assert "journal_mode=WAL" in options["init_command"]  # readers never wait for writers


def test_production_without_scanning_says_so_at_every_start():
    env = {**PRODUCTION_ENV, "VIRUS_SCAN": "off"}
    result = _manage("check", **env)
    assert result.returncode == 0, result.stderr
    assert "VIRUS_SCAN=off: evidence files are NOT scanned" in result.stderr


def test_production_with_clamd_needs_no_switch(monkeypatch):
    env = {**PRODUCTION_ENV, "VIRUS_SCAN": "", "CLAMD_HOST": "clamd.internal"}
    assert load_settings(monkeypatch, **env)["VIRUS_SCAN"] == "on"


def test_a_request_for_the_base_url_never_trusts_the_host_header(client, settings, db):
    from credentials.links import verification_url
    from tests.credentials.factories import make_credential

    settings.PORTAL_BASE_URL = "https://portal.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    credential = make_credential()
    response = client.get(f"/api/v1/credentials/{credential.token}", HTTP_HOST="evil.example")
    assert response.json()["verification_url"] == verification_url(credential)
    assert response.json()["verification_url"].startswith("https://portal.example.org/verify/")


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    from cms.demo import seed_pages

    seed_pages()
    for url in ["/", "/accounts/login/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "object-src 'none'" in policy
        assert "base-uri 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_our_pages_carry_no_inline_script_or_style(client):
    import re

    from cms.demo import seed_pages

    seed_pages()
    for url in ["/", "/gpwer-in-msk/", "/accounts/login/", "/accounts/signup/", "/accessibility/"]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert " style=" not in html, url
        assert " onclick=" not in html.lower(), url
