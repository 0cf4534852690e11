"""A worker lost mid-run: its task goes back in the queue and every certificate is made once."""

import datetime

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from credentials.models import Credential
from portal.models import AuditEvent
from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CERTIFICATES_ON_ISSUE = False
    credentials = [make_credential() for _ in range(5)]
    settings.TASKS = DATABASE_TASKS
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    return credentials


def test_a_bulk_run_is_queued_in_batches_any_worker_can_take(queued, capsys):
    call_command("generate_certificates", "--batch-size", "2")
    assert "Queued 5 certificate(s) as 3 task(s)" in capsys.readouterr().out
    batches = sorted(
        len(r.args_kwargs["kwargs"]["credential_ids"]) for r in DBTaskResult.objects.all()
    )
    assert batches == [1, 2, 2]


def test_a_batch_size_out_of_range_is_refused(queued):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="between 1 and 1000"):
        call_command("generate_certificates", "--batch-size", "0")
    assert not DBTaskResult.objects.exists()


def claim_as_dead_worker(result: DBTaskResult, minutes_ago: int) -> None:
    result.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_a_task_left_running_by_a_dead_worker_is_requeued_and_finished_once(queued, capsys):
    call_command("generate_certificates", "--batch-size", "5")
    result = DBTaskResult.objects.get()
    claim_as_dead_worker(result, minutes_ago=20)
    # The dead worker had made one certificate before it was killed.
    from credentials.certificates.services import generate_certificate

    generate_certificate(credential=queued[0])

    call_command("requeue_stale_tasks")
    assert "Requeued 1 task(s)" in capsys.readouterr().out
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert AuditEvent.objects.filter(action="tasks.requeued").count() == 1

    # Another worker takes it (as db_worker's loop does, without its connection handling,
    # which would close the test's transaction).
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="surviving-worker",
        excluded_queue_names=[],
    )
    taken = DBTaskResult.objects.ready().get_locked()
    assert taken.pk == result.pk
    taken.claim(worker.worker_id)
    worker.run_task(taken)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert all(c.certificate for c in Credential.objects.all())
    made = AuditEvent.objects.filter(action="credential.certificate_generated")
    # Exactly once each: the one made before the kill was kept, not made again.
    assert sorted(made.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in queued)


def test_a_task_running_for_less_than_the_lease_is_left_alone(queued, capsys):
    call_command("generate_certificates")
    result = DBTaskResult.objects.get()
    claim_as_dead_worker(result, minutes_ago=2)
    call_command("requeue_stale_tasks")
    assert "Requeued 0 task(s)" in capsys.readouterr().out
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING
