"""Online single-best-answer papers: a paper assembled from approved question versions, and
each candidate's attempt at it with their answers.

The clock is the server's: an attempt ends at `ends_at`, which extra time moves later and a
rest break pushes back by the time spent in it. Every answer is saved as it is chosen; a save
names its question version and a save key, so a retried or out-of-order request changes
nothing (exams/services/attempts.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from exams.models.bank import QuestionVersion
from exams.models.exams import Component
from exams.models.results import Item
from exams.models.sittings import Booking, Sitting


class PaperState(models.TextChoices):
    DRAFT = "draft", "Draft: being assembled"
    FROZEN = "frozen", "Frozen: candidates can sit it"
    CLOSED = "closed", "Closed: answers marked"


class Paper(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="papers")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=PaperState.choices, default=PaperState.DRAFT)
    # {domain: number of questions}
    blueprint = models.JSONField(default=dict)
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    # Candidates may start between these times (the sitting's window, in the server's clock).
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    shuffle_questions = models.BooleanField(default=False)
    shuffle_options = models.BooleanField(default=False)
    # An approved extra-time adjustment lengthens the paper by this much.
    extra_time_percent = models.PositiveSmallIntegerField(default=25)
    # An approved rest-break adjustment lets the candidate pause the clock for up to this long.
    rest_break_minutes = models.PositiveSmallIntegerField(default=10)
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sitting", "component__order"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "component"], name="exams_paper_once"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="exams_paper_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=600),
                name="exams_paper_duration_5_to_600",
            ),
            models.CheckConstraint(
                condition=Q(extra_time_percent__lte=200), name="exams_paper_extra_time_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component.name}, {self.sitting}"


class PaperQuestion(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    # Made when the paper is frozen: the sitting's item that scoring and item analysis use.
    item = models.OneToOneField(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="paper_question"
    )

    class Meta:
        ordering = ["paper", "order"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "order"], name="exams_paper_order_once"),
            models.UniqueConstraint(fields=["paper", "version"], name="exams_paper_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id} #{self.order}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "Started"
    SUBMITTED = "submitted", "Submitted"


class SubmittedHow(models.TextChoices):
    CANDIDATE = "candidate", "By the candidate"
    TIME_UP = "time_up", "When time ran out"
    CLOSED = "closed", "When the exam team closed the paper"


class Attempt(models.Model):
    """One candidate's sitting of one paper: their order of questions and options, the clock."""

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="attempts")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="attempts")
    state = models.CharField(
        max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ends_at = models.DateTimeField()
    extra_seconds = models.PositiveIntegerField(default=0)
    # A rest break in progress, and the break time used so far.
    paused_at = models.DateTimeField(null=True, blank=True)
    break_seconds_used = models.PositiveIntegerField(default=0)
    # [paper question ids] in the order this candidate sees them, and for each the letters of
    # the options in the order shown ({"<paper question id>": "CADB"}).
    question_order = models.JSONField()
    option_orders = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_how = models.CharField(max_length=10, choices=SubmittedHow.choices, blank=True)
    resumes = models.PositiveIntegerField(default=0)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["paper", "booking"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "booking"], name="exams_attempt_once"),
            models.CheckConstraint(
                condition=Q(state="in_progress") | Q(submitted_at__isnull=False),
                name="exams_attempt_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.pk} ({self.get_state_display()})"


class Response(models.Model):
    """The candidate's answer to one question of their attempt (the option as the author
    lettered it, whatever order it was shown in) and whether they flagged it for review."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    paper_question = models.ForeignKey(PaperQuestion, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=1, blank=True)
    flagged = models.BooleanField(default=False)
    # The last save applied: its key ("<tab>.<sequence>") makes a retry a no-op and lets an
    # older save from the same tab, arriving late, be ignored.
    save_tab = models.CharField(max_length=40, blank=True)
    save_sequence = models.PositiveBigIntegerField(default=0)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attempt", "paper_question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "paper_question"], name="exams_response_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.paper_question_id}: {self.option or '-'}"
