from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portal.models import AuditEvent, RegionPopulation, RoleGrant, RoleRequest, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Roles and access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be edited or deleted, here or anywhere."""

    list_display = ["created_at", "actor_email", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "action", "object_repr"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changed only through portal/role_requests.py (audited): the admin shows, never edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleRequest)
class RoleRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "full_name", "organisation", "job_title", "status"]
    list_filter = ["status", "organisation_type"]
    search_fields = ["full_name", "work_email", "requester__email", "organisation_name"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "organisation", "job_title", "granted_at"]
    list_filter = ["role", "organisation_type", "region"]
    search_fields = ["user__email", "organisation_name"]


@admin.register(RegionPopulation)
class RegionPopulationAdmin(admin.ModelAdmin):
    """The denominators of the workforce page's rates per 100,000: each with its source."""

    list_display = ["region", "population", "year", "source", "changed_at"]
    list_filter = ["year"]
    search_fields = ["region", "source"]
    readonly_fields = ["changed_at"]
