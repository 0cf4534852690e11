"""Who is told of a step, by email after it commits: the applicant, the application's
assessors, the lead assessors and the faculty office. The subjects are the states' words
(accreditation.states)."""

from django.urls import reverse

from accreditation.models import Allocation
from accreditation.services import notify
from portal.roles import Role, users_with_role


def application_page(application) -> str:
    return reverse("accreditation:application", args=[application.pk])


def tell_applicant(application, subject: str, *lines: str) -> None:
    notify.email([application.applicant.email], subject, list(lines), application_page(application))


def tell_assessors(application, subject: str, line: str) -> None:
    """Tell the application's current assessors (before their allocations end)."""
    emails = Allocation.objects.filter(application=application, ended_at__isnull=True).values_list(
        "assessor__email", flat=True
    )
    notify.email(
        list(emails),
        subject,
        [f"Application {application.reference} ({application.pathway.name}): {line}"],
        reverse("accreditation:assessor_queue"),
    )


def _emails_of(role: Role):
    return users_with_role(role).filter(is_active=True).values_list("email", flat=True)


def lead_emails():
    return _emails_of(Role.LEAD_ASSESSOR)


def admin_emails():
    return _emails_of(Role.FACULTY_STAFF)


def tell_leads(application, subject: str, line: str) -> None:
    notify.email(
        lead_emails(),
        subject,
        [line],
        reverse("accreditation:lead_application", args=[application.pk]),
    )
