"""A signed-in user is read with their roles and MFA enrolment, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.roles import Role, assign_role, roles_of
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def queries_on(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_roles_and_mfa_come_with_the_user(client):
    assessor = make_persona(Role.ASSESSOR, mfa=True)
    assign_role(assessor, Role.LEAD_ASSESSOR)
    client.force_login(assessor)
    client.get("/accreditation/assess/")  # the session is read from the database once
    queries = queries_on(client, "/accreditation/assess/")
    # Roles and MFA are asked only inside the query that reads the user.
    assert not any(sql.startswith('SELECT "auth_group"') for sql in queries)
    assert [sql for sql in queries if '"mfa_authenticator"' in sql] == [
        sql for sql in queries if 'FROM "portal_user"' in sql and "role_codes" in sql
    ]
    user = client.get("/accreditation/assess/").wsgi_request.user
    assert roles_of(user) == {Role.ASSESSOR, Role.LEAD_ASSESSOR}


def test_staff_who_have_not_enrolled_are_still_sent_to_enrol(client):
    client.force_login(make_persona(Role.FACULTY_STAFF, mfa=False))
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/?required=1"


def test_a_user_without_roles_has_none(client):
    person = make_persona(None)
    client.force_login(person)
    user = client.get("/account/").wsgi_request.user
    assert user.pk == person.pk
    assert roles_of(user) == frozenset()


def test_a_deactivated_account_is_signed_out(client):
    person = make_persona(Role.APPLICANT)
    client.force_login(person)
    person.is_active = False
    person.save()
    assert not client.get("/account/").wsgi_request.user.is_authenticated
