"""Listeners: each change to a credential alerts its watchers (credentials.events), and any
change to a credential or to a clinician's consent makes the register's cached counts stale.

The event arrives after the change has committed; the receiver only queues a task, so a
failure while alerting never turns the staff member's completed change into an error page.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from credentials.events import credential_event
from credentials.models import Credential, WatchListEntry
from credentials.selectors.register import forget_register_counts
from credentials.services.watchlists import occurrence_of
from credentials.tasks import alert_watchers
from portfolio.api import ClinicianProfile


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


@receiver(post_save, sender=Credential, dispatch_uid="credentials.count_after_credential_saved")
@receiver(post_delete, sender=Credential, dispatch_uid="credentials.count_after_credential_gone")
@receiver(post_save, sender=ClinicianProfile, dispatch_uid="credentials.count_after_consent")
@receiver(post_delete, sender=ClinicianProfile, dispatch_uid="credentials.count_after_profile")
def register_counts_are_stale(sender, **kwargs):
    forget_register_counts()
    if sender is Credential:
        # A status (and so a bit of a published status list) may have changed.
        from credentials.status_lists import statuses_changed

        statuses_changed()
        # The workforce page's figures: stale now, counted again once the change commits.
        from credentials.selectors.workforce_counts import credentials_changed

        credentials_changed()
