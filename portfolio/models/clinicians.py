from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from portal.regions import Region
from portal.text import has_hidden_characters
from portfolio.registration import (
    NUMBER_MAX_LENGTH,
    Regulator,
    normalise_registration_number,
    registration_number_error,
)


class Profession(models.TextChoices):
    GP = "gp", "GP"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    PODIATRIST = "podiatrist", "Podiatrist"
    OSTEOPATH = "osteopath", "Osteopath"
    NURSE = "nurse", "Nurse"
    SPORT_EXERCISE_THERAPIST = "sport_exercise_therapist", "Sport and exercise therapist"
    TECHNICAL_INSTRUCTOR = "technical_instructor", "Technical instructor"
    OTHER = "other", "Other"


class ClinicianProfile(models.Model):
    """The clinician behind an account: who they are and where they are registered."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    full_name = models.CharField("Full name", max_length=200)
    profession = models.CharField(max_length=40, choices=Profession.choices)
    regulator = models.CharField("Professional register", max_length=10, choices=Regulator.choices)
    registration_number = models.CharField(max_length=NUMBER_MAX_LENGTH, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    region = models.CharField(
        "Integrated care board (ICB) or nation",
        max_length=40,
        choices=Region.choices,
        blank=True,
    )
    consent_to_public_register = models.BooleanField(
        "I agree to appear on the public register", default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Across registers: numbers are looked up without their register (the formats
            # do not overlap, portfolio/registration.py).
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~models.Q(registration_number=""),
                name="portfolio_one_profile_per_registration",
                violation_error_message=(
                    "Another clinician's profile already uses this registration number. "
                    "Contact the faculty office if it is yours."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        self.registration_number = normalise_registration_number(self.registration_number)
        for field in ("full_name", "employer"):
            if has_hidden_characters(getattr(self, field)):
                raise ValidationError(
                    {field: "Remove the hidden or text-direction characters and try again."}
                )
        if self.regulator:
            error = registration_number_error(self.regulator, self.registration_number)
            if error:
                raise ValidationError({"registration_number": error})
