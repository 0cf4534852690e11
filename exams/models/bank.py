"""The question bank: single-best-answer questions, each kept as numbered versions.

A version moves draft → reviewed (by a second person) → approved, and may be retired. A version
that is in a paper never changes: editing it makes the next version, a draft. Each version keeps
its statistics from every sitting it was used in (QuestionStatistic), so the exam team sees
how it performed over time.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from exams.models.exams import Exam


class QuestionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEWED = "reviewed", "Reviewed, waiting for approval"
    APPROVED = "approved", "Approved"
    RETIRED = "retired", "Retired"


OPTION_LETTERS = "ABCDE"


def option_letters(options: list) -> str:
    """The letters of a question with OPTIONS ("ABCD" for four)."""
    return OPTION_LETTERS[: len(options)]


class Question(models.Model):
    """A question's identity in the bank of one exam; its words live in its versions."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exam", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="exams_question_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code


def _image_name(instance, filename: str) -> str:
    import uuid

    return f"question-images/{uuid.uuid4().hex}"


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=10, choices=QuestionState.choices, default=QuestionState.DRAFT
    )
    stem = models.TextField(max_length=4000)
    # Four or five options, in the order the author wrote them (A, B, C...).
    options = models.JSONField()
    key = models.CharField(max_length=1)
    domain = models.CharField(max_length=60)
    tags = models.JSONField(default=list, blank=True)
    explanation = models.TextField(max_length=2000, blank=True)
    image = models.FileField(upload_to=_image_name, max_length=200, blank=True)
    image_type = models.CharField(max_length=20, blank=True)  # image/png or image/jpeg
    image_alt = models.CharField("Alternative text for the image", max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="exams_question_version_once"
            ),
            models.CheckConstraint(
                condition=Q(key__in=list(OPTION_LETTERS)), name="exams_question_key_a_to_e"
            ),
            # The review is a second person's: the author never reviews their own question.
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("author")),
                name="exams_question_reviewer_not_author",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="exams_question_image_has_alt"
            ),
        ]
        indexes = [models.Index(fields=["state", "domain"])]

    def __str__(self) -> str:
        return f"{self.question.code} v{self.number}"

    @property
    def letters(self) -> str:
        return option_letters(self.options)


class QuestionStatistic(models.Model):
    """How one version performed in one sitting, kept when the sitting's results are set."""

    version = models.ForeignKey(
        QuestionVersion, on_delete=models.CASCADE, related_name="statistics"
    )
    sitting = models.ForeignKey("exams.Sitting", on_delete=models.CASCADE, related_name="+")
    candidates = models.PositiveIntegerField()
    facility = models.FloatField(null=True)
    point_biserial = models.FloatField(null=True)
    corrected_item_total = models.FloatField(null=True)
    flags = models.JSONField(default=list)
    excluded = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "sitting__starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "sitting"], name="exams_question_statistic_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} in {self.sitting_id}"
