from django.urls import path

from portfolio.views import coverage

urlpatterns = [
    path("coverage/", coverage.coverage_index, name="coverage"),
    path("coverage/<int:framework_id>/", coverage.coverage_detail, name="coverage_framework"),
]
