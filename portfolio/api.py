"""What other apps use from portfolio: clinicians' registration and profiles, read-only.

Other apps import from here rather than from portfolio's models, forms or services
(tests/test_layering.py checks), so portfolio can change its insides freely.
"""

from django.db.models import OuterRef, Subquery

from portal.regions import Region, region_name
from portfolio.models import ClinicianProfile, Profession
from portfolio.registration import (
    FORMATS,
    NOT_A_NUMBER,
    NUMBER_MAX_LENGTH,
    Regulator,
    display_number,
    is_registration_number,
    normalise_registration_number,
    number_in_words,
    regulator_for_number,
)

__all__ = [
    "FORMATS",
    "NOT_A_NUMBER",
    "NUMBER_MAX_LENGTH",
    "ClinicianProfile",
    "Profession",
    "Region",
    "Regulator",
    "consents_to_register",
    "display_number",
    "is_registration_number",
    "normalise_registration_number",
    "number_in_words",
    "profession_name",
    "profile_of",
    "region_name",
    "region_of",
    "regulator_for_number",
]


def profession_name(code: str) -> str:
    if not code:
        return ""
    try:
        return Profession(code).label
    except ValueError:
        return code


def profile_of(user) -> ClinicianProfile | None:
    """USER's clinician profile, or None if they have not made one."""
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    return ClinicianProfile.objects.filter(user=user).first()


def region_of(user_ref=None):
    """A subquery: the ICB code on the profile of the user at USER_REF (default the holder)."""
    user_ref = user_ref if user_ref is not None else OuterRef("holder_id")
    return Subquery(ClinicianProfile.objects.filter(user_id=user_ref).values("region")[:1])


def consents_to_register(user_ref=None):
    """A subquery: whether the user at USER_REF (default OuterRef("holder_id")) agreed to
    appear on the public register (None when they have no profile)."""
    user_ref = user_ref if user_ref is not None else OuterRef("holder_id")
    return Subquery(
        ClinicianProfile.objects.filter(user_id=user_ref).values("consent_to_public_register")[:1]
    )
