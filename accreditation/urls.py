from django.urls import path

from accreditation.views import (
    applicant,
    assessor,
    lead,
    manage,
    qualifications,
    references,
    rounds,
)

app_name = "accreditation"

urlpatterns = [
    # Applicants
    path("", applicant.my_applications, name="my_applications"),
    path("start/<slug:code>/", applicant.start, name="start"),
    path("renew/<str:serial>/", applicant.renew, name="renew"),
    path("applications/<int:pk>/", applicant.application_page, name="application"),
    path("applications/<int:pk>/edit/", applicant.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", applicant.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/resubmit/",
        applicant.application_resubmit,
        name="application_resubmit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applicant.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/appeal/", applicant.application_appeal, name="application_appeal"),
    path(
        "applications/<int:pk>/qualifications/<int:rule_id>/",
        qualifications.application_qualification,
        name="qualification",
    ),
    path("applications/<int:pk>/reference/", references.reference_page, name="reference"),
    # The supervisor, without an account, through the emailed single-use link
    path("reference/<str:token>/", references.give_page, name="reference_give"),
    # Snapshots and their files: the applicant, its assessors, lead assessors, administrators
    path(
        "applications/<int:pk>/rounds/<int:number>/",
        rounds.round_page,
        name="round",
    ),
    path(
        "applications/<int:pk>/rounds/<int:number>/files/<int:file_id>/",
        rounds.round_file,
        name="round_file",
    ),
    # Assessors
    path("assess/", assessor.queue, name="assessor_queue"),
    path("assess/<int:pk>/", assessor.assess, name="assess"),
    # Lead assessors
    path("lead/", lead.queue, name="lead_queue"),
    path("lead/<int:pk>/", lead.application_page, name="lead_application"),
    # Administrators
    path("manage/", manage.dashboard, name="manage_dashboard"),
    path("manage/export.csv", manage.export_csv, name="manage_export"),
    path("manage/<int:pk>/", manage.application_page, name="manage_application"),
    path(
        "manage/<int:pk>/qualifications/<int:declaration_id>/files/<int:file_id>/",
        manage.qualification_file,
        name="qualification_file",
    ),
]
