import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Profession(models.TextChoices):
    GP = "gp", "GP"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    PODIATRIST = "podiatrist", "Podiatrist"
    OSTEOPATH = "osteopath", "Osteopath"
    NURSE = "nurse", "Nurse"
    SPORT_EXERCISE_THERAPIST = "sport_exercise_therapist", "Sport and exercise therapist"
    TECHNICAL_INSTRUCTOR = "technical_instructor", "Technical instructor"
    OTHER = "other", "Other"


class Regulator(models.TextChoices):
    GMC = "gmc", "General Medical Council (GMC)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    GOSC = "gosc", "General Osteopathic Council (GOsC)"
    NONE = "none", "Not regulated by a statutory body"


# (pattern, what a person is told when the number does not match)
REGISTRATION_FORMATS = {
    Regulator.GMC: (r"\d{7}", "A GMC number is 7 digits, for example 1234567."),
    Regulator.HCPC: (
        r"[A-Z]{2}\d{4,6}",
        "An HCPC number is 2 letters for the profession then digits, for example PH123456.",
    ),
    Regulator.NMC: (
        r"[0-9A-Z]{8}",
        "An NMC PIN is 8 characters, letters and digits, for example 12A3456B.",
    ),
    Regulator.GOSC: (r"\d{4,5}", "A GOsC number is 4 or 5 digits, for example 12345."),
}


def normalise_registration_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def registration_number_error(regulator: str, number: str) -> str | None:
    """The message to show when NUMBER is not a valid number for REGULATOR, else None."""
    if regulator == Regulator.NONE:
        return "Leave the registration number blank if you are not registered." if number else None
    if not number:
        return "Enter your registration number."
    pattern, message = REGISTRATION_FORMATS[Regulator(regulator)]
    return None if re.fullmatch(pattern, number) else message


class ClinicianProfile(models.Model):
    """The clinician behind an account: who they are and where they are registered."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    full_name = models.CharField("Full name", max_length=200)
    profession = models.CharField(max_length=40, choices=Profession.choices)
    regulator = models.CharField(max_length=10, choices=Regulator.choices)
    registration_number = models.CharField(max_length=20, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    region = models.CharField("Region or integrated care board (ICB)", max_length=200, blank=True)
    consent_to_public_register = models.BooleanField(
        "I agree to appear on the public register", default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["regulator", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="portfolio_one_profile_per_registration",
                violation_error_message=(
                    "Another clinician's profile already uses this registration number. "
                    "Contact the faculty office if it is yours."
                ),
            ),
        ]
        indexes = [models.Index(fields=["registration_number"])]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        self.registration_number = normalise_registration_number(self.registration_number)
        if self.regulator:
            error = registration_number_error(self.regulator, self.registration_number)
            if error:
                raise ValidationError({"registration_number": error})
