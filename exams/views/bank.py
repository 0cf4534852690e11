"""The question bank's pages, for the exam team only (404 for everyone else, candidates
included): the list, one question with its versions and their statistics, writing, changing,
reviewing, approving and retiring."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from exams.forms_delivery import QuestionForm
from exams.models import Exam, Question, QuestionState, QuestionVersion
from exams.services import bank
from exams.services.errors import ExamError
from exams.views.common import staff_only
from portfolio import api as portfolio_api

MAX_IMAGE_BYTES = 2 * 1024 * 1024
PAGE_SIZE = 50


def _crumbs(exam=None, *extra):
    crumbs = [{"label": "Exam sittings", "url": reverse("exams:manage_sittings")}]
    if exam is not None:
        crumbs.append({"label": f"{exam.name}: question bank", "url": _bank_url(exam)})
    return [*crumbs, *extra]


def _bank_url(exam) -> str:
    return reverse("exams:bank", args=[exam.code])


@staff_only
def bank_index(request):
    exams = Exam.objects.annotate(
        questions_count=Count("questions", distinct=True),
    ).order_by("order")
    return render(
        request,
        "exams/bank/index.html",
        {"exams": exams, "breadcrumbs": _crumbs()},
    )


@staff_only
def bank_list(request, code: str):
    exam = get_object_or_404(Exam, code=code)
    versions = bank.latest_versions(exam)
    state = request.GET.get("state", "")
    domain = request.GET.get("domain", "")
    query = " ".join(request.GET.get("q", "").split())[:100]
    if state in QuestionState.values:
        versions = versions.filter(state=state)
    if domain:
        versions = versions.filter(domain=domain)
    if query:
        versions = versions.filter(Q(question__code__icontains=query) | Q(stem__icontains=query))
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    domains = sorted(
        set(QuestionVersion.objects.filter(question__exam=exam).values_list("domain", flat=True))
    )
    counts = dict(
        bank.latest_versions(exam).order_by().values_list("state").annotate(n=Count("pk"))
    )
    return render(
        request,
        "exams/bank/list.html",
        {
            "exam": exam,
            "page": page,
            "states": QuestionState.choices,
            "state": state,
            "domains": domains,
            "domain": domain,
            "query": query,
            "counts": [(label, counts.get(value, 0)) for value, label in QuestionState.choices],
            "breadcrumbs": _crumbs(),
        },
    )


def _image(form):
    """The uploaded image, checked like evidence files (PNG or JPEG, no tricks), or None."""
    upload = form.cleaned_data.get("image")
    if not upload:
        return None, ""
    if upload.size > MAX_IMAGE_BYTES:
        form.add_error("image", "The image must be 2 MB or smaller.")
        return None, ""
    try:
        checked = portfolio_api.inspect_upload(upload)
    except portfolio_api.UploadRefused as exc:
        form.add_error("image", str(exc))
        return None, ""
    if checked.content_type not in ("image/png", "image/jpeg"):
        form.add_error("image", "The image must be a PNG or a JPEG.")
        return None, ""
    upload.seek(0)
    return upload, checked.content_type


@staff_only
def question_new(request, code: str):
    exam = get_object_or_404(Exam, code=code)
    posted = request.method == "POST"
    form = QuestionForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        image, image_type = _image(form)
        if not form.errors:
            try:
                version = bank.write_question(
                    exam=exam,
                    code=form.cleaned_data["code"],
                    by=request.user,
                    image=image,
                    **form.content(),
                )
            except ExamError as exc:
                form.add_error(None, str(exc))
            else:
                if image:
                    QuestionVersion.objects.filter(pk=version.pk).update(image_type=image_type)
                messages.success(request, f"{version.question.code} is saved as a draft.")
                return redirect("exams:bank_question", exam.code, version.question.code)
    return render(
        request,
        "exams/bank/form.html",
        {
            "exam": exam,
            "form": form,
            "heading": "Write a question",
            "button": "Save as a draft",
            "breadcrumbs": _crumbs(exam),
        },
    )


def _question(exam_code, question_code) -> Question:
    return get_object_or_404(
        Question.objects.select_related("exam"), exam__code=exam_code, code=question_code
    )


@staff_only
def question_detail(request, code: str, question: str):
    question = _question(code, question)
    versions = list(
        question.versions.select_related("author", "reviewer", "approved_by").prefetch_related(
            "statistics__sitting"
        )
    )
    latest = versions[0]
    statistics = [(version, stat) for version in versions for stat in version.statistics.all()]
    return render(
        request,
        "exams/bank/detail.html",
        {
            "exam": question.exam,
            "question": question,
            "versions": versions,
            "latest": latest,
            "options": [
                {"letter": "ABCDE"[n], "text": text, "key": "ABCDE"[n] == latest.key}
                for n, text in enumerate(latest.options)
            ],
            "statistics": statistics,
            "in_a_paper": bank.in_a_paper(latest),
            "can_review": latest.state == QuestionState.DRAFT
            and latest.author_id != request.user.pk,
            "can_approve": latest.state == QuestionState.REVIEWED
            and latest.author_id != request.user.pk,
            "S": QuestionState,
            "breadcrumbs": _crumbs(question.exam),
        },
    )


@staff_only
def question_edit(request, code: str, question: str):
    question = _question(code, question)
    latest = question.versions.order_by("-number").first()
    if latest.state == QuestionState.RETIRED:
        raise Http404("Page not found")
    initial = {
        "domain": latest.domain,
        "stem": latest.stem,
        "key": latest.key,
        "tags": ", ".join(latest.tags),
        "explanation": latest.explanation,
        "image_alt": latest.image_alt,
        **{f"option_{'abcde'[n]}": text for n, text in enumerate(latest.options)},
    }
    posted = request.method == "POST"
    form = QuestionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        editing=True,
    )
    if posted and form.is_valid():
        image, image_type = _image(form)
        if not form.errors:
            try:
                version = bank.revise_question(
                    version=latest, by=request.user, image=image, **form.content()
                )
            except ExamError as exc:
                form.add_error(None, str(exc))
            else:
                if image:
                    QuestionVersion.objects.filter(pk=version.pk).update(image_type=image_type)
                elif version.pk != latest.pk and latest.image:
                    QuestionVersion.objects.filter(pk=version.pk).update(
                        image_type=latest.image_type
                    )
                messages.success(
                    request,
                    f"Version {version.number} is saved as a draft."
                    if version.pk != latest.pk
                    else "Your changes are saved.",
                )
                return redirect("exams:bank_question", code, question.code)
    return render(
        request,
        "exams/bank/form.html",
        {
            "exam": question.exam,
            "question": question,
            "form": form,
            "heading": f"Change {question.code}",
            "intro": ""
            if latest.state == QuestionState.DRAFT and not bank.in_a_paper(latest)
            else f"Version {latest.number} stays as it is; your changes make version "
            f"{latest.number + 1}, a draft that needs review and approval again.",
            "button": "Save the changes",
            "breadcrumbs": _crumbs(question.exam),
        },
    )


STEPS = {
    "review": (bank.review_question, "Reviewed: it now needs approving by someone else."),
    "approve": (bank.approve_question, "Approved: it can go into papers."),
    "send-back": (bank.send_back, "Sent back to draft."),
    "retire": (bank.retire_question, "Retired: it goes into no new paper."),
}


@require_POST
@staff_only
def question_step(request, code: str, question: str, step: str):
    question = _question(code, question)
    if step not in STEPS:
        raise Http404("Page not found")
    action, done = STEPS[step]
    latest = question.versions.order_by("-number").first()
    try:
        action(version=latest, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("exams:bank_question", code, question.code)


@staff_only
def question_image(request, code: str, question: str, number: int):
    version = get_object_or_404(QuestionVersion, question=_question(code, question), number=number)
    if not version.image or version.image_type not in ("image/png", "image/jpeg"):
        raise Http404("Page not found")
    response = FileResponse(version.image.open("rb"), content_type=version.image_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the bank as a file --------------------------------------------------------------------

PENDING_SECONDS = 30 * 60


def _pending_key(user, token: str) -> str:
    return f"exams:bank-import:{user.pk}:{token}"


@staff_only
def bank_export(request, code: str, fmt: str):
    from django.http import HttpResponse

    from exams.services import bank_files

    exam = get_object_or_404(Exam, code=code)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Page not found")
    response = HttpResponse(
        bank_files.export(exam, fmt=fmt),
        content_type="text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exam.code}-question-bank.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_only
def bank_import(request, code: str):
    """Check a file (nothing saved, every problem by row), then import it all or nothing."""
    import secrets

    from django.core.cache import cache

    from exams.forms_delivery import BankImportForm
    from exams.services import bank_files

    exam = get_object_or_404(Exam, code=code)
    report = None
    token = ""
    form = BankImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST.get("confirm", "")
        pending = cache.get(_pending_key(request.user, token)) if token.isascii() else None
        if pending is None:
            messages.error(request, "That check has expired: choose the file and check it again.")
            return redirect("exams:bank_import", exam.code)
        data, filename = pending
        report = bank_files.import_bank(exam, data, filename, by=request.user)
        cache.delete(_pending_key(request.user, token))
        if report.ok:
            messages.success(
                request,
                f"Imported: {len(report.new)} new, {len(report.changed)} changed (as drafts to "
                f"review), {len(report.unchanged)} unchanged.",
            )
            return redirect("exams:bank", exam.code)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(bank_files.LIMITS.max_bytes + 1)
        report = bank_files.check(exam, data, upload.name)
        if report.ok:
            token = secrets.token_urlsafe(16)
            cache.set(
                _pending_key(request.user, token), (data, upload.name), timeout=PENDING_SECONDS
            )
    return render(
        request,
        "exams/bank/import.html",
        {
            "exam": exam,
            "form": form,
            "report": report,
            "token": token,
            "breadcrumbs": _crumbs(exam),
        },
    )
