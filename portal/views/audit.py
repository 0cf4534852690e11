from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from portal.access import role_required
from portal.audit_words import action_words, describe_action
from portal.models import AuditEvent
from portal.roles import Role


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label="What happened")
    who = forms.CharField(
        required=False, max_length=254, label="Email address of the person who acted"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every worded action, and any other action the trail holds, listed by its words.
        recorded = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        codes = set(action_words()) | set(recorded)
        choices = sorted(((code, describe_action(code)) for code in codes), key=lambda c: c[1])
        self.fields["action"].choices = [("", "Anything"), *choices]
        self.fields["action"].error_messages["invalid_choice"] = (
            "Choose what happened from the list"
        )


@role_required(Role.FACULTY_STAFF)
def audit_trail(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("content_type").order_by("-created_at", "-id")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
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
            "breadcrumbs": [{"label": "Dashboard", "url": reverse("dashboard")}],
        },
    )
