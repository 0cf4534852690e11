"""Applications, their review rounds (each with its frozen snapshot), allocations, reviews,
decisions and appeals. Only accreditation/services/ writes an application's state; its states,
their words and the moves between them are in accreditation/states.py."""

from django.conf import settings
from django.db import models

from accreditation.models.pathways import ApplicationWindow, Pathway
from accreditation.states import OPEN_STATES, AppealOutcome, State
from credentials.api import Credential


class FeeStatus(models.TextChoices):
    DUE = "due", "Due"
    PAID = "paid", "Paid"
    WAIVED = "waived", "Waived"
    INVOICED = "invoiced", "Invoiced"


class Application(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="applications")
    window = models.ForeignKey(
        ApplicationWindow, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # A renewal names the credential it renews: approval supersedes it.
    renewal_of = models.ForeignKey(
        Credential, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state_changed_at = models.DateTimeField(auto_now_add=True)
    # The declaration: the extended role and the named supervisor.
    extended_role = models.TextField(blank=True)
    supervisor_name = models.CharField(max_length=200, blank=True)
    supervisor_email = models.EmailField(blank=True)
    # What the last step asked of the applicant (reasons, capabilities, deadline).
    returned_reasons = models.TextField(blank=True)
    more_evidence_capabilities = models.JSONField(default=list, blank=True)
    more_evidence_note = models.TextField(blank=True)
    more_evidence_deadline = models.DateField(null=True, blank=True)
    fee_status = models.CharField(max_length=10, choices=FeeStatus.choices, default=FeeStatus.DUE)
    fee_reference = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "state_changed_at"]),
            # The administrators' list: longest in their state first.
            models.Index(fields=["state_changed_at", "id"], name="accreditation_app_age"),
            models.Index(fields=["applicant", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "pathway"],
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                name="accreditation_one_open_application_per_pathway",
                violation_error_message="You already have an application for this pathway.",
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} ({self.pathway.name})"

    @property
    def reference(self) -> str:
        return f"APP-{self.pk:06d}"

    @property
    def is_renewal(self) -> bool:
        return self.renewal_of_id is not None


class ApplicationEvent(models.Model):
    """The applicant's timeline: each state change, in words (written with the audit event)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.to_state}"


class RoundOrigin(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RESUBMITTED = "resubmitted", "Resubmitted with more evidence"
    APPEAL = "appeal", "New review after an upheld appeal"


class ReviewRound(models.Model):
    """One submission of the portfolio, frozen: the evidence (and file hashes) as submitted.

    An upheld appeal with a new review starts a round of its own, holding the same evidence
    as the round appealed against, for fresh assessors; the earlier rounds are kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    origin = models.CharField(
        max_length=20, choices=RoundOrigin.choices, default=RoundOrigin.SUBMITTED
    )
    framework_code = models.CharField(max_length=50)
    framework_version = models.PositiveIntegerField()
    # {"outline": [domains with capabilities], "items": [evidence items with files]}
    snapshot = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="accreditation_round_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.application}"

    @property
    def capabilities(self) -> list[dict]:
        return [c for d in self.snapshot.get("outline", []) for c in d["competencies"]]

    @property
    def items(self) -> list[dict]:
        return self.snapshot.get("items", [])


class Allocation(models.Model):
    """An assessor allocated to an application. Reallocation ends it (history kept)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="allocations"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    allocated_at = models.DateTimeField(auto_now_add=True)
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)
    # The assessor declared a conflict of interest (the allocation ends with it).
    conflict_reason = models.CharField(max_length=500, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["allocated_at", "pk"]
        indexes = [models.Index(fields=["assessor", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"],
                condition=models.Q(ended_at__isnull=True),
                name="accreditation_allocated_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor_id} on {self.application_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Judgement(models.TextChoices):
    MET = "met", "Met"
    NOT_YET_MET = "not_yet_met", "Not yet met"
    INSUFFICIENT = "insufficient", "Insufficient evidence"


class Recommendation(models.TextChoices):
    APPROVE = "approve", "Approve"
    MORE_EVIDENCE = "more_evidence", "Request more evidence"
    DECLINE = "decline", "Decline"


class Review(models.Model):
    """One assessor's judgement of one round: every capability, and a recommendation."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    comment = models.TextField(blank=True)
    # [{"code", "judgement", "comment", "evidence": [item ids]}], one per capability
    judgements = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "assessor"], name="accreditation_one_review_per_assessor"
            ),
        ]

    def __str__(self) -> str:
        return f"Review by {self.assessor_id} of round {self.round_id}"


class ReviewDraft(models.Model):
    """An assessor's unfinished review of a round, saved to come back to (never shown to
    anyone else; deleted when the review is submitted)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="drafts")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The form's fields as posted (judgement, comment and evidence per capability, the
    # recommendation and the overall comment), checked again on submission.
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "assessor"], name="accreditation_one_draft_per_assessor"
            ),
        ]

    def __str__(self) -> str:
        return f"Draft by {self.assessor_id} of round {self.round_id}"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    MORE_EVIDENCE = "more_evidence", "More evidence requested"


class Decision(models.Model):
    """The lead assessor's decision on one round (one per round: a database rule)."""

    round = models.OneToOneField(ReviewRound, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    moderated = models.BooleanField(default=False)
    reasons = models.TextField(blank=True)
    # For a decline or a request: {capability code: reason}
    capability_reasons = models.JSONField(default=dict, blank=True)
    # For an approval: what the credential says (pre-filled from the pathway).
    scope = models.TextField("Scope of practice", blank=True)
    conditions = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (round {self.round_id})"


class Appeal(models.Model):
    """The applicant's appeal against a decline (one per application). Upheld, it either sends
    the evidence to fresh assessors in a new round or changes the decision to an approval."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="appeal")
    grounds = models.TextField()
    lodged_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # A new review: the round the fresh assessors judge.
    review_round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Appeal on {self.application_id}"

    @property
    def upheld(self) -> bool:
        return self.outcome in (AppealOutcome.NEW_REVIEW, AppealOutcome.DECISION_CHANGED)
