"""Listeners to credentials.events: each change to a credential alerts its watchers.

The signal arrives after the change has committed; the receiver only queues a task, so a
failure while alerting never turns the staff member's completed change into an error page.
"""

from django.dispatch import receiver

from credentials.events import credential_event
from credentials.models import WatchListEntry
from credentials.services.watchlists import occurrence_of
from credentials.tasks import alert_watchers


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
