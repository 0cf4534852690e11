"""Emails for each step, in plain words with a link, sent after the step commits."""

from django.conf import settings
from django.db import transaction

from portal.links import absolute_url
from portal.tasks import send_email

# Steps a person triggers themselves (submit, withdraw, appeal...) send email: at most this
# many an hour per person, counted in the shared cache (portal/throttle.py).
USER_EMAIL_STEPS_PER_HOUR = 20


def over_user_limit(user) -> bool:
    """Count one emailing step by USER; True once they are over the hourly limit. With the
    cache down, their accreditation steps recorded in the last hour are counted instead."""
    from portal import throttle

    limit = throttle.Limit(USER_EMAIL_STEPS_PER_HOUR, throttle.HOUR)
    return throttle.over_user_limit(
        user, "accreditation-steps", limit, audit_prefix="accreditation."
    )


def _send(recipients, subject, body):
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    # One email per person: no one sees who else was told.
    for recipient in recipients:
        send_email.enqueue(
            subject=f"{subject} - {settings.SERVICE_NAME}",
            body=body,
            to=[recipient],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )


def email(recipients, subject: str, lines: list[str], path: str = "") -> None:
    """Queue one email to RECIPIENTS (addresses) for when the transaction commits, ending with
    a link to PATH (none when LINES carry their own link)."""
    link = [f"See it here: {absolute_url(path)}"] if path else []
    body = "\n\n".join([*lines, *link, settings.FACULTY_NAME])
    recipients = list(recipients)
    transaction.on_commit(lambda: _send(recipients, subject, body))
