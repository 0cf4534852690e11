"""The daily credential run: reminders to holders before expiry; EXPIRING and EXPIRED events.

Run by the `credentials.tasks.run_daily_credential_checks` task or by
`manage.py credential_reminders` (for cron).

Decisions:
- Holders are reminded 90, 30 and 7 days before `valid_until`, each at most once (a
  CredentialReminder row, unique per credential and days). When several are due at once
  (runs were missed, or the credential was issued close to its end) only the most urgent is
  sent, and the less urgent ones are not sent afterwards.
- Only active credentials count: suspended, revoked and superseded ones get no reminders and
  no expiry events, nor does one already renewed (its renewal starts the day after it ends).
- A renewal issued early starts the day after the old credential ends; the old one stays
  valid until then and is superseded by this run on the renewal's first day.
- EXPIRING (ends within 30 days) and EXPIRED (ended before today) are announced once per
  credential through credentials.events (a CredentialExpiryNotice row, unique), so every
  listener, the watch list alerts among them, hears each once. EXPIRED is announced only for
  credentials that ended in the last EXPIRED_CATCH_UP_DAYS days: missed days are caught up,
  but the first run does not announce years of history.
- Safe to run twice the same day, or from two workers at once: the unique constraints decide.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from credentials.events import CredentialEvent, announce
from credentials.links import verification_url
from credentials.models import (
    Credential,
    CredentialExpiryNotice,
    CredentialReminder,
    CredentialStatus,
    ReminderDays,
)
from credentials.services.credentials import supersede_started_renewals
from credentials.statuses import RENEWAL_STANDS
from portal.audit import record
from portal.links import absolute_url
from portal.tasks import send_email

REMINDER_DAYS = tuple(sorted(ReminderDays.values, reverse=True))  # 90, 30, 7
EXPIRING_WITHIN_DAYS = 30
EXPIRED_CATCH_UP_DAYS = 30


@dataclass
class DailyRunResult:
    superseded: int = 0
    reminders: int = 0
    expiring: int = 0
    expired: int = 0


def due_reminder(valid_until: datetime.date, today: datetime.date) -> int | None:
    """The most urgent reminder due for a credential ending on VALID_UNTIL, if any."""
    days_left = (valid_until - today).days
    if days_left < 0:
        return None
    due = [days for days in REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


def run_daily_checks(*, today: datetime.date | None = None) -> DailyRunResult:
    today = today or timezone.localdate()
    # Renewals starting today first: the credentials they replace are then no longer active,
    # so they get no reminder and no expiry event.
    return DailyRunResult(
        superseded=supersede_started_renewals(today=today),
        reminders=send_expiry_reminders(today=today),
        expiring=announce_expiry_events(today=today, event=CredentialEvent.EXPIRING),
        expired=announce_expiry_events(today=today, event=CredentialEvent.EXPIRED),
    )


# --- reminders to holders ---------------------------------------------------------------------


def send_expiry_reminders(*, today: datetime.date) -> int:
    """Email each holder the reminder now due, once; returns how many were sent."""
    candidates = (
        Credential.objects.filter(
            status=CredentialStatus.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=max(REMINDER_DAYS)),
        )
        .exclude(superseded_by__status__in=RENEWAL_STANDS)  # renewed already: nothing to say
        .annotate(most_urgent_sent=Min("reminders__days_before"))
        .only("pk", "valid_until")
        .order_by("valid_until", "pk")
    )
    sent = 0
    for candidate in candidates:
        due = due_reminder(candidate.valid_until, today)
        if due is None:
            continue
        if candidate.most_urgent_sent is not None and candidate.most_urgent_sent <= due:
            continue  # this one, or a more urgent one, went already
        if _send_reminder(credential_pk=candidate.pk, days_before=due, today=today):
            sent += 1
    return sent


def _send_reminder(*, credential_pk: int, days_before: int, today: datetime.date) -> bool:
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update(of=("self",))
            .select_related("holder")
            .filter(pk=credential_pk, status=CredentialStatus.ACTIVE)
            .first()
        )
        if credential is None:
            return False
        try:
            with transaction.atomic():
                CredentialReminder.objects.create(
                    credential=credential, days_before=days_before, sent_on=today
                )
        except IntegrityError:
            return False  # another run sent it a moment ago
        days_left = (credential.valid_until - today).days
        record(
            "credential.reminder_sent",
            obj=credential,
            new={"days_before": days_before, "valid_until": credential.valid_until.isoformat()},
            detail=f"Expiry reminder: {days_left} days left",
        )
        ends = date_format(credential.valid_until, "j F Y")
        subject = f"Your {credential.title} expires on {ends}"
        body = render_to_string(
            "emails/credential_reminder.txt",
            {
                "credential": credential,
                "days_left": days_left,
                "sign_in_link": absolute_url(reverse("account_login")),
                "verify_link": verification_url(credential),
            },
        )
        to = [credential.holder.email]
        transaction.on_commit(
            lambda: send_email.enqueue(
                subject=subject[:200], body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL
            )
        )
    return True


# --- expiry events ----------------------------------------------------------------------------


def _expiry_window(event: CredentialEvent, today: datetime.date) -> dict:
    if event == CredentialEvent.EXPIRING:
        return {
            "valid_until__gte": today,
            "valid_until__lte": today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
        }
    return {
        "valid_until__lt": today,
        "valid_until__gte": today - datetime.timedelta(days=EXPIRED_CATCH_UP_DAYS),
    }


def announce_expiry_events(*, today: datetime.date, event: CredentialEvent) -> int:
    """Announce EVENT (EXPIRING or EXPIRED) once for each credential it now applies to."""
    if event not in CredentialExpiryNotice.EVENTS:
        raise ValueError(f"{event} is not an expiry event.")
    pending = (
        Credential.objects.filter(status=CredentialStatus.ACTIVE, **_expiry_window(event, today))
        .exclude(superseded_by__status__in=RENEWAL_STANDS)
        .exclude(expiry_notices__event=event)
        .order_by("valid_until", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_announce_once(credential_pk=pk, event=event, today=today) for pk in list(pending))


def _announce_once(*, credential_pk: int, event: CredentialEvent, today: datetime.date) -> bool:
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update()
            .filter(pk=credential_pk, status=CredentialStatus.ACTIVE)
            .first()
        )
        if credential is None:
            return False
        try:
            with transaction.atomic():
                CredentialExpiryNotice.objects.create(
                    credential=credential, event=event, sent_on=today
                )
        except IntegrityError:
            return False
        record(
            f"credential.{event.value}",
            obj=credential,
            new={"valid_until": credential.valid_until.isoformat()},
            detail=capfirst(event.label),
        )
        announce(credential, event)
    return True
