from django.urls import path

from portfolio.views import export

urlpatterns = [
    path("export/", export.export_page, name="export"),
]
