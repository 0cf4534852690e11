"""Accreditation URLs. Public contracts (keep stable): /register/, /verify/<token>/,
/verify/<token>/credential.json, /api/v1/credentials/<token>, /issuer.json."""

from django.urls import path

from credentials.urls import holder, manage, public, watchlists
from credentials.views.workforce import workforce

app_name = "credentials"

urlpatterns = [
    *public.urlpatterns,
    *holder.urlpatterns,
    *manage.urlpatterns,
    *watchlists.urlpatterns,
    # Commissioners and exam administrators: counts by ICB and nation (?download=csv).
    path("workforce/", workforce, name="workforce"),
]
