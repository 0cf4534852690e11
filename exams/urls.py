from django.urls import path

from exams.views import (
    appeals,
    bank,
    candidate,
    candidates,
    imports,
    letters,
    osce,
    paper,
    papers_manage,
    results,
    sittings,
    standards,
)

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
    # Anyone shown a results letter: its verification page (the token is printed on the letter)
    path("exams/letters/<str:token>/", letters.verify_letter, name="letter_verify"),
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
    # Sitting a paper online (the candidate's own attempt; 404 for anyone else)
    path(
        "exams/bookings/<int:booking_pk>/papers/<int:paper_pk>/",
        paper.paper_start,
        name="paper_start",
    ),
    path(
        "exams/attempts/<int:pk>/questions/<int:number>/",
        paper.question_page,
        name="attempt_question",
    ),
    path(
        "exams/attempts/<int:pk>/questions/<int:number>/image",
        paper.question_image,
        name="attempt_image",
    ),
    path("exams/attempts/<int:pk>/save/", paper.save, name="attempt_save"),
    path("exams/attempts/<int:pk>/review/", paper.review, name="attempt_review"),
    path("exams/attempts/<int:pk>/submit/", paper.submit, name="attempt_submit"),
    path("exams/attempts/<int:pk>/rest/", paper.rest_break, name="attempt_rest"),
    path("exams/attempts/<int:pk>/break/", paper.on_break, name="attempt_break"),
    path("exams/attempts/<int:pk>/done/", paper.done, name="attempt_done"),
    # Examiners marking an OSCE station on a tablet
    path("exams/examiner/", osce.my_stations, name="examiner"),
    path("exams/examiner/stations/<int:pk>/", osce.station_candidates, name="examiner_station"),
    path(
        "exams/examiner/stations/<int:pk>/candidates/<int:booking_pk>/",
        osce.marksheet,
        name="examiner_marksheet",
    ),
    # The question bank (the exam team only)
    path("manage/exams/bank/", bank.bank_index, name="bank_index"),
    path("manage/exams/bank/<slug:code>/", bank.bank_list, name="bank"),
    path("manage/exams/bank/<slug:code>/new/", bank.question_new, name="bank_new"),
    path("manage/exams/bank/<slug:code>/import/", bank.bank_import, name="bank_import"),
    path(
        "manage/exams/bank/<slug:code>/export.<slug:fmt>",
        bank.bank_export,
        name="bank_export",
    ),
    path(
        "manage/exams/bank/<slug:code>/questions/<str:question>/",
        bank.question_detail,
        name="bank_question",
    ),
    path(
        "manage/exams/bank/<slug:code>/questions/<str:question>/change/",
        bank.question_edit,
        name="bank_edit",
    ),
    path(
        "manage/exams/bank/<slug:code>/questions/<str:question>/<slug:step>/do/",
        bank.question_step,
        name="bank_step",
    ),
    path(
        "manage/exams/bank/<slug:code>/questions/<str:question>/v<int:number>/image",
        bank.question_image,
        name="bank_image",
    ),
    # Papers and OSCE circuits of a sitting
    path(
        "manage/exams/sittings/<int:pk>/papers/",
        papers_manage.sitting_papers,
        name="manage_papers",
    ),
    path("manage/exams/papers/<int:pk>/", papers_manage.paper_detail, name="manage_paper"),
    path(
        "manage/exams/papers/<int:pk>/<slug:step>/do/",
        papers_manage.paper_step,
        name="manage_paper_step",
    ),
    path(
        "manage/exams/papers/<int:pk>/candidates/",
        papers_manage.paper_candidates,
        name="manage_paper_candidates",
    ),
    path("manage/exams/attempts/<int:pk>/", papers_manage.attempt_detail, name="manage_attempt"),
    path(
        "manage/exams/sittings/<int:pk>/circuits/",
        osce.sitting_circuits,
        name="manage_circuits",
    ),
    path("manage/exams/circuits/<int:pk>/", osce.circuit_detail, name="manage_circuit"),
    path(
        "manage/exams/circuits/<int:pk>/<slug:step>/do/",
        osce.circuit_step,
        name="manage_circuit_step",
    ),
]
