import secrets

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from credentials.models.indexes import TrigramIndex
from credentials.statuses import CredentialStatus, PublicStatus
from portfolio.api import display_number, number_in_words, profession_name, region_name

# ASCII only: [a-z] and [0-9] spelled out, since \d would take any Unicode digit.
ascii_code = RegexValidator(r"\A[a-z][a-z0-9_]{1,39}\Z", "Use lower-case letters, 0-9 and _.")
serial_prefix = RegexValidator(r"\A[A-Z]{2,8}\Z", "Use 2 to 8 capital letters.")


class CredentialType(models.Model):
    """A kind of credential the faculty awards: its names, serial prefix and criteria.

    Data, not code: administrators add one (a new diploma, say) in the Django admin, and
    pathways and exams name the type they award. The standard types are created by
    migration 0002.
    """

    code = models.CharField(
        primary_key=True,
        max_length=40,
        validators=[ascii_code],
        help_text="Lower-case letters, digits and underscores; never changes once used.",
    )
    # The one name people read for it everywhere: register, verification page, certificate,
    # emails, dashboards; every credential of the type carries it as its title.
    name = models.CharField(max_length=200, unique=True)
    serial_prefix = models.CharField(
        max_length=8, unique=True, validators=[serial_prefix], help_text="For example GPWER."
    )
    criteria = models.TextField(
        help_text="How it is earned, in a sentence or two (shown in the Open Badge)."
    )
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long an award lasts; blank if it does not expire."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def new_token() -> str:
    # 32 random bytes: unguessable, URL-safe, 43 characters.
    return secrets.token_urlsafe(32)


class SerialCounter(models.Model):
    """The last serial number used for a kind in a year.

    Incremented under a row lock in the same transaction that creates the credential, so a
    rolled-back issue gives its number back: serials have no gaps (a sequence would).
    """

    kind = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="credentials_one_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_id}-{self.year}: {self.last_number}"


class Credential(models.Model):
    """Something the faculty awards: an accreditation, a diploma, a membership."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    # Printed and published as they were at issue, whatever the profile says later.
    holder_name = models.CharField(max_length=200)
    regulator = models.CharField("Professional register", max_length=10, blank=True)
    registration_number = models.CharField(max_length=20, blank=True, db_index=True)
    profession = models.CharField(max_length=40, blank=True)
    # An integrated care board or nation (portal.regions), as the register filters on.
    region = models.CharField(max_length=40, blank=True, db_index=True)
    kind = models.ForeignKey(
        CredentialType,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name="credential type",
    )
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

    # Its place in the published Bitstring Status Lists (credentials/status_lists.py): list
    # STATUS_LIST, bit STATUS_INDEX, the same in the revocation and the suspension list.
    status_list = models.PositiveIntegerField(null=True, blank=True)
    status_index = models.PositiveIntegerField(null=True, blank=True)

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
            # One credential per bit: a verifier reading bit N learns about one credential.
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credentials_status_index_once"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["valid_until"]),
            # Building a status list reads the revoked or suspended credentials of one list.
            models.Index(fields=["status_list", "status"], name="credential_status_list"),
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

    def get_absolute_url(self) -> str:
        """The public verification page (a public contract)."""
        from credentials.links import verification_path

        return verification_path(self)

    def public_status(self, today=None) -> PublicStatus:
        """Revoked, suspended and superseded win; otherwise the dates decide."""
        if self.status != CredentialStatus.ACTIVE:
            return PublicStatus(self.status)
        today = today or timezone.localdate()
        if self.valid_until is not None and self.valid_until < today:
            return PublicStatus.EXPIRED
        return PublicStatus.ACTIVE

    @property
    def registration(self) -> str:
        """The number with its register, as the register shows it: "GMC 7012345"."""
        return display_number(self.regulator, self.registration_number)

    @property
    def registration_in_words(self) -> str:
        """As the certificate prints it: "GMC number 7012345"."""
        return number_in_words(self.regulator, self.registration_number)

    @property
    def profession_name(self) -> str:
        return profession_name(self.profession)

    @property
    def region_name(self) -> str:
        return region_name(self.region)

    def is_valid(self, today=None) -> bool:
        from credentials.statuses import public_record

        return public_record(self, today).is_valid
