"""Emails to candidates, queued once the transaction that decided them commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from exams.booking_states import BookingStatus
from portal.links import absolute_url
from portal.tasks import send_email


def email_candidate(booking, template: str, subject: str, **context) -> None:
    body = render_to_string(
        f"exams/emails/{template}.txt",
        {
            "booking": booking,
            "place_confirmed": booking.status == BookingStatus.CONFIRMED,
            "sitting": booking.sitting,
            "name": booking.candidate.get_full_name() or booking.candidate.email,
            "link": absolute_url(reverse("exams:booking", args=[booking.pk])),
            "SERVICE_NAME": settings.SERVICE_NAME,
            "FACULTY_NAME": settings.FACULTY_NAME,
            **context,
        },
    )
    message = {
        "subject": f"{settings.SERVICE_NAME}: {subject}",
        "body": body,
        "to": [booking.candidate.email],
        "from_email": settings.DEFAULT_FROM_EMAIL,
    }
    transaction.on_commit(lambda: send_email.enqueue(**message))
