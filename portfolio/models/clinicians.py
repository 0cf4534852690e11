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
from portfolio.routes import Route, route_for_profession


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
    # Which frameworks the clinician maps evidence to; starts from the profession.
    route = models.CharField(max_length=30, choices=Route.choices, blank=True)
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

    @property
    def effective_route(self) -> str:
        """The route chosen, or the profession's (a blank route follows the profession)."""
        return self.route or route_for_profession(self.profession)

    @property
    def effective_route_name(self) -> str:
        route = self.effective_route
        return Route(route).label if route else ""

    def clean_fields(self, exclude=None):
        """The number is judged against its register here, beside the fields' own checks, so
        that each field gets one message: none about the number while the register is missing
        or not a register (the number's rule depends on it), or while a form has refused the
        number already; and the register's format rather than "at most 20 characters"."""
        exclude = set(exclude or ())
        self.registration_number = normalise_registration_number(self.registration_number)
        errors = {}
        judged = not {"regulator", "registration_number"} & exclude
        if judged and self.regulator in Regulator.values:
            error = registration_number_error(self.regulator, self.registration_number)
            if error:
                errors["registration_number"] = [error]
                exclude.add("registration_number")
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        for field in ("full_name", "employer"):
            if has_hidden_characters(getattr(self, field)):
                raise ValidationError(
                    {field: "Remove the hidden or text-direction characters and try again."}
                )
