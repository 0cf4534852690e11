"""The Django admin: pathways and their rules, windows, service levels and policy (the appeal
window, the deadlines for more evidence, the renewal window), and trained assessors are data
that administrators edit here. Applications are for looking at: their state changes only through
accreditation.services (the portal's pages), so every field is read-only."""

from django.contrib import admin

from accreditation.models import (
    Application,
    ApplicationWindow,
    AssessorTraining,
    EligibilityRule,
    EvidenceRule,
    Pathway,
)


class WindowInline(admin.TabularInline):
    model = ApplicationWindow
    extra = 0


class EligibilityInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


class EvidenceRuleInline(admin.TabularInline):
    model = EvidenceRule
    extra = 0


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "framework_code",
        "credential_type_code",
        "fee_pence",
        "published",
    )
    list_filter = ("published",)
    search_fields = ("name", "code")
    inlines = [WindowInline, EligibilityInline, EvidenceRuleInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "summary",
                    "framework_code",
                    "credential_type_code",
                    "validity_months",
                    "fee_pence",
                    "default_scope",
                    "default_conditions",
                    "assessors_required",
                    "lead_sign_off",
                    "published",
                    "order",
                )
            },
        ),
        (
            "Service levels, in working days (bank holidays in England and Wales skipped)",
            {"fields": ("completeness_days", "review_days", "decision_days")},
        ),
        (
            "Policy, in calendar days",
            {
                "fields": (
                    "appeal_days",
                    "min_deadline_days",
                    "max_deadline_days",
                    "renewal_days",
                )
            },
        ),
    )


@admin.register(AssessorTraining)
class AssessorTrainingAdmin(admin.ModelAdmin):
    list_display = ("assessor", "pathway", "trained_on")
    list_filter = ("pathway",)
    search_fields = ("assessor__email",)
    raw_id_fields = ("assessor",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "applicant", "pathway", "state", "fee_status", "state_changed_at")
    list_filter = ("state", "pathway", "fee_status")
    search_fields = ("applicant__email",)
    list_select_related = ("applicant", "pathway")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
