"""Pathways and their rules: data that administrators edit in the Django admin.

Nothing about a pathway is code: its framework, who may apply (eligibility rules), what the
portfolio must hold (evidence rules), when it may be submitted (windows), its fee, the
credential it awards and how many assessors judge it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from portfolio.api import Regulator

ASCII_CODE = r"^[a-z0-9][a-z0-9_-]{0,49}$"

# Policy, with its sane bounds: the validators say why in the admin, the constraints hold the
# line in the database.
APPEAL_DAYS = (7, 90)
DEADLINE_DAYS = (1, 365)
RENEWAL_DAYS = (14, 365)
# A renewal may be started this long before the credential ends when no pathway says (a
# credential no published pathway renews).
DEFAULT_RENEWAL_DAYS = 90


def _between(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class Pathway(models.Model):
    code = models.CharField(
        max_length=50,
        unique=True,
        help_text="Lower-case letters, digits, hyphens and underscores, e.g. gpwer-msk.",
        validators=[RegexValidator(ASCII_CODE)],
    )
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="One paragraph for the public page.")
    framework_code = models.CharField(
        max_length=50, help_text="The competency framework (its published version is used)."
    )
    credential_type_code = models.CharField(
        max_length=40, help_text="The credential type awarded on approval."
    )
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Blank: the credential type's own validity."
    )
    fee_pence = models.PositiveIntegerField(default=0, help_text="In pence: £850 is 85000.")
    default_scope = models.TextField(
        "Scope of practice",
        blank=True,
        help_text="What an award lets the holder do: the lead assessor starts from this at "
        "sign-off and may change it for one applicant.",
    )
    default_conditions = models.TextField(
        "Conditions",
        blank=True,
        help_text="Any conditions every award carries (blank: none).",
    )
    assessors_required = models.PositiveSmallIntegerField(default=2)
    lead_sign_off = models.BooleanField(
        default=True, help_text="A lead assessor signs off every decision."
    )
    # Service levels, in working days, shown to the applicant as "by when".
    completeness_days = models.PositiveSmallIntegerField(default=5)
    review_days = models.PositiveSmallIntegerField(default=30)
    decision_days = models.PositiveSmallIntegerField(default=10)
    # Policy, in calendar days.
    appeal_days = models.PositiveSmallIntegerField(
        default=28,
        validators=_between(*APPEAL_DAYS),
        help_text="An applicant may appeal a decline up to this many days after the decision.",
    )
    min_deadline_days = models.PositiveSmallIntegerField(
        "Shortest deadline for more evidence",
        default=7,
        validators=_between(*DEADLINE_DAYS),
        help_text="A request for more evidence gives the applicant at least this many days.",
    )
    max_deadline_days = models.PositiveSmallIntegerField(
        "Longest deadline for more evidence",
        default=180,
        validators=_between(*DEADLINE_DAYS),
        help_text="A request for more evidence gives the applicant at most this many days.",
    )
    renewal_days = models.PositiveSmallIntegerField(
        default=DEFAULT_RENEWAL_DAYS,
        validators=_between(*RENEWAL_DAYS),
        help_text="A holder may start a renewal this many days before their credential ends.",
    )
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessors_required__gte=1, assessors_required__lte=5),
                name="accreditation_pathway_assessors_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(fee_pence__lte=10_000_000),
                name="accreditation_pathway_fee_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    appeal_days__gte=APPEAL_DAYS[0], appeal_days__lte=APPEAL_DAYS[1]
                ),
                name="accreditation_pathway_appeal_days_bounded",
                violation_error_message=(
                    f"The appeal window must be {APPEAL_DAYS[0]} to {APPEAL_DAYS[1]} days."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    min_deadline_days__gte=DEADLINE_DAYS[0],
                    max_deadline_days__lte=DEADLINE_DAYS[1],
                    min_deadline_days__lte=models.F("max_deadline_days"),
                ),
                name="accreditation_pathway_deadline_days_bounded",
                violation_error_message=(
                    "The deadlines for more evidence must be "
                    f"{DEADLINE_DAYS[0]} to {DEADLINE_DAYS[1]} days, the shortest first."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    renewal_days__gte=RENEWAL_DAYS[0], renewal_days__lte=RENEWAL_DAYS[1]
                ),
                name="accreditation_pathway_renewal_days_bounded",
                violation_error_message=(
                    f"The renewal window must be {RENEWAL_DAYS[0]} to {RENEWAL_DAYS[1]} days."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # Without a lead's sign-off nobody states the scope at the award: the pathway must.
        if not self.lead_sign_off and not self.default_scope.strip():
            raise ValidationError(
                {"default_scope": "A pathway without lead sign-off needs a scope of practice."}
            )
        if (
            self.min_deadline_days is not None
            and self.max_deadline_days is not None
            and self.min_deadline_days > self.max_deadline_days
        ):
            raise ValidationError(
                {"max_deadline_days": "The longest deadline cannot be shorter than the shortest."}
            )

    @property
    def fee_text(self) -> str:
        pounds, pence = divmod(self.fee_pence, 100)
        return f"£{pounds:,}" if not pence else f"£{pounds:,}.{pence:02d}"


class ApplicationWindow(models.Model):
    """Applications to PATHWAY may be submitted from OPENS to CLOSES, both days included."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="windows")
    opens = models.DateField()
    closes = models.DateField()

    class Meta:
        ordering = ["pathway", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lte=models.F("closes")),
                name="accreditation_window_opens_before_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens:%d %b %Y} to {self.closes:%d %b %Y}"

    def is_open(self, day) -> bool:
        return self.opens <= day <= self.closes


class EligibilityKind(models.TextChoices):
    HOLDS_CREDENTIAL = "holds_credential", "Holds an active credential"
    REGISTERED = "registered", "Registered with a named regulator or register"
    EXTENDED_ROLE = "extended_role", "Declares an extended role and a named supervisor"


class EligibilityRule(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="eligibility")
    kind = models.CharField(max_length=30, choices=EligibilityKind.choices)
    credential_type_code = models.CharField(
        max_length=40, blank=True, help_text="For 'holds an active credential'."
    )
    regulators = models.CharField(
        max_length=100,
        blank=True,
        help_text=f"For 'registered': codes separated by commas ({', '.join(Regulator.values)}).",
    )
    # The second route for 'holds an active credential': a qualification gained before the
    # portal or elsewhere, declared with its certificate and verified by an administrator.
    accepts_declaration = models.BooleanField(
        "Accept a declared prior qualification",
        default=False,
        help_text="For 'holds an active credential': the applicant may instead declare a "
        "qualification listed below, with its certificate; an administrator verifies it.",
    )
    accepted_qualifications = models.TextField(
        blank=True,
        help_text="One per line: the qualifications accepted instead of the credential.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pathway", "order", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def qualification_names(self) -> list[str]:
        return [line.strip() for line in self.accepted_qualifications.splitlines() if line.strip()]

    @property
    def regulator_codes(self) -> list[str]:
        return [code.strip() for code in self.regulators.split(",") if code.strip()]

    def clean(self):
        if self.kind == EligibilityKind.HOLDS_CREDENTIAL and not self.credential_type_code:
            raise ValidationError({"credential_type_code": "Name the credential type."})
        if self.accepts_declaration:
            if self.kind != EligibilityKind.HOLDS_CREDENTIAL:
                raise ValidationError(
                    {"accepts_declaration": "Only 'holds an active credential' takes one."}
                )
            names = self.qualification_names
            if not names:
                raise ValidationError(
                    {"accepted_qualifications": "List the qualifications accepted, one a line."}
                )
            if any(len(name) > 200 or not name.isprintable() for name in names):
                raise ValidationError(
                    {"accepted_qualifications": "Keep each to one line of 200 characters."}
                )
        if self.kind == EligibilityKind.REGISTERED:
            unknown = [c for c in self.regulator_codes if c not in Regulator.values]
            if unknown or not self.regulator_codes:
                raise ValidationError({"regulators": "Give one or more known register codes."})


class EvidenceRuleKind(models.TextChoices):
    PER_CAPABILITY = "per_capability", "Items per capability (minimum and maximum)"
    PER_DOMAIN = "per_domain", "Items per domain (minimum and maximum)"
    TOTAL = "total", "Items in all (maximum)"
    REQUIRED_KIND = "required_kind", "A required kind of item"
    ALL_CONFIRMED = "all_confirmed", "Every item confirmed by a third party"
    SUPERVISOR_REFERENCE = (
        "supervisor_reference",
        "A structured reference from the named supervisor, asked for by the portal",
    )


class AppliesTo(models.TextChoices):
    FIRST_AWARD = "first_award", "A first application"
    RENEWAL = "renewal", "A renewal"


class EvidenceRule(models.Model):
    """One rule the portfolio must meet before it can be submitted.

    Per capability / per domain: every capability (domain) of the framework, or only the one
    named by CODE, needs at least MINIMUM and at most MAXIMUM items.
    """

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="evidence_rules")
    applies_to = models.CharField(
        max_length=20, choices=AppliesTo.choices, default=AppliesTo.FIRST_AWARD
    )
    kind = models.CharField(max_length=30, choices=EvidenceRuleKind.choices)
    code = models.CharField(
        max_length=30, blank=True, help_text="One capability or domain code (blank: each one)."
    )
    minimum = models.PositiveIntegerField(null=True, blank=True)
    maximum = models.PositiveIntegerField(null=True, blank=True)
    evidence_kind = models.CharField(
        max_length=30,
        blank=True,
        help_text="For 'a required kind of item', e.g. cpd_certificate.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pathway", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=True)
                | models.Q(maximum__isnull=True)
                | models.Q(minimum__lte=models.F("maximum")),
                name="accreditation_evidence_rule_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class AssessorTraining(models.Model):
    """ASSESSOR has been trained to assess PATHWAY: only they are suggested for allocation."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_training"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="trained")
    trained_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "pathway"], name="accreditation_trained_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} for {self.pathway}"
