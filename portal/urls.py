from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.ops import health, media
from portal.views import audit, dashboards, pages, role_requests

# Neither admin keeps a login form of its own: both go through allauth's,
# which is rate-limited and asks for the second factor.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "MSK portal administration"
admin.site.site_title = "MSK portal administration"

urlpatterns = [
    # For load balancers: liveness (no database) and readiness (database, cache, storage).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("media/images/<path:name>", media.rendition, name="image_rendition"),
    path("accounts/", include("allauth.urls")),
    path("account/", pages.account_settings, name="account_settings"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path(
        "dashboard/administration/",
        dashboards.administration_dashboard,
        name="administration_dashboard",
    ),
    path("dashboard/<slug:slug>/", dashboards.role_dashboard, name="role_dashboard"),
    path("audit/", audit.audit_trail, name="audit_trail"),
    # Asking for the commissioner role, and the staff who decide.
    path("account/role-request/", role_requests.role_request, name="role_request"),
    path(
        "account/role-request/<int:pk>/withdraw/",
        role_requests.withdraw,
        name="role_request_withdraw",
    ),
    path(
        "account/role-request/confirm/<str:token>/",
        role_requests.confirm_email,
        name="role_request_confirm",
    ),
    path("manage/role-requests/", role_requests.manage_list, name="manage_role_requests"),
    path("manage/role-requests/<int:pk>/", role_requests.manage_detail, name="manage_role_request"),
    path("portfolio/", include("portfolio.urls")),
    path("accreditation/", include("accreditation.urls")),
    path("", include("credentials.urls")),
    path("", include("exams.urls")),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("admin/", admin.site.urls),
    path(
        "cms-admin/login/",
        RedirectView.as_view(
            url=settings.WAGTAILADMIN_LOGIN_URL + "?next=/cms-admin/", permanent=False
        ),
        name="cms_admin_login_redirect",
    ),
    # Document uploads may be as large as evidence files (cms/admin_urls.py); before the rest.
    path("cms-admin/", include("cms.admin_urls")),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The public site's search, sitemap.xml and robots.txt.
    path("", include("cms.urls")),
    # Wagtail serves every other path from the page tree: keep it last.
    path("", include(wagtail_urls)),
]

# A lost database answers 503 with a retry hint, anything else the plain 500 page.
handler500 = "portal.ops.outage.server_error"
