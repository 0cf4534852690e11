"""Accreditation URLs. Public contracts (keep stable): /register/, /verify/<token>/,
/verify/<token>/credential.json, /api/v1/credentials/<token>, /issuer.json."""

from credentials.urls import holder, manage, public, watchlists

app_name = "credentials"

urlpatterns = [
    *public.urlpatterns,
    *holder.urlpatterns,
    *manage.urlpatterns,
    *watchlists.urlpatterns,
]
