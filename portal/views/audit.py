from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from portal.access import role_required
from portal.models import AuditEvent
from portal.roles import Role


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        required=False,
        max_length=100,
        label="Action",
        help_text="For example auth.login_failed. Leave blank to see everything.",
    )
    who = forms.CharField(
        required=False, max_length=254, label="Email address of the person who acted"
    )


@role_required(Role.EXAM_ADMINISTRATOR)
def audit_trail(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("content_type").order_by("-created_at", "-id")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action__startswith=form.cleaned_data["action"])
        if form.cleaned_data["who"]:
            events = events.filter(actor_email__iexact=form.cleaned_data["who"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit_trail.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": [{"label": "Dashboard", "url": "/dashboard/"}],
        },
    )
