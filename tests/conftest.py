"""Personas, one per role, and helpers shared by the whole suite."""

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from portal.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, make_persona


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def applicant(db):
    return make_persona(Role.APPLICANT, email="applicant@example.org")


@pytest.fixture
def assessor(db):
    return make_persona(Role.ASSESSOR, mfa=True, email="assessor@example.org")


@pytest.fixture
def lead_assessor(db):
    return make_persona(Role.LEAD_ASSESSOR, mfa=True, email="lead@example.org")


@pytest.fixture
def exam_administrator(db):
    return make_persona(Role.EXAM_ADMINISTRATOR, mfa=True, email="exams@example.org")


@pytest.fixture
def commissioner(db):
    return make_persona(Role.COMMISSIONER, email="commissioner@example.org")


@pytest.fixture
def content_editor(db):
    return make_persona(Role.CONTENT_EDITOR, email="editor@example.org")


@pytest.fixture
def superuser(db):
    return make_persona(None, mfa=True, superuser=True, email="super@example.org")


@pytest.fixture
def outsider(db):
    """Signed up, verified, but holding no role at all."""
    return make_persona(None, email="outsider@example.org")


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
