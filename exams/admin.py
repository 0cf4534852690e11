"""The Django admin for exams: exams, their components, and sittings.

A sitting is created and changed here only through exams.services.sittings, as the exams pages
change it: places and dates only before results (exams.sitting_states says why not), added
places go to the waiting list at once, and every change is audited. Its exam never changes
once it exists, and its status only moves on its page in the portal.
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from exams.models import Component, Exam, Sitting
from exams.services import sittings as sitting_services
from exams.services.errors import ExamError


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "awards", "max_attempts", "published")
    inlines = [ComponentInline]


class SittingAdminForm(forms.ModelForm):
    class Meta:
        model = Sitting
        fields = (  # the model's order; the rest are read-only (SittingAdmin.readonly_fields)
            "exam",
            "label",
            "starts_on",
            "ends_on",
            "mode",
            "venue",
            "capacity",
            "applications_open",
            "applications_close",
            "fee_pence",
        )

    def changes(self) -> dict:
        """The changed fields the service may change, with their new values."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in sitting_services.CHANGEABLE and name in self.cleaned_data
        }

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            reason = sitting_services.change_refusal(self.instance, self.changes())
            if reason:
                raise forms.ValidationError(reason)
        return cleaned


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    form = SittingAdminForm
    list_display = ("exam", "label", "starts_on", "mode", "capacity", "status")
    list_filter = ("exam", "status", "mode")
    readonly_fields = (
        "portal_page",
        "status",
        "last_candidate_number",
        "cut_score",
        "standard_method",
        "standard_detail",
        "standard_set_by",
        "ratified_by",
        "released_at",
    )

    @admin.display(description="In the portal")
    def portal_page(self, obj):
        if obj is None or obj.pk is None:
            return "Scheduled, results and release: on the sitting's page, once it is saved."
        return format_html(
            '<a href="{}">The sitting\'s page</a>: scheduling, places, results and release.',
            reverse("exams:manage_sitting", args=[obj.pk]),
        )

    def get_readonly_fields(self, request, obj=None):
        # A sitting stays with its exam: bookings, eligibility and results depend on it.
        return (*self.readonly_fields, "exam") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            fields = {
                name: form.cleaned_data[name]
                for name in ("exam", *sitting_services.CHANGEABLE)
                if name in form.cleaned_data
            }
            saved = sitting_services.create_sitting(by=request.user, **fields)
            obj.pk, obj.status = saved.pk, saved.status
            return
        try:
            sitting_services.change_sitting(obj, by=request.user, **form.changes())
        except ExamError as exc:  # changed by someone else since the form was checked
            self.message_user(request, str(exc), messages.ERROR)
