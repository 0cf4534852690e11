import uuid

from django.conf import settings
from django.db import models


class EvidenceKind(models.TextChoices):
    CASE_REVIEW = "case_review", "Case review"
    AUDIT_QI = "audit_qi", "Audit or quality improvement"
    CPD_CERTIFICATE = "cpd_certificate", "CPD certificate"
    QUALIFICATION = "qualification", "Qualification"
    SUPERVISED_SESSION_LOG = "supervised_session_log", "Supervised session log"
    WORKPLACE_BASED_ASSESSMENT = "wpba", "Workplace-based assessment"
    MULTI_SOURCE_FEEDBACK = "msf", "Multi-source feedback"
    PATIENT_FEEDBACK = "patient_feedback", "Patient feedback"
    REFLECTIVE_NOTE = "reflective_note", "Reflective note"
    SUPERVISOR_REFERENCE = "supervisor_reference", "Supervisor's structured reference"
    OTHER = "other", "Other"


class EvidenceItem(models.Model):
    """One piece of evidence a clinician offers, mapped to competencies of any framework."""

    MAX_FILES = 5

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_items"
    )
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    date = models.DateField(help_text="When the activity took place.")
    title = models.CharField(max_length=200)
    reflection = models.TextField(blank=True)
    # Set by accreditation when the item goes into a submitted application: it can no longer
    # be edited or deleted.
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    competencies = models.ManyToManyField(
        "portfolio.Competency", through="portfolio.EvidenceLink", related_name="evidence_items"
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["owner", "-date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class EvidenceLink(models.Model):
    """Evidence item ↔ competency, under the framework version it was mapped with."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="links")
    competency = models.ForeignKey(
        "portfolio.Competency", on_delete=models.PROTECT, related_name="links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "competency"], name="portfolio_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.competency.code}"


def _stored_name(instance, filename):
    # Never the uploaded name: a random name under the owner's folder.
    return f"evidence/{instance.item.owner_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_stored_name, max_length=200)
    original_name = models.CharField(max_length=150, help_text="Sanitised for display.")
    content_type = models.CharField(max_length=100, help_text="Detected from the content.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ConfirmationStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a reply"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    VOID = "void", "Void (the item changed after it was confirmed)"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Confirmation(models.Model):
    """A named third party asked, by single-use expiring link, to confirm one evidence item."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="confirmations")
    confirmer_name = models.CharField(max_length=200)
    confirmer_email = models.EmailField()
    confirmer_role = models.CharField(
        "Confirmer's role",
        max_length=200,
        blank=True,
        help_text="For example consultant physiotherapist.",
    )
    # Only a hash of the link's token is stored, so a database leak reveals no live links.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=ConfirmationStatus.choices, default=ConfirmationStatus.REQUESTED
    )
    comment = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status__in=["requested", "confirmed"]),
                name="portfolio_one_live_confirmation_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.confirmer_name} on {self.item}"
