"""The signed-in holder's credentials and certificates: /credentials/."""

from django.urls import path

from credentials.views import holder as views

urlpatterns = [
    path("credentials/", views.my_credentials, name="my_credentials"),
    path(
        "credentials/<slug:serial>/certificate.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
]
