from django.urls import path

from exams.views import appeals, candidate, candidates, imports, results, sittings, standards

app_name = "exams"

urlpatterns = [
    # Candidates
    path("exams/", candidate.my_exams, name="my_exams"),
    path("exams/sittings/<int:pk>/apply/", candidate.apply, name="apply"),
    path("exams/bookings/<int:pk>/", candidate.booking_detail, name="booking"),
    path(
        "exams/bookings/<int:pk>/adjustment/", candidate.request_adjustment_view, name="adjustment"
    ),
    path("exams/bookings/<int:pk>/withdraw/", candidate.withdraw_view, name="withdraw"),
    path("exams/bookings/<int:pk>/result/", candidate.result_view, name="result"),
    path("exams/bookings/<int:pk>/letter.pdf", candidate.letter, name="letter"),
    # Exam administrators
    path("manage/exams/", sittings.sittings, name="manage_sittings"),
    path("manage/exams/new/", sittings.new_sitting, name="manage_new_sitting"),
    path("manage/exams/appeals/", appeals.appeals, name="manage_appeals"),
    path("manage/exams/appeals/<int:pk>/", appeals.decide_appeal_view, name="manage_appeal"),
    path(
        "manage/exams/adjustments/<int:pk>/", candidates.decide_adjustment, name="manage_adjustment"
    ),
    path("manage/exams/sittings/<int:pk>/", sittings.sitting_detail, name="manage_sitting"),
    path("manage/exams/sittings/<int:pk>/release/", results.release_view, name="manage_release"),
    path("manage/exams/sittings/<int:pk>/places/", sittings.capacity_view, name="manage_capacity"),
    path(
        "manage/exams/sittings/<int:pk>/<slug:move>/do/", sittings.sitting_move, name="manage_move"
    ),
    path(
        "manage/exams/sittings/<int:pk>/candidates/",
        candidates.candidates,
        name="manage_candidates",
    ),
    path(
        "manage/exams/sittings/<int:pk>/adjustments/",
        candidates.adjustments,
        name="manage_adjustments",
    ),
    path("manage/exams/sittings/<int:pk>/import/", imports.import_results, name="manage_import"),
    path(
        "manage/exams/sittings/<int:pk>/import/<int:pending_pk>/confirm/",
        imports.confirm_import_view,
        name="manage_import_confirm",
    ),
    path("manage/exams/sittings/<int:pk>/standard/", standards.standard, name="manage_standard"),
    path(
        "manage/exams/sittings/<int:pk>/standard/judge/",
        standards.enter_judgements,
        name="manage_enter_judgements",
    ),
    path("manage/exams/sittings/<int:pk>/items/", standards.item_analysis, name="manage_items"),
    path(
        "manage/exams/sittings/<int:pk>/items/<int:item_pk>/exclude/",
        standards.exclude_item,
        name="manage_exclude_item",
    ),
    path("manage/exams/sittings/<int:pk>/results/", results.results, name="manage_results"),
]
