"""Settings fail loudly; production passes `check --deploy`; pages send security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x7$k2!pq9z" * 6,
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/msk_portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    # The 1EdTech Open Badges test vector's published seed: a test key, never a real one.
    "ISSUER_ED25519_KEY_FILE": str(ROOT / "tests" / "credentials" / "issuer-test-seed.txt"),
    # A self-signed test pair for signing PDF certificates: test only, never a real key.
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


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
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
def test_bad_settings_stop_the_process_with_a_clear_message(override, message):
    result = _manage("check", **{**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("q8#Lm2$vT" * 7 + "\n")
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr


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
