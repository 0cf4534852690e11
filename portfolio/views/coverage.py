"""The clinician's own coverage of a framework version: counts, gaps and limits, in words."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render

from portal.access import login_required_404
from portfolio.models import FrameworkStatus
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


@login_required_404
def coverage_index(request):
    """Choose a framework version; ?framework=<id> goes straight to its coverage."""
    bound = "framework" in request.GET
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
            "breadcrumbs": [
                *BREADCRUMBS,
                {"label": "Coverage", "url": "/portfolio/coverage/"},
            ],
        },
    )
