from django.urls import path

from portfolio.views import frameworks

urlpatterns = [
    path("frameworks/", frameworks.framework_list, name="framework_list"),
    path("frameworks/new/", frameworks.framework_create, name="framework_create"),
    path("frameworks/<int:pk>/", frameworks.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/edit/", frameworks.framework_edit, name="framework_edit"),
    path("frameworks/<int:pk>/import/", frameworks.framework_import, name="framework_import"),
    path(
        "frameworks/<int:pk>/export.csv",
        frameworks.framework_export,
        {"file_format": "csv"},
        name="framework_export_csv",
    ),
    path(
        "frameworks/<int:pk>/export.xlsx",
        frameworks.framework_export,
        {"file_format": "xlsx"},
        name="framework_export_xlsx",
    ),
    path(
        "frameworks/<int:pk>/<slug:action>/",
        frameworks.framework_action,
        name="framework_action",
    ),
]
