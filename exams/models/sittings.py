"""Sittings of an exam, candidates' bookings on them, and reasonable adjustments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from exams import adjustment_states, booking_states, sitting_states
from exams.adjustment_states import AdjustmentStatus
from exams.booking_states import BookingStatus
from exams.models.exams import Exam
from exams.sitting_states import SittingStatus

__all__ = [
    "Adjustment",
    "AdjustmentKind",
    "AdjustmentStatus",
    "Booking",
    "BookingStatus",
    "Sitting",
    "SittingMode",
    "SittingStatus",
]


class SittingMode(models.TextChoices):
    REMOTE = "remote", "Online (remote)"
    VENUE = "venue", "At a venue"


class Sitting(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="sittings")
    label = models.CharField(max_length=100, help_text="For example Spring 2027.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    mode = models.CharField(max_length=10, choices=SittingMode.choices)
    venue = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField()
    applications_open = models.DateField()
    applications_close = models.DateField()
    fee_pence = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=SittingStatus.choices, default=SittingStatus.DRAFT
    )
    # Candidate numbers are never reused within a sitting, even after a withdrawal.
    last_candidate_number = models.PositiveIntegerField(default=0)
    # Standard setting: the cut score on the raw total, and how it was reached.
    cut_score = models.FloatField(null=True, blank=True)
    standard_method = models.CharField(max_length=40, blank=True)
    standard_detail = models.JSONField(default=dict, blank=True)
    standard_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ratified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="exams_sitting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(applications_close__gte=F("applications_open"))
                & Q(applications_close__lte=F("starts_on")),
                name="exams_sitting_window_before_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=5000),
                name="exams_sitting_capacity_1_to_5000",
            ),
            models.CheckConstraint(
                condition=~Q(mode=SittingMode.VENUE) | ~Q(venue=""),
                name="exams_sitting_venue_named",
            ),
        ]

    def __str__(self):
        return f"{self.exam.name}, {self.label}"

    @property
    def status_tag(self) -> str:
        """The NHS.UK tag colour of the status (exams.sitting_states)."""
        return sitting_states.words(self).tag

    @property
    def fee_text(self) -> str:
        pounds, pence = divmod(self.fee_pence, 100)
        return f"£{pounds:,}" if not pence else f"£{pounds:,}.{pence:02d}"

    def accepting_applications(self, today) -> bool:
        return (
            self.status == SittingStatus.SCHEDULED
            and self.applications_open <= today <= self.applications_close
        )


class Booking(models.Model):
    """A candidate's application for a sitting: a confirmed place or a place on the waiting list."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="bookings")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_bookings"
    )
    status = models.CharField(max_length=12, choices=BookingStatus.choices)
    candidate_number = models.CharField(max_length=12, null=True, blank=True)
    attempt_number = models.PositiveSmallIntegerField()
    profession = models.CharField(max_length=40, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sitting", "applied_at", "pk"]
        constraints = [
            # No double booking: one live application per candidate per sitting.
            models.UniqueConstraint(
                fields=["sitting", "candidate"],
                condition=~Q(status=BookingStatus.WITHDRAWN),
                name="exams_booking_one_live_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["sitting", "candidate_number"], name="exams_booking_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CONFIRMED) | Q(candidate_number__isnull=False),
                name="exams_booking_confirmed_has_number",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "status"])]

    def __str__(self):
        return f"{self.candidate_number or 'waiting'} – {self.sitting}"

    @property
    def status_tag(self) -> str:
        """The NHS.UK tag colour of the status (exams.booking_states)."""
        return booking_states.words(self).tag


class AdjustmentKind(models.TextChoices):
    EXTRA_TIME = "extra_time", "Extra time"
    REST_BREAKS = "rest_breaks", "Rest breaks"
    SEPARATE_ROOM = "separate_room", "A separate room"
    READER = "reader", "A reader or screen reader"
    OTHER = "other", "Something else"


class Adjustment(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=AdjustmentKind.choices)
    details = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=12, choices=AdjustmentStatus.choices, default=AdjustmentStatus.REQUESTED
    )
    decision_note = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.booking}"

    @property
    def status_tag(self) -> str:
        """The NHS.UK tag colour of the status (exams.adjustment_states)."""
        return adjustment_states.words(self).tag
