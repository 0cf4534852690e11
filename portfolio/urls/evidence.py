from django.urls import path

from portfolio.views import evidence

urlpatterns = [
    path("", evidence.evidence_list, name="evidence_list"),
    path("evidence/add/", evidence.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", evidence.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/edit/", evidence.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("evidence/<int:pk>/files/add/", evidence.evidence_files_add, name="evidence_files_add"),
    path("files/<int:pk>/", evidence.evidence_file_download, name="evidence_file_download"),
    path("files/<int:pk>/remove/", evidence.evidence_file_remove, name="evidence_file_remove"),
]
