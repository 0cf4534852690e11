"""Prior qualifications: the other route to a 'holds an active credential' eligibility rule.

A GP who passed the Diploma in MSK Medicine before the portal existed (or holds a
qualification the pathway accepts instead) has no credential here to show. They declare the
qualification with its certificate; an administrator verifies it during the eligibility and
completeness check. A verified declaration counts for every application of that applicant.
"""

from django.conf import settings
from django.db import models


class QualificationStatus(models.TextChoices):
    DECLARED = "declared", "Waiting for the faculty to verify"
    VERIFIED = "verified", "Verified"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


LIVE_QUALIFICATION_STATUSES = (QualificationStatus.DECLARED, QualificationStatus.VERIFIED)


class PriorQualification(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prior_qualifications"
    )
    # The credential type it stands in for (an eligibility rule's credential_type_code).
    credential_type_code = models.CharField(max_length=40)
    qualification = models.CharField(max_length=200)
    awarding_body = models.CharField(max_length=200)
    awarded_on = models.DateField()
    # The certificate: an evidence item in the applicant's portfolio (locked once declared),
    # and its files as declared, so a later change cannot alter what was verified.
    certificate = models.ForeignKey(
        "portfolio.EvidenceItem", on_delete=models.PROTECT, related_name="+"
    )
    files = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=QualificationStatus.choices, default=QualificationStatus.DECLARED
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "credential_type_code"],
                condition=models.Q(status__in=[s.value for s in LIVE_QUALIFICATION_STATUSES]),
                name="accreditation_one_live_prior_qualification",
                violation_error_message="You have declared this qualification already.",
            ),
        ]
        indexes = [models.Index(fields=["status", "declared_at"])]

    def __str__(self) -> str:
        return f"{self.qualification} ({self.applicant_id})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_QUALIFICATION_STATUSES
