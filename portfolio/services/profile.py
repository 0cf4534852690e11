from django.db import transaction

from portal.audit import record
from portfolio.models import ClinicianProfile

AUDITED_FIELDS = (
    "full_name",
    "profession",
    "regulator",
    "registration_number",
    "employer",
    "region",
    "route",
    "consent_to_public_register",
)


def _snapshot(profile: ClinicianProfile | None) -> dict | None:
    if profile is None or profile.pk is None:
        return None
    return {field: getattr(profile, field) for field in AUDITED_FIELDS}


@transaction.atomic
def save_profile(*, user, data: dict) -> ClinicianProfile:
    """Create or update USER's clinician profile from validated DATA, audited."""
    profile = ClinicianProfile.objects.select_for_update().filter(user=user).first()
    old = _snapshot(profile)
    if profile is None:
        profile = ClinicianProfile(user=user)
    for field in AUDITED_FIELDS:
        setattr(profile, field, data.get(field, getattr(profile, field)))
    profile.full_clean()
    profile.save()
    new = _snapshot(profile)
    if old != new:
        record("portfolio.profile_saved", obj=profile, old=old, new=new, actor=user)
    return profile
