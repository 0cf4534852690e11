"""The clinician's own coverage of a framework version: counts, gaps and limits, in words."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render

from portal.access import login_required_404
from portfolio.models import ClinicianProfile, Framework, FrameworkStatus
from portfolio.selectors.coverage import CoverageState, framework_coverage, frameworks_for

BREADCRUMBS = [{"label": "Dashboard", "url": "/dashboard/"}]


class FrameworkChoiceForm(forms.Form):
    framework = forms.ModelChoiceField(
        label="Framework",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose a framework from the list."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks_for(user).order_by("name", "-version")
        self.fields["framework"].label_from_instance = _framework_label


def _framework_label(framework) -> str:
    return f"{framework.name}, version {framework.version} ({framework.get_status_display()})"


def _route_framework(user):
    """The published framework of USER's route (chosen, or following their profession)."""
    profile = ClinicianProfile.objects.filter(user=user).first()
    route = profile.effective_route if profile is not None else ""
    if not route:
        return None
    published = Framework.objects.filter(status=FrameworkStatus.PUBLISHED, route=route)
    return published.order_by("name", "code").first()


@login_required_404
def coverage_index(request):
    """The coverage of the framework of the clinician's route, if there is one; else choose a
    framework version. ?framework=<id> goes straight to its coverage."""
    bound = "framework" in request.GET
    if not bound:
        framework = _route_framework(request.user)
        if framework is not None:
            return redirect("portfolio:coverage_framework", framework.pk)
    form = FrameworkChoiceForm(request.GET if bound else None, user=request.user)
    if bound and form.is_valid():
        return redirect("portfolio:coverage_framework", form.cleaned_data["framework"].pk)
    return render(
        request,
        "portfolio/coverage/index.html",
        {
            "form": form,
            "frameworks": list(form.fields["framework"].queryset),
            "breadcrumbs": BREADCRUMBS,
        },
    )


@login_required_404
def coverage_detail(request, framework_id: int):
    framework = get_object_or_404(frameworks_for(request.user), pk=framework_id)
    form = FrameworkChoiceForm(initial={"framework": framework.pk}, user=request.user)
    return render(
        request,
        "portfolio/coverage/detail.html",
        {
            "form": form,
            "coverage": framework_coverage(user=request.user, framework=framework),
            "State": CoverageState,
            "FrameworkStatus": FrameworkStatus,
            # Not "Coverage": /portfolio/coverage/ opens on the route's framework, often this one.
            "breadcrumbs": [*BREADCRUMBS, {"label": "Your portfolio", "url": "/portfolio/"}],
        },
    )
