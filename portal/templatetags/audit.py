"""Audit events on staff pages: `{% load audit %}`.

{{ event.action|audit_action }}            Credential suspended
{% for line in event|audit_changes %}      Status: active → suspended
{% audit_admin_url event as url %}         the Django admin's page for the event's record,
                                           or "" when the viewer may not open it there
"""

from django import template
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from portal.audit_words import describe_action, describe_changes

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    return describe_action(action or "")


@register.filter
def audit_changes(event) -> list[str]:
    return describe_changes(event.old_state, event.new_state)


@register.simple_tag(takes_context=True)
def audit_admin_url(context, event) -> str:
    """Link to the record in the Django admin only where the viewer may see it there: staff,
    the model registered, and the admin's own view-or-change permission (so never a 403)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return ""
    if event.content_type_id is None or not event.object_id:
        return ""
    model = event.content_type.model_class()
    if model is None or not admin.site.is_registered(model):
        return ""
    model_admin = admin.site.get_model_admin(model)
    if not model_admin.has_view_or_change_permission(request):
        return ""
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[event.object_id])
    except NoReverseMatch:
        return ""
