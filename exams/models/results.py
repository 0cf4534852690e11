"""Items and marks of a sitting, imports, Angoff judgements, candidates' results and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from exams import appeal_states
from exams.appeal_states import AppealStatus
from exams.models.exams import Component
from exams.models.sittings import Booking, Sitting


class Item(models.Model):
    """A question of an SBA paper (with its key) or a station of an OSCE, in one sitting."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="items")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    order = models.PositiveIntegerField()
    answer = models.CharField(max_length=1, blank=True)  # SBA only
    domain = models.CharField(max_length=60, blank=True)
    max_score = models.FloatField(default=1)
    excluded = models.BooleanField(default=False)
    excluded_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["sitting", "component__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "code"], name="exams_item_code_unique"),
        ]

    def __str__(self):
        return self.code


class Mark(models.Model):
    """One candidate's response to an item (option, scored) or score at a station (with grade)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="marks")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="marks")
    option = models.CharField(max_length=1, blank=True)
    score = models.FloatField()
    grade = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "item"], name="exams_mark_one_per_item"),
            models.CheckConstraint(condition=Q(score__gte=0), name="exams_mark_score_positive"),
        ]

    def __str__(self):
        return f"{self.booking_id}/{self.item_id}"


class ImportKind(models.TextChoices):
    KEY = "key", "Answer key (item, answer, domain)"
    SBA = "sba", "SBA responses (candidate number, item, option)"
    OSCE = "osce", "OSCE station scores (candidate number, station, score, grade)"


class PendingImport(models.Model):
    """An uploaded file that passed its dry run, kept until the administrator confirms it."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    filename = models.CharField(max_length=200)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.filename


class ResultsImport(models.Model):
    """A confirmed import (the log; re-importing the same file is recognised by its hash)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="imports")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return self.filename


class AngoffJudgement(models.Model):
    """One judge's probability that a borderline candidate answers an item correctly."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="judgements")
    judge = models.CharField(max_length=40)
    probability = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "judge"], name="exams_angoff_one_per_judge"),
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=1),
                name="exams_angoff_probability",
            ),
        ]

    def __str__(self):
        return f"{self.judge}: {self.probability}"


class CandidateResult(models.Model):
    """A candidate's result, computed when the standard is set (and again on re-scoring)."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="result")
    total = models.FloatField()
    max_total = models.FloatField()
    passed = models.BooleanField()
    stations_passed = models.PositiveSmallIntegerField(null=True, blank=True)
    # Feedback by domain (SBA) or station (OSCE): [{"label", "score", "max"}].
    feedback = models.JSONField(default=list)
    medal = models.BooleanField(default=False, help_text="Highest score (Macleod Medal).")

    def __str__(self):
        return f"{self.booking}: {self.total}"

    @property
    def percent(self) -> float:
        return 100 * self.total / self.max_total if self.max_total else 0.0


class AppealKind(models.TextChoices):
    REMARK = "remark", "Re-mark request"
    APPEAL = "appeal", "Appeal"


class Appeal(models.Model):
    """An appeal against a result, or a request to re-mark (a check of the marking)."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(max_length=10, choices=AppealKind.choices, default=AppealKind.APPEAL)
    grounds = models.TextField(max_length=4000)
    status = models.CharField(
        max_length=12, choices=AppealStatus.choices, default=AppealStatus.LODGED
    )
    outcome = models.TextField(max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lodged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(status=AppealStatus.LODGED),
                name="exams_appeal_one_open_per_booking",
            ),
        ]

    def __str__(self):
        return f"Appeal {self.pk} ({self.status})"

    @property
    def status_tag(self) -> str:
        """The NHS.UK tag colour of the status (exams.appeal_states)."""
        return appeal_states.words(self).tag
