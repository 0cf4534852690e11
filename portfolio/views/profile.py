from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from portal.access import login_required_404
from portfolio.forms.profile import ClinicianProfileForm
from portfolio.models import ClinicianProfile
from portfolio.services.profile import save_profile

BREADCRUMBS = [{"label": "Dashboard", "url": "/dashboard/"}]


@login_required_404
def profile_detail(request):
    profile = ClinicianProfile.objects.filter(user=request.user).first()
    return render(
        request,
        "portfolio/profile/detail.html",
        {"profile": profile, "breadcrumbs": BREADCRUMBS},
    )


@login_required_404
def profile_edit(request):
    profile = ClinicianProfile.objects.filter(user=request.user).first()
    form = ClinicianProfileForm(
        request.POST if request.method == "POST" else None, instance=profile
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect("portfolio:profile")
    return render(
        request,
        "portfolio/profile/edit.html",
        {
            "form": form,
            "profile": profile,
            "breadcrumbs": [*BREADCRUMBS, {"label": "Your profile", "url": "/portfolio/profile/"}],
        },
    )
