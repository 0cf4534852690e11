"""Listeners to credentials.events: each change to a credential alerts its watchers.

The signal arrives after the change has committed; the receiver only queues a task, so a
failure while alerting never turns the staff member's completed change into an error page.
"""

from django.dispatch import receiver
from django.tasks import task

from credentials.events import credential_event
from credentials.models import Credential, WatchListEntry
from credentials.services.watchlists import notify_watchers, occurrence_of


@receiver(credential_event, dispatch_uid="credentials.alert_watchers")
def alert_watchers_on_event(sender, credential, event, **kwargs):
    number = credential.registration_number
    if not number or not WatchListEntry.objects.filter(registration_number=number).exists():
        return  # nobody is watching: no task to run
    alert_watchers.enqueue(
        credential_pk=credential.pk,
        event=str(event),
        occurrence=occurrence_of(credential, event),
    )


@task
def alert_watchers(*, credential_pk: int, event: str, occurrence: str = "") -> int:
    credential = Credential.objects.filter(pk=credential_pk).first()
    if credential is None:
        return 0
    return len(notify_watchers(credential=credential, event=event, occurrence=occurrence))
