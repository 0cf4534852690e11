from django.core.exceptions import ValidationError
from django.db import models

from portfolio.routes import Route


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class FrameworkIsPublished(ValidationError):
    """A published or retired framework version never changes: make a new draft instead."""


class Framework(models.Model):
    """One version of a competency framework. Versions share a `code`."""

    code = models.SlugField(max_length=50, help_text="Shared by every version, e.g. gpwer-msk.")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description = models.TextField(blank=True)
    # Whole-portfolio rule, e.g. at most 35 evidence items on the advanced practice route.
    max_total_evidence = models.PositiveIntegerField(null=True, blank=True)
    # Who maps evidence to it: clinicians on this route (blank: everyone).
    route = models.CharField(max_length=30, choices=Route.choices, blank=True)
    # Evidence counts towards coverage only once a third party has confirmed it.
    confirmation_required = models.BooleanField(default=False)
    # The framework's own word for its units, used on every page that shows it.
    unit_name = models.CharField(max_length=40, default="competency")
    unit_name_plural = models.CharField(max_length=40, default="competencies")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="portfolio_framework_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status="published"),
                name="portfolio_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class _FrameworkPart(models.Model):
    """Domains and competencies belong to one version and freeze with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self):
        framework = Framework.objects.only("status").get(pk=self.framework_id)
        if not framework.is_editable:
            raise FrameworkIsPublished(
                f"{framework} is {framework.get_status_display().lower()} and cannot change; "
                "make a new draft version to edit it."
            )


class Domain(_FrameworkPart):
    """A grouping of competencies: a pillar, a capability area or a roadmap stage."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    min_evidence = models.PositiveIntegerField(null=True, blank=True)
    max_evidence = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="portfolio_domain_code"),
            models.CheckConstraint(
                condition=models.Q(min_evidence__isnull=True)
                | models.Q(max_evidence__isnull=True)
                | models.Q(min_evidence__lte=models.F("max_evidence")),
                name="portfolio_domain_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Competency(_FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    descriptor = models.TextField(blank=True)
    level = models.CharField(max_length=100, blank=True)
    min_evidence = models.PositiveIntegerField(default=1)
    max_evidence = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "competencies"
        ordering = ["framework", "domain__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="portfolio_competency_code"),
            models.CheckConstraint(
                condition=models.Q(max_evidence__isnull=True)
                | models.Q(min_evidence__lte=models.F("max_evidence")),
                name="portfolio_competency_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
