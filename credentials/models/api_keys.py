"""Keys that other organisations' systems use to call the register API, and each key's use.

A key is shown once, when it is issued (credentials.services.api_keys); only its SHA-256 hash
is stored, beside a short public prefix that finds the row. Each accepted request leaves one
`ApiKeyUse` row: the rate limits count and add them up (portal.throttle's database form, so
they hold with Redis down), and they say who checked how many numbers when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.regions import Region


class ApiKey(models.Model):
    """A named organisation's key to POST /api/v1/register/status."""

    DEFAULT_REQUESTS_PER_MINUTE = 60
    DEFAULT_NUMBERS_PER_DAY = 20_000

    organisation = models.CharField(max_length=200)
    contact_email = models.EmailField(
        help_text="Who to tell about the key: changes to the API, or a key that must be revoked."
    )
    region = models.CharField(
        "Integrated care board or region",
        max_length=40,
        choices=Region.choices,
        blank=True,
    )
    # "msk_<prefix>_<secret>": the prefix is public (it finds the row and names the key in the
    # admin); the whole key is stored only as its hash.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField("SHA-256 of the key", max_length=64, editable=False)
    requests_per_minute = models.PositiveIntegerField(default=DEFAULT_REQUESTS_PER_MINUTE)
    numbers_per_day = models.PositiveIntegerField(
        default=DEFAULT_NUMBERS_PER_DAY,
        help_text="Registration numbers checked in any 24 hours, across all requests.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = "register API key"
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation=""), name="credentials_apikey_has_organisation"
            ),
            models.CheckConstraint(
                condition=Q(requests_per_minute__gte=1) & Q(numbers_per_day__gte=1),
                name="credentials_apikey_limits_positive",
            ),
            # A revoked key says when; an active one has no reason.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=False) | Q(revoked_reason=""),
                name="credentials_apikey_reason_only_when_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        """How the key starts, enough to tell it apart: "msk_3f9a1c0b7d2e_…"."""
        return f"msk_{self.prefix}_…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiKeyUse(models.Model):
    """One accepted request: when, and how many numbers it checked."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    numbers = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]
        # The rate limits read one key's uses in the last minute and the last day.
        indexes = [models.Index(fields=["key", "at"], name="credentials_apikeyuse_window")]

    def __str__(self) -> str:
        return f"{self.numbers} numbers at {self.at:%Y-%m-%d %H:%M:%S}"
