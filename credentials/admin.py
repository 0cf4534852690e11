"""The Django admin for credentials: register API keys.

Exam administrators (credentials.api.ROLE_PERMISSIONS) and superusers issue a key to a named
organisation, change its contact and limits, and revoke it, all through
credentials.services.api_keys (audited). The key itself is shown once, on the page that
follows issuing, and is never stored; keys are revoked, never deleted.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.utils import timezone

from credentials.models import ApiKey
from credentials.services import api_keys
from credentials.services.api_keys import CHANGEABLE, ApiKeyError


class ApiKeyForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label="Revoke this key",
        required=False,
        help_text="The organisation's requests are refused from now on. This cannot be undone.",
    )
    revoke_reason = forms.CharField(
        label="Reason for revoking",
        required=False,
        max_length=ApiKey._meta.get_field("revoked_reason").max_length,
    )

    class Meta:
        model = ApiKey
        fields = CHANGEABLE

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("revoke") and not (cleaned.get("revoke_reason") or "").strip():
            self.add_error("revoke_reason", "Give a reason for revoking the key.")
        return cleaned


class RevokedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = (
        "organisation",
        "display_prefix",
        "region",
        "requests_per_minute",
        "numbers_per_day",
        "last_used_at",
        "state",
    )
    list_filter = (RevokedFilter, "region")
    search_fields = ("organisation", "contact_email", "prefix")
    key_fields = ("display_prefix", "created_at", "created_by", "last_used_at", "use_in_last_day")
    revoked_fields = ("revoked_at", "revoked_by", "revoked_reason")
    readonly_fields = (*key_fields, *revoked_fields)
    actions = None  # no bulk delete: keys are revoked, one at a time, with a reason
    issued_template = "admin/credentials/apikey/issued.html"

    @admin.display(description="Status")
    def state(self, key: ApiKey) -> str:
        return "Revoked" if key.is_revoked else "Active"

    @admin.display(description="Key starts")
    def display_prefix(self, key: ApiKey) -> str:
        return key.display_prefix if key.prefix else "Made when you save"

    @admin.display(description="Use in the last 24 hours")
    def use_in_last_day(self, key: ApiKey) -> str:
        if key.pk is None:
            return "–"
        since = timezone.now() - datetime.timedelta(days=1)
        use = key.uses.aggregate(
            requests=Count("pk", filter=Q(at__gte=since)),
            numbers=Sum("numbers", filter=Q(at__gte=since)),
        )
        return f"{use['requests']:,} requests, {use['numbers'] or 0:,} numbers"

    def get_fieldsets(self, request, obj=None):
        details = (None, {"fields": CHANGEABLE})
        if obj is None:
            return [details]
        key = ("Key", {"fields": self.key_fields})
        if obj.is_revoked:
            return [details, key, ("Revoked", {"fields": self.revoked_fields})]
        return [details, key, ("Revoke", {"fields": ("revoke", "revoke_reason")})]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_revoked:
            return (*CHANGEABLE, *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                issued = api_keys.issue_api_key(
                    actor=request.user, **{field: form.cleaned_data[field] for field in CHANGEABLE}
                )
                obj.pk = issued.key.pk
                obj.refresh_from_db()
                request._issued_api_key = issued.secret  # for response_add, this request only
                return
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            changes = {field: value for field, value in changes.items() if field in CHANGEABLE}
            if changes:
                api_keys.change_api_key(key=obj, actor=request.user, **changes)
            if form.cleaned_data.get("revoke"):
                api_keys.revoke_api_key(
                    key=obj, reason=form.cleaned_data["revoke_reason"], actor=request.user
                )
            obj.refresh_from_db()
        except (ApiKeyError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ApiKeyError) else "; ".join(exc.messages)
            self.message_user(request, message, messages.ERROR)

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_issued_api_key", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            self.issued_template,
            {
                **self.admin_site.each_context(request),
                "title": f"Key issued to {obj.organisation}",
                "opts": self.opts,
                "key": obj,
                "secret": secret,
            },
        )
        response["Cache-Control"] = "no-store"  # the key must not be kept by any cache
        return response
