"""The award: an approved application's credential, issued (or, for a renewal, renewed)
through credentials.api, which makes it once per application."""

from django.utils import timezone

from credentials import api as credentials_api


def award(application, by, *, scope: str, conditions: str = ""):
    """The credential APPLICATION earned, issued by BY (None: the portal, when the
    assessors' agreed approval stands without a lead's sign-off)."""
    pathway = application.pathway
    source = credentials_api.Source("accreditation.application", application.pk)
    if application.is_renewal:
        # The renewal supersedes the old credential (credentials decides the dates: from the
        # day after the old one ends, or today if later).
        return credentials_api.renew_credential(
            credential=application.renewal_of,
            source=source,
            issued_by=by,
            scope=scope,
            conditions=conditions,
        )
    valid_from = timezone.localdate()
    kwargs = {}
    if pathway.validity_months:
        kwargs["valid_until"] = credentials_api.last_day_after(valid_from, pathway.validity_months)
    return credentials_api.issue_credential(
        holder=application.applicant,
        credential_type=pathway.credential_type_code,
        source=source,
        valid_from=valid_from,
        issued_by=by,
        scope=scope,
        conditions=conditions,
        **kwargs,
    )
