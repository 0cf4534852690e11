from contextlib import contextmanager

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from credentials.models import Credential, WatchList, WatchNotification
from portal.models import RoleRequest, RoleRequestStatus, User
from portal.organisations import commissioner_region
from portal.roles import Role, has_role

pytestmark = pytest.mark.django_db


@contextmanager
def _fresh_task_backends():
    """Django caches task backends per process; rebuild them from the current settings."""
    from asgiref.local import Local
    from django.tasks import task_backends

    def reset():
        task_backends._settings = None
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    reset()
    try:
        yield
    finally:
        reset()


def test_seed_demo_is_safe_to_run_twice(django_capture_on_commit_callbacks):
    # Watch list alerts are sent once the seed commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    alerts = WatchNotification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # One account per role and a superuser, someone asking for the commissioner role, a second
    # content editor (who approves the first's changes), plus the made-up clinicians on the
    # register.
    assert User.objects.filter(email__endswith="@demo.msk-portal.example").count() == 15
    expected = {
        "applicant@demo.msk-portal.example": Role.APPLICANT,
        "assessor@demo.msk-portal.example": Role.ASSESSOR,
        "lead.assessor@demo.msk-portal.example": Role.LEAD_ASSESSOR,
        "exams@demo.msk-portal.example": Role.FACULTY_STAFF,
        "commissioner@demo.msk-portal.example": Role.COMMISSIONER,
        "editor@demo.msk-portal.example": Role.CONTENT_EDITOR,
    }
    for email, role in expected.items():
        assert has_role(User.objects.get(email=email), role)
    assert User.objects.get(email="superuser@demo.msk-portal.example").is_superuser
    # Staff, the content editor among them, have the published demo TOTP secret enrolled.
    staff = ["assessor", "lead.assessor", "exams", "editor", "superuser"]
    for name in staff:
        user = User.objects.get(email=f"{name}@demo.msk-portal.example")
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    for name in ["applicant", "commissioner"]:
        user = User.objects.get(email=f"{name}@demo.msk-portal.example")
        assert not Authenticator.objects.filter(user=user).exists()
    # The commissioner acts for an ICB; an employer's request waits, once.
    commissioner = User.objects.get(email="commissioner@demo.msk-portal.example")
    assert commissioner_region(commissioner) == "greater_manchester"
    assert RoleRequest.objects.filter(status=RoleRequestStatus.OPEN).count() == 1
    assert RoleRequest.objects.count() == 2
    # The demo applicant has a profile and a small portfolio, seeded once.
    applicant = User.objects.get(email="applicant@demo.msk-portal.example")
    assert applicant.clinician.registration_number == "7012345"
    assert applicant.evidence_items.count() == 4
    # Credentials in every public status, seeded once; the commissioner watches six numbers.
    statuses = {c.public_status() for c in Credential.objects.all()}
    assert statuses == {"active", "suspended", "revoked", "expired", "superseded"}
    # (Accreditation's made-up GPs hold their diplomas and one award besides, and exam passes
    # at the demo's released sitting are awarded too: tests/accreditation and tests/exams check
    # those.)
    accreditation_demo = "@accreditation.demo.msk-portal.example"
    assert (
        Credential.objects.exclude(holder__email__endswith=accreditation_demo)
        .exclude(source_type="exams.candidate_result")
        .count()
        == 9
    )
    watch_list = WatchList.objects.get(owner__email="commissioner@demo.msk-portal.example")
    assert watch_list.entries.count() == 6
    assert watch_list.notifications.count() == alerts > 0  # the second run sent none
    assert all(item.files.count() == 1 for item in applicant.evidence_items.all())


def test_demo_accounts_sign_in_with_the_readme_password(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    readme = open("README.md").read()  # noqa: SIM115
    assert "msk-demo-2026!" in readme
    response = client.post(
        "/accounts/login/",
        {"login": "applicant@demo.msk-portal.example", "password": "msk-demo-2026!"},
    )
    assert response["Location"] == "/dashboard/"


def test_emails_go_through_the_task_queue(django_capture_on_commit_callbacks):
    from portal.tasks import send_email

    with django_capture_on_commit_callbacks(execute=True):
        result = send_email.enqueue(
            subject="Hello", body="Body", to=["a@example.org"], from_email="portal@example.org"
        )
    assert result.status == "SUCCESSFUL"
    assert mail.outbox[0].subject == "Hello"


@pytest.mark.django_db(transaction=True)
def test_database_backend_queues_work_for_db_worker():
    from django_tasks_db.models import DBTaskResult

    from portal.tasks import send_email

    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=tasks), _fresh_task_backends():
        result = send_email.using(backend="default").enqueue(
            subject="Queued", body="Body", to=["a@example.org"], from_email="portal@example.org"
        )
        assert result.status == "READY"
        assert DBTaskResult.objects.count() == 1
        assert mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
        assert mail.outbox[0].subject == "Queued"
