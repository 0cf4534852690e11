"""Commissioners' watch lists, the alerts they receive, and the reminders sent to holders."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from credentials.events import CredentialEvent


class WatchList(models.Model):
    """A commissioner's named list of clinicians, by registration number."""

    MAX_ENTRIES = 5000
    NAME_MAX_LENGTH = 120

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_lists"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="credentials_watchlist_name_once_per_owner",
                violation_error_message="You already have a watch list with this name.",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""), name="credentials_watchlist_has_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WatchListEntry(models.Model):
    """One registration number on a list, stored uppercase without spaces."""

    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="entries")
    registration_number = models.CharField(max_length=20)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["registration_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["watch_list", "registration_number"],
                name="credentials_watchlist_number_once",
                violation_error_message="This registration number is already on the list.",
            ),
            models.CheckConstraint(
                condition=~models.Q(registration_number=""),
                name="credentials_watchlist_entry_has_number",
            ),
        ]
        indexes = [models.Index(fields=["registration_number"])]

    def __str__(self) -> str:
        return f"{self.registration_number} on {self.watch_list}"


class WatchNotification(models.Model):
    """An alert on one list about one event of one credential: shown on the alerts page.

    The unique constraint makes alerting idempotent: a repeated daily run or a retried task
    finds the row already there and sends nothing. `occurrence` tells apart events that can
    happen more than once to a credential (a second suspension after a reinstatement); it is
    blank for those that happen once (issued, revoked, superseded, expiring, expired).
    """

    watch_list = models.ForeignKey(
        WatchList, on_delete=models.CASCADE, related_name="notifications"
    )
    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.CASCADE, related_name="watch_notifications"
    )
    registration_number = models.CharField(max_length=20)
    event = models.CharField(max_length=12, choices=CredentialEvent.choices)
    occurrence = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["watch_list", "credential", "event", "occurrence"],
                name="credentials_one_watch_notification",
            ),
        ]
        indexes = [models.Index(fields=["watch_list", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {self.registration_number} ({self.watch_list})"


class ReminderDays(models.IntegerChoices):
    NINETY = 90, "90 days before expiry"
    THIRTY = 30, "30 days before expiry"
    SEVEN = 7, "7 days before expiry"


class CredentialReminder(models.Model):
    """A reminder emailed to a holder before their credential expires: each is sent once."""

    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(choices=ReminderDays.choices)
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "days_before"], name="credentials_reminder_once"
            ),
            models.CheckConstraint(
                condition=models.Q(days_before__in=ReminderDays.values),
                name="credentials_reminder_known_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credential_id}: {self.get_days_before_display()}"


class CredentialExpiryNotice(models.Model):
    """That a credential's EXPIRING or EXPIRED event has been announced: each happens once."""

    EVENTS = (CredentialEvent.EXPIRING, CredentialEvent.EXPIRED)

    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.CASCADE, related_name="expiry_notices"
    )
    event = models.CharField(max_length=12, choices=CredentialEvent.choices)
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "event"], name="credentials_expiry_notice_once"
            ),
            models.CheckConstraint(
                condition=models.Q(event__in=["expiring", "expired"]),
                name="credentials_expiry_notice_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credential_id}: {self.event}"
