"""All portfolio URLs live under /portfolio/; each area keeps its own list."""

from portfolio.urls import confirmations, coverage, evidence, export, frameworks, profile

app_name = "portfolio"

urlpatterns = [
    *profile.urlpatterns,
    *evidence.urlpatterns,
    *frameworks.urlpatterns,
    *confirmations.urlpatterns,
    *coverage.urlpatterns,
    *export.urlpatterns,
]
