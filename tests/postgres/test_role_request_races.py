"""Role requests under real concurrency on PostgreSQL: one open request, one decision."""

import pytest

from portal.models import AuditEvent, RoleGrant, RoleRequest, RoleRequestStatus
from portal.regions import Region
from portal.role_requests import (
    RoleRequestError,
    approve_role_request,
    decline_role_request,
    submit_role_request,
)
from portal.roles import Role
from tests.factories import make_persona
from tests.postgres.test_credential_races import _run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(user):
    return submit_role_request(
        requester=user,
        full_name="Priya Desai",
        organisation_type="icb",
        region=Region.GREATER_MANCHESTER,
        job_title="MSK commissioning manager",
        work_email=user.email,
    )


def test_eight_submissions_at_once_make_one_open_request():
    user = make_persona(Role.APPLICANT)
    errors = _run_in_threads(lambda n: _ask(user), 8)
    assert len(errors) == 7, errors
    assert all(isinstance(error, RoleRequestError) for error in errors), errors
    assert RoleRequest.objects.filter(requester=user).count() == 1
    assert AuditEvent.objects.filter(action="role_request.submitted").count() == 1


def test_two_administrators_deciding_at_once_make_one_decision():
    user = make_persona(Role.APPLICANT)
    role_request = _ask(user)
    deciders = [make_persona(Role.FACULTY_STAFF, mfa=True) for _ in range(2)]

    def decide(n):
        if n == 0:
            approve_role_request(role_request=role_request, actor=deciders[0])
        else:
            decline_role_request(role_request=role_request, actor=deciders[1], reason="No")

    errors = _run_in_threads(decide, 2)
    assert len(errors) == 1 and isinstance(errors[0], RoleRequestError), errors
    role_request.refresh_from_db()
    assert role_request.status in (RoleRequestStatus.APPROVED, RoleRequestStatus.DECLINED)
    decisions = AuditEvent.objects.filter(
        action__in=["role_request.approved", "role_request.declined"]
    )
    assert decisions.count() == 1
    approved = role_request.status == RoleRequestStatus.APPROVED
    assert RoleGrant.objects.filter(user=user).exists() == approved
