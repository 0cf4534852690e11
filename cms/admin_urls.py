"""Wagtail's document upload views, with the evidence files' size limit rather than the
ordinary request limit (portal/limits.py), and the same admin-access check Wagtail wraps its
own admin URLs in. Included before the Wagtail admin's URLs, so these paths win."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.documents.views import documents, multiple

from portal.limits import allows_uploads


def _upload_view(view):
    return never_cache(allows_uploads(require_admin_access(view)))


urlpatterns = [
    path("documents/add/", _upload_view(documents.CreateView.as_view())),
    path("documents/edit/<int:document_id>/", _upload_view(documents.EditView.as_view())),
    path("documents/multiple/add/", _upload_view(multiple.AddView.as_view())),
]
