"""The Django admin for exams: exams, their components, and sittings (created here). Statuses
are read-only: they change only through the exams pages (exams.services)."""

from django.contrib import admin

from exams.models import Component, Exam, Sitting


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "awards", "max_attempts", "published")
    inlines = [ComponentInline]


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    list_display = ("exam", "label", "starts_on", "mode", "capacity", "status")
    list_filter = ("exam", "status", "mode")
    readonly_fields = (
        "status",
        "last_candidate_number",
        "cut_score",
        "standard_method",
        "standard_detail",
        "standard_set_by",
        "ratified_by",
        "released_at",
    )
