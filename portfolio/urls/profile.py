from django.urls import path

from portfolio.views import profile

urlpatterns = [
    path("profile/", profile.profile_detail, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile_edit"),
]
