"""Personas, one per role, and helpers shared by the whole suite."""

import os
import time
from pathlib import Path

import pytest

from portal.roles import Role
from portal.totp import current_code, seconds_left_in_period
from tests.factories import PASSWORD, TOTP_SECRET, make_persona


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now. Near the end of its 30 s it waits for the next
    one, so that the portal checks the code in the same period as it was made."""
    left = seconds_left_in_period()
    if left < 3:
        time.sleep(left + 0.05)
    return current_code(secret)


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
def faculty_staff(db):
    return make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")


@pytest.fixture
def commissioner(db):
    return make_persona(Role.COMMISSIONER, email="commissioner@example.org")


@pytest.fixture
def content_editor(db):
    return make_persona(Role.CONTENT_EDITOR, mfa=True, email="editor@example.org")


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


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """A copy of the migrated template for this process, with or without xdist; the template
    is migrated once for each state of the code (tests/database.py)."""
    from django.db import connections

    from tests.database import setup_worker_database, teardown_worker_database

    shared = os.environ.get("TEST_DB_SHARED_DIR")
    with django_db_blocker.unblock():
        connection = connections["default"]
        old_name = setup_worker_database(
            connection,
            Path(shared) if shared else None,
            remake=request.config.getoption("create_db"),
        )
    yield
    with django_db_blocker.unblock():
        teardown_worker_database(connection, old_name)
