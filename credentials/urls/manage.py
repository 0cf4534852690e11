"""Credential pages for exam administrators: /manage/credentials/."""

from django.urls import path

from credentials.views import manage as views

urlpatterns = [
    path("manage/credentials/", views.credential_list, name="manage_credential_list"),
    path(
        "manage/credentials/<str:serial>/",
        views.credential_detail,
        name="manage_credential_detail",
    ),
    path(
        "manage/credentials/<str:serial>/suspend/",
        views.credential_suspend,
        name="manage_credential_suspend",
    ),
    path(
        "manage/credentials/<str:serial>/reinstate/",
        views.credential_reinstate,
        name="manage_credential_reinstate",
    ),
    path(
        "manage/credentials/<str:serial>/revoke/",
        views.credential_revoke,
        name="manage_credential_revoke",
    ),
    path(
        "manage/credentials/<str:serial>/renew/",
        views.credential_renew,
        name="manage_credential_renew",
    ),
]
