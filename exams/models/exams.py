"""An exam and its components, held as data: the faculty changes them without a release."""

from django.db import models
from django.db.models import Q


class Exam(models.Model):
    """A diploma or membership exam: what it is made of, who may sit it, what a pass awards."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True, help_text="Shown on the public exam pages.")
    # The credential a pass awards (None: a pass is a step, e.g. MFSEM Part 1).
    awards = models.ForeignKey(
        "credentials.CredentialType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Eligibility, as data.
    allowed_professions = models.JSONField(
        default=list, blank=True, help_text="Profession codes; empty means every profession."
    )
    prerequisite_credential = models.ForeignKey(
        "credentials.CredentialType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prerequisite_exam = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prerequisite_within_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A pass in the prerequisite exam counts for this long."
    )
    max_attempts = models.PositiveSmallIntegerField(default=6)
    # Standard setting for an OSCE: borderline regression per station.
    borderline_grade = models.PositiveSmallIntegerField(default=2)
    sem_margin = models.FloatField(default=1.0)
    min_stations = models.PositiveSmallIntegerField(default=0)
    appeal_days = models.PositiveSmallIntegerField(default=14)
    # The highest score at a sitting is flagged for this medal (blank: none).
    medal_name = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1) & Q(max_attempts__lte=20),
                name="exams_exam_attempts_1_to_20",
            ),
        ]

    def __str__(self):
        return self.name


class ComponentKind(models.TextChoices):
    SBA = "sba", "Single best answer paper"
    OSCE = "osce", "OSCE"


class Component(models.Model):
    """A paper of single-best-answer questions or an OSCE circuit of stations."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="components")
    code = models.SlugField(max_length=20)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=ComponentKind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    # SBA: questions and options; OSCE: stations and the top score of a station.
    item_count = models.PositiveSmallIntegerField()
    options = models.PositiveSmallIntegerField(default=4)
    max_score = models.PositiveSmallIntegerField(default=1)
    max_grade = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["exam", "order"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="exams_component_code_unique"),
            models.CheckConstraint(
                condition=Q(item_count__gte=1) & Q(item_count__lte=500),
                name="exams_component_items_1_to_500",
            ),
            models.CheckConstraint(
                condition=Q(options__gte=2) & Q(options__lte=8), name="exams_component_options"
            ),
        ]

    def __str__(self):
        return f"{self.exam.name}: {self.name}"
