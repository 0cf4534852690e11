from django.shortcuts import render
from django.urls import reverse

from portal.access import login_required_404
from portal.organisations import commissioner_grant
from portal.roles import describe_roles


def accessibility(request):
    return render(
        request, "portal/accessibility.html", {"breadcrumbs": [{"label": "Home", "url": "/"}]}
    )


def privacy(request):
    return render(request, "portal/privacy.html", {"breadcrumbs": [{"label": "Home", "url": "/"}]})


@login_required_404
def account_settings(request):
    return render(
        request,
        "portal/account_settings.html",
        {
            "role_summary": describe_roles(request.user),
            "grant": commissioner_grant(request.user),
            "breadcrumbs": [{"label": "Dashboard", "url": reverse("dashboard")}],
        },
    )
