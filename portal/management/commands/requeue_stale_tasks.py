"""Put background tasks orphaned by a dead worker back in the queue.

A `db_worker` killed mid-task (a crash, an out-of-memory kill, a machine lost) leaves its task
marked running for ever: the database backend has no lease of its own. Run this every few
minutes (cron, a systemd timer, or a scheduled job) on one machine: a task still running
after --older-than seconds (longer than any task takes; 15 minutes by default) is made ready
again, and another worker picks it up. Tasks are written to be safe to run twice (certificates,
for one, lock the credential and keep a certificate already made), so a slow but living worker
that finishes later does no harm.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.audit import record


def requeue_stale_tasks(*, older_than: datetime.timedelta) -> list[str]:
    """Make every task running since before now - OLDER_THAN ready again; return their ids."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .only("id", "task_path", "worker_ids")
        )
        for result in stale:
            record(
                "tasks.requeued",
                obj=None,
                old={"status": "RUNNING", "workers": result.worker_ids},
                new={"status": "READY"},
                detail=f"{result.task_path} {result.id}",
            )
        DBTaskResult.objects.filter(pk__in=[r.pk for r in stale]).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return [str(r.id) for r in stale]


class Command(BaseCommand):
    help = "Make tasks left running by a dead worker ready again (run every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=15 * 60,
            help="Seconds a task may run before it counts as orphaned (default 900).",
        )

    def handle(self, *args, older_than: int, **options):
        ids = requeue_stale_tasks(older_than=datetime.timedelta(seconds=max(older_than, 0)))
        self.stdout.write(f"Requeued {len(ids)} task(s).")
        for task_id in ids:
            self.stdout.write(f"  {task_id}")
