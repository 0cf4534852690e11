import secrets

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from credentials.models.indexes import TrigramIndex


class CredentialKind(models.TextChoices):
    GPWER_MSK = "gpwer_msk", "GP with Extended Role (GPwER) in MSK accreditation"
    MSK_ADVANCED_PRACTICE = "msk_advanced_practice", "MSK advanced practice credential"
    SPORT_EXERCISE_THERAPIST = "sport_exercise_therapist", "Sport and exercise therapist competence"
    DIPLOMA = "diploma", "Diploma in MSK Medicine"
    MEMBERSHIP = "membership", "Membership of the faculty"


# The human-readable serial: PREFIX-YEAR-NNNNN, gap-free per kind and year.
SERIAL_PREFIXES = {
    CredentialKind.GPWER_MSK: "GPWER",
    CredentialKind.MSK_ADVANCED_PRACTICE: "MSKAP",
    CredentialKind.SPORT_EXERCISE_THERAPIST: "SET",
    CredentialKind.DIPLOMA: "DIP",
    CredentialKind.MEMBERSHIP: "MEM",
}


class CredentialStatus(models.TextChoices):
    """The stored status. "Expired" is never stored: it follows from the dates."""

    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded by a renewal"


class PublicStatus(models.TextChoices):
    """What the register, the verification page, the JSON and the badge say."""

    ACTIVE = "active", "Valid"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Replaced by a renewal"


def new_token() -> str:
    # 32 random bytes: unguessable, URL-safe, 43 characters.
    return secrets.token_urlsafe(32)


class SerialCounter(models.Model):
    """The last serial number used for a kind in a year.

    Incremented under a row lock in the same transaction that creates the credential, so a
    rolled-back issue gives its number back: serials have no gaps (a sequence would).
    """

    kind = models.CharField(max_length=40, choices=CredentialKind.choices)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="credentials_one_counter"),
        ]

    def __str__(self) -> str:
        return f"{SERIAL_PREFIXES[CredentialKind(self.kind)]}-{self.year}: {self.last_number}"


class CredentialQuerySet(models.QuerySet):
    def currently_valid(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=CredentialStatus.ACTIVE, valid_from__lte=today).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)
        )


class Credential(models.Model):
    """Something the faculty awards: an accreditation, a diploma, a membership."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    # Printed and published as they were at issue, whatever the profile says later.
    holder_name = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=20, blank=True, db_index=True)
    region = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=40, choices=CredentialKind.choices)
    title = models.CharField(max_length=200)
    scope = models.TextField("Scope of practice", blank=True)
    conditions = models.TextField(blank=True)

    serial = models.CharField(max_length=30, unique=True)
    serial_year = models.PositiveIntegerField()
    serial_number = models.PositiveIntegerField()
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    issued_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    # Shown publicly for suspension and revocation.
    status_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    # What the credential was issued for ("exams.result", 42): issuing twice returns it.
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=64)

    certificate = models.FileField(upload_to="certificates/", blank=True, max_length=200)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], name="credentials_one_credential_per_source"
            ),
            models.UniqueConstraint(
                fields=["kind", "serial_year", "serial_number"],
                name="credentials_serial_number_once",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="credentials_valid_until_after_from",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["valid_until"]),
            # Register search by name: icontains is UPPER(holder_name) LIKE on PostgreSQL,
            # served by a pg_trgm index (a plain index on other databases).
            TrigramIndex(
                OpClass(Upper("holder_name"), name="gin_trgm_ops"),
                name="credential_holder_name_trgm",
            ),
            # The register's order: a broad search reads it until it has a page.
            models.Index(
                fields=["holder_name", "-issued_at", "id"], name="credential_register_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title} – {self.holder_name}"

    def public_status(self, today=None) -> PublicStatus:
        """Revoked, suspended and superseded win; otherwise the dates decide."""
        if self.status != CredentialStatus.ACTIVE:
            return PublicStatus(self.status)
        today = today or timezone.localdate()
        if self.valid_until is not None and self.valid_until < today:
            return PublicStatus.EXPIRED
        return PublicStatus.ACTIVE

    def is_valid(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.public_status(today) == PublicStatus.ACTIVE and self.valid_from <= today
