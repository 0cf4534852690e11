"""Renewing a credential: from the renewing pathway's window before the credential ends
(Pathway.renewal_days), on the published pathway that awards its type."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accreditation.models import Pathway
from accreditation.models.pathways import DEFAULT_RENEWAL_DAYS
from accreditation.services.rules import Line
from credentials import api as credentials_api


def renewing_pathway(credential) -> Pathway | None:
    """The published pathway that renews CREDENTIAL (the one that awards its type)."""
    return Pathway.objects.filter(credential_type_code=credential.kind_id, published=True).first()


def renewal_days(pathway) -> int:
    """How long before a credential ends its renewal may start: the renewing PATHWAY's
    window (the usual window when none renews it; starting is then refused with a reason)."""
    return pathway.renewal_days if pathway is not None else DEFAULT_RENEWAL_DAYS


def renewable(credential, day=None, *, pathway) -> str:
    """ "" if CREDENTIAL may be renewed now on PATHWAY (renewing_pathway), otherwise why
    not, in words."""
    day = day or timezone.localdate()
    if not credentials_api.public_record(credential, day).is_valid:
        return "Only a valid credential can be renewed."
    if credential.valid_until is None:
        return "This credential does not expire."
    renewal = getattr(credential, "superseded_by", None)
    if renewal is not None:
        return (
            f"It has been renewed already, as {renewal.serial}, which starts on "
            f"{renewal.valid_from:%-d %B %Y}."
        )
    opens = credential.valid_until - datetime.timedelta(days=renewal_days(pathway))
    if day < opens:
        return f"You can start a renewal from {opens:%-d %B %Y}."
    return ""


def renewal_line(application, day=None) -> Line:
    credential = application.renewal_of
    pathway = application.pathway
    why = renewable(credential, day, pathway=pathway)
    text = (
        f"Your {credential.title} ({credential.serial}) is valid and ends within "
        f"{pathway.renewal_days} days."
    )
    if why:
        text += f" {why}"
    return Line(not why, text, reverse("credentials:my_credentials"), "See your credentials")
