"""The supervisor's structured reference, asked for by email and given without an account.

The applicant names their supervisor on the application; the portal (not the applicant) asks
them, by a single-use expiring link, for a structured reference. Only the SHA-256 of the
link's token is stored. The answers are the supervisor's: the applicant sees that a reference
was given, never what it says; the assessors read it in the frozen round.
"""

from django.db import models

from accreditation.models.applications import Application


class ReferenceStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for your supervisor"
    GIVEN = "given", "Given"
    WITHDRAWN = "withdrawn", "Replaced or withdrawn"


# A request waiting for an answer, or an answer given: one per application (a database rule).
LIVE_REFERENCE_STATUSES = (ReferenceStatus.REQUESTED, ReferenceStatus.GIVEN)


class SupervisorSpecialty(models.TextChoices):
    SEM = "sem", "Sport and exercise medicine"
    ORTHOPAEDICS = "orthopaedics", "Trauma and orthopaedics"
    PAIN = "pain", "Pain medicine"
    RHEUMATOLOGY = "rheumatology", "Rheumatology"
    OTHER = "other", "Another specialty"


class SupervisorReference(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supervisor_references"
    )
    # Who was asked, as the application named them when the request was sent.
    supervisor_name = models.CharField(max_length=200)
    supervisor_email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=ReferenceStatus.choices, default=ReferenceStatus.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    given_at = models.DateTimeField(null=True, blank=True)
    # The structured reference as given: {"specialty", "post", "registration", "months",
    # "capabilities": [{"code", "title", "entrusted", "comment"}], "concerns",
    # "concerns_detail", "comment"} (see accreditation/services/references.py).
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=["requested", "given"]),
                name="accreditation_one_live_reference",
            ),
        ]
        indexes = [models.Index(fields=["application", "-requested_at"])]

    def __str__(self) -> str:
        return f"Reference from {self.supervisor_name} for {self.application_id}"
