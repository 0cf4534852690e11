"""The Django admin for portfolios: the staff power tool.

Frameworks change state only through portfolio.services.frameworks (admin actions call it);
a published or retired version is read-only here, as everywhere. Competencies import and
export with django-import-export through the same resource as the portal's import page, so
the same checks apply: formulas refused, all rows or none, drafts only. Clinician profiles
and evidence are for looking at: their owners change them on their own pages.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm

from portal.audit import record
from portfolio.errors import PortfolioError
from portfolio.frameworks_files import SafeCSV, SafeXLSX
from portfolio.frameworks_io import CompetencyResource
from portfolio.models import (
    ClinicianProfile,
    Competency,
    Domain,
    EvidenceFile,
    EvidenceItem,
    EvidenceLink,
    Framework,
    FrameworkStatus,
)
from portfolio.services import frameworks as services


def _drafts():
    return Framework.objects.filter(status=FrameworkStatus.DRAFT)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _run_on_each(modeladmin, request, queryset, service, done: str):
    count = 0
    for framework in queryset:
        try:
            service(framework=framework)
        except PortfolioError as exc:
            modeladmin.message_user(request, f"{framework}: {exc.message}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, f"{count} framework version(s) {done}.", messages.SUCCESS)


@admin.action(description="Publish the selected drafts", permissions=["change"])
def publish(modeladmin, request, queryset):
    _run_on_each(modeladmin, request, queryset, services.publish_framework, "published")


@admin.action(description="Retire the selected published versions", permissions=["change"])
def retire(modeladmin, request, queryset):
    _run_on_each(modeladmin, request, queryset, services.retire_framework, "retired")


@admin.action(description="Start a new draft version of the selected", permissions=["change"])
def new_draft(modeladmin, request, queryset):
    _run_on_each(modeladmin, request, queryset, services.new_draft_version, "copied as a draft")


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["name", "code"]
    fields = [
        "code",
        "name",
        "version",
        "status",
        "description",
        "max_total_evidence",
        "published_at",
        "created_at",
    ]
    actions = [publish, retire, new_draft]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["version", "status", "published_at", "created_at"]
        return ["code", "version", "status", "published_at", "created_at"]

    def has_change_permission(self, request, obj=None):
        # A published or retired version is shown, never edited.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        # Drafts only, one at a time (no bulk delete, which would skip the service).
        return super().has_delete_permission(request, obj) and obj is not None and obj.is_editable

    def save_model(self, request, obj, form, change):
        content = {field: getattr(obj, field) for field in services.CONTENT_FIELDS}
        if change:
            services.update_framework(framework=obj, **content)
        else:
            saved = services.create_framework(code=obj.code, **content)
            obj.pk, obj.version, obj.status = saved.pk, saved.version, saved.status
            obj.created_at = saved.created_at

    def delete_model(self, request, obj):
        services.delete_draft(framework=obj)


class _DraftPartAdmin(admin.ModelAdmin):
    """Domains and competencies: editable only while their version is a draft."""

    list_select_related = ["framework"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.framework.is_editable)

    def has_delete_permission(self, request, obj=None):
        # One at a time (no bulk delete, which would skip the per-row guard), drafts only.
        allowed = super().has_delete_permission(request, obj)
        return allowed and obj is not None and obj.framework.is_editable

    def get_readonly_fields(self, request, obj=None):
        # A part stays in the version it was made in.
        return ["framework"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = _drafts()
        elif db_field.name == "domain":
            kwargs["queryset"] = Domain.objects.filter(
                framework__status=FrameworkStatus.DRAFT
            ).select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Domain)
class DomainAdmin(_DraftPartAdmin):
    list_display = ["code", "title", "framework", "order", "min_evidence", "max_evidence"]
    list_filter = ["framework__status", "framework"]
    search_fields = ["code", "title"]


class CompetencyAdminForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = [
            "framework",
            "domain",
            "code",
            "title",
            "descriptor",
            "level",
            "min_evidence",
            "max_evidence",
            "order",
        ]

    def clean(self):
        cleaned = super().clean()
        framework, domain = cleaned.get("framework"), cleaned.get("domain")
        if framework and domain and domain.framework_id != framework.pk:
            self.add_error("domain", "Choose a domain of the same framework version.")
        return cleaned


class CompetencyImportForm(ImportForm):
    framework = forms.ModelChoiceField(
        queryset=_drafts(),
        label="Draft framework version to import into",
        help_text="Only a draft can change. Every row is checked before any is written.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = _drafts()


class CompetencyConfirmImportForm(ConfirmImportForm):
    framework = forms.ModelChoiceField(queryset=_drafts(), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = _drafts()


@admin.register(Competency)
class CompetencyAdmin(ImportExportModelAdmin, _DraftPartAdmin):
    form = CompetencyAdminForm
    list_display = ["code", "title", "domain", "framework", "min_evidence", "max_evidence"]
    list_filter = ["framework__status", "framework"]
    list_select_related = ["framework", "domain"]
    search_fields = ["code", "title"]
    resource_classes = [CompetencyResource]
    import_form_class = CompetencyImportForm
    confirm_form_class = CompetencyConfirmImportForm
    import_formats = [SafeCSV, SafeXLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.pop("form", None)
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"framework": cleaned.get("framework")}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["framework"] = import_form.cleaned_data["framework"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # All rows or none, at the confirm step too.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, PortfolioError):
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        if not result.has_errors() and not result.has_validation_errors():
            record(
                "portfolio.framework_imported",
                obj=form.cleaned_data["framework"],
                detail=f"Through the admin: {result.totals['new']} new, "
                f"{result.totals['update']} changed.",
            )
        return result

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Nothing was imported: the file no longer passes the checks. Import it again "
                "to see why.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:portfolio_competency_changelist"))
        return super().process_result(result, request)


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    fields = ["competency", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "competency__framework")

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    # Never the stored file itself: files are served only through permission-checked views.
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClinicianProfile)
class ClinicianProfileAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "profession", "regulator", "registration_number", "employer"]
    list_filter = ["profession", "regulator", "consent_to_public_register"]
    search_fields = ["full_name", "registration_number", "user__email"]
    list_select_related = ["user"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "kind", "date", "locked_at"]
    list_filter = ["kind"]
    search_fields = ["title", "owner__email"]
    list_select_related = ["owner"]
    date_hierarchy = "date"
    exclude = ["competencies"]
    inlines = [EvidenceLinkInline, EvidenceFileInline]
