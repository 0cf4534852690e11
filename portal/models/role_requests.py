"""How a commissioner or employer comes to hold the commissioner role, and for whom.

A person asks (`RoleRequest`); an exam administrator or superuser approves or declines it. An
approval grants the role and records the organisation the person acts for (`RoleGrant`). Every
change goes through portal/role_requests.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.regions import Region, region_name
from portal.roles import Role


class OrganisationType(models.TextChoices):
    ICB = "icb", "An integrated care board (ICB)"
    EMPLOYER = "employer", "An employer"


class RoleRequestStatus(models.TextChoices):
    AWAITING_EMAIL = "awaiting_email", "Waiting for the work email address to be confirmed"
    OPEN = "open", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A person has at most one request in these states (database-backed below).
OPEN_STATUSES = (RoleRequestStatus.AWAITING_EMAIL, RoleRequestStatus.OPEN)

# The organisation is either an ICB chosen from the list or an employer's name typed in.
_ORGANISATION_IS_ONE_OR_THE_OTHER = Q(
    organisation_type=OrganisationType.ICB, organisation_name="", region__gt=""
) | Q(organisation_type=OrganisationType.EMPLOYER, region="", organisation_name__gt="")


class Organisation(models.Model):
    """Who a person acts for: an ICB (a Region code) or a named employer."""

    organisation_type = models.CharField(
        "Type of organisation", max_length=20, choices=OrganisationType.choices
    )
    region = models.CharField(
        "Integrated care board", max_length=40, choices=Region.choices, blank=True
    )
    organisation_name = models.CharField("Employer", max_length=200, blank=True)
    job_title = models.CharField(max_length=200)

    class Meta:
        abstract = True

    @property
    def organisation(self) -> str:
        if self.organisation_type == OrganisationType.ICB:
            return region_name(self.region)
        return self.organisation_name


class RoleRequest(Organisation):
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_requests"
    )
    role = models.CharField(max_length=40, choices=Role.choices, default=Role.COMMISSIONER)
    full_name = models.CharField(max_length=200)
    work_email = models.EmailField("Work email address")
    work_email_confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RoleRequestStatus.choices, default=RoleRequestStatus.AWAITING_EMAIL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per person: a second is refused, even from two tabs at once.
            models.UniqueConstraint(
                fields=["requester"],
                condition=Q(status__in=OPEN_STATUSES),
                name="portal_one_open_role_request",
                violation_error_message="You already have a request waiting.",
            ),
            models.CheckConstraint(
                condition=_ORGANISATION_IS_ONE_OR_THE_OTHER,
                name="portal_role_request_one_organisation",
            ),
            # A declined request always says why (the requester is told).
            models.CheckConstraint(
                condition=~Q(status=RoleRequestStatus.DECLINED) | Q(decision_reason__gt=""),
                name="portal_role_request_declined_with_reason",
            ),
            # Waiting for a decision means the work email address has been confirmed.
            models.CheckConstraint(
                condition=~Q(status=RoleRequestStatus.OPEN)
                | Q(work_email_confirmed_at__isnull=False),
                name="portal_role_request_open_after_email",
            ),
        ]
        indexes = [
            # The staff list: open requests, oldest first.
            models.Index(fields=["status", "created_at"], name="portal_rolereq_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.organisation} ({self.get_role_display()})"


class RoleGrant(Organisation):
    """A role held on behalf of an organisation, from an approved request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    request = models.OneToOneField(
        RoleRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            # One organisation per role: a later approval replaces the earlier one.
            models.UniqueConstraint(fields=["user", "role"], name="portal_one_grant_per_role"),
            models.CheckConstraint(
                condition=_ORGANISATION_IS_ONE_OR_THE_OTHER,
                name="portal_role_grant_one_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.organisation}"
