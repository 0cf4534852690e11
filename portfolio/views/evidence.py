"""The owner's evidence pages: the portfolio list, add, view, change and delete an item, and the
files on it. Every page answers 404 to anyone but the item's owner."""

import re
import unicodedata
from collections import defaultdict
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from portal.access import login_required_404
from portal.links import local_path
from portal.text import without_hidden_characters
from portfolio.errors import PortfolioError
from portfolio.files import (
    ALLOWED_TYPES,
    TEXT,
    record_sent_file_names,
)
from portfolio.forms.evidence import (
    ChosenCompetencies,
    EvidenceCreateForm,
    EvidenceFilesForm,
    EvidenceForm,
)
from portfolio.models import (
    Confirmation,
    EvidenceFile,
    EvidenceItem,
    EvidenceLink,
)
from portfolio.selectors.coverage import over_maximum_message, over_their_maximum
from portfolio.services.confirmations import current_confirmation
from portfolio.services.evidence import (
    LOCKED_MESSAGE,
    add_files,
    create_evidence,
    delete_evidence,
    remove_file,
    update_evidence,
)

PAGE_SIZE = 25


def _breadcrumbs(item: EvidenceItem | None = None) -> list[dict]:
    crumbs = [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Your portfolio", "url": reverse("portfolio:evidence_list")},
    ]
    if item is not None:
        crumbs.append(
            {"label": item.title, "url": reverse("portfolio:evidence_detail", args=[item.pk])}
        )
    return crumbs


def _get_item_for_user(request, pk: int) -> EvidenceItem:
    return get_object_or_404(EvidenceItem, pk=pk, owner=request.user)


def _get_file_for_user(request, pk: int) -> EvidenceFile:
    return get_object_or_404(
        EvidenceFile.objects.select_related("item"), pk=pk, item__owner=request.user
    )


def _locked_page(request, item: EvidenceItem):
    return render(
        request,
        "portfolio/evidence/locked.html",
        {"item": item, "message": LOCKED_MESSAGE, "breadcrumbs": _breadcrumbs(item)},
    )


def _sent_names(request) -> list[str]:
    return getattr(request, "sent_file_names", [])


@login_required_404
def evidence_list(request):
    items = (
        EvidenceItem.objects.filter(owner=request.user)
        .annotate(file_count=Count("files"))
        .prefetch_related(
            Prefetch(
                "links",
                queryset=EvidenceLink.objects.select_related("competency").order_by(
                    "competency__code"
                ),
            ),
            Prefetch(
                "confirmations",
                queryset=Confirmation.objects.only("item_id", "status", "requested_at"),
            ),
        )
        .order_by("-date", "-id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        confirmations = item.confirmations.all()
        item.confirmation = confirmations[0] if confirmations else None
        item.codes = [link.competency.code for link in item.links.all()]
    return render(
        request,
        "portfolio/evidence/list.html",
        {"page": page, "breadcrumbs": _breadcrumbs()[:1]},
    )


def _warn_if_over_maximum(request, competency_ids) -> None:
    over = over_their_maximum(user=request.user, competency_ids=competency_ids)
    if over:
        messages.warning(request, over_maximum_message(over))


@record_sent_file_names
@login_required_404
def evidence_add(request):
    """Add an item. A link may tick competencies for it (`ChosenCompetencies`) and name a page
    of this site to return to once it is saved (`?next=`, the accreditation checklist's)."""
    back = local_path(request.GET.get("next"))
    form = EvidenceCreateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        sent_names=_sent_names(request),
        owner=request.user,
        chosen=ChosenCompetencies.from_query(request.GET),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = create_evidence(
                owner=request.user,
                kind=data["kind"],
                date=data["date"],
                title=data["title"],
                reflection=data["reflection"],
                competency_ids=form.competency_ids(),
                uploads=data["files"],
            )
        except PortfolioError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your evidence has been added.")
            _warn_if_over_maximum(request, form.competency_ids())
            return redirect(back or reverse("portfolio:evidence_detail", args=[item.pk]))
    return render(
        request,
        "portfolio/evidence/form.html",
        {"form": form, "item": None, "back": back, "breadcrumbs": _breadcrumbs()},
    )


@login_required_404
def evidence_detail(request, pk: int):
    item = _get_item_for_user(request, pk)
    files = list(item.files.all())
    for evidence_file in files:
        evidence_file.type_label = label_for(evidence_file.content_type)
    by_framework = defaultdict(list)
    for link in item.links.select_related("competency__framework").order_by(
        "competency__framework__name", "competency__order", "competency__code"
    ):
        by_framework[link.competency.framework].append(link.competency)
    return render(
        request,
        "portfolio/evidence/detail.html",
        {
            "item": item,
            "files": files,
            "frameworks": list(by_framework.items()),
            "confirmation": item.confirmations.first(),
            "can_add_files": len(files) < EvidenceItem.MAX_FILES,
            "max_files": EvidenceItem.MAX_FILES,
            "locked_message": LOCKED_MESSAGE,
            "breadcrumbs": _breadcrumbs(),
        },
    )


@login_required_404
def evidence_edit(request, pk: int):
    item = _get_item_for_user(request, pk)
    if item.is_locked:
        return _locked_page(request, item)
    form = EvidenceForm(request.POST if request.method == "POST" else None, item=item)
    live = current_confirmation(item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_evidence(
                item=item,
                kind=data["kind"],
                date=data["date"],
                title=data["title"],
                reflection=data["reflection"],
                competency_ids=form.competency_ids(),
            )
        except PortfolioError as exc:
            form.add_error(None, exc.message)
        else:
            message = "Your changes have been saved."
            if live is not None and current_confirmation(item) is None:
                message += " The item changed, so ask for it to be confirmed again."
            messages.success(request, message)
            _warn_if_over_maximum(request, form.competency_ids())
            return redirect("portfolio:evidence_detail", item.pk)
    return render(
        request,
        "portfolio/evidence/form.html",
        {"form": form, "item": item, "live_confirmation": live, "breadcrumbs": _breadcrumbs(item)},
    )


@login_required_404
def evidence_delete(request, pk: int):
    item = _get_item_for_user(request, pk)
    if item.is_locked:
        return _locked_page(request, item)
    if request.method == "POST":
        try:
            delete_evidence(item=item)
        except PortfolioError as exc:
            messages.error(request, exc.message)
            return redirect("portfolio:evidence_detail", item.pk)
        messages.success(request, f"“{item.title}” has been deleted.")
        return redirect("portfolio:evidence_list")
    return render(
        request,
        "portfolio/evidence/delete.html",
        {"item": item, "file_count": item.files.count(), "breadcrumbs": _breadcrumbs(item)},
    )


@record_sent_file_names
@login_required_404
def evidence_files_add(request, pk: int):
    item = _get_item_for_user(request, pk)
    if item.is_locked:
        return _locked_page(request, item)
    form = EvidenceFilesForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        item=item,
        sent_names=_sent_names(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = add_files(item=item, uploads=form.cleaned_data["files"])
        except PortfolioError as exc:
            form.add_error(None, exc.message)
        else:
            count = len(added)
            messages.success(request, f"{count} file{'s' if count != 1 else ''} added.")
            return redirect("portfolio:evidence_detail", item.pk)
    return render(
        request,
        "portfolio/evidence/files_add.html",
        {
            "form": form,
            "item": item,
            "room": EvidenceItem.MAX_FILES - form.existing_files,
            "breadcrumbs": _breadcrumbs(item),
        },
    )


@login_required_404
def evidence_file_remove(request, pk: int):
    evidence_file = _get_file_for_user(request, pk)
    item = evidence_file.item
    if item.is_locked:
        return _locked_page(request, item)
    error = None
    if request.method == "POST":
        try:
            remove_file(evidence_file=evidence_file)
        except PortfolioError as exc:
            error = exc.message
        else:
            messages.success(request, f"“{evidence_file.original_name}” has been removed.")
            return redirect("portfolio:evidence_detail", item.pk)
    return render(
        request,
        "portfolio/evidence/file_remove.html",
        {
            "evidence_file": evidence_file,
            "item": item,
            "only_file": item.files.count() <= 1,
            "error": error,
            "breadcrumbs": _breadcrumbs(item),
        },
    )


@login_required_404
def evidence_file_download(request, pk: int):
    """The file as an attachment, never rendered by the browser, only to its owner."""
    evidence_file = _get_file_for_user(request, pk)
    try:
        handle = evidence_file.file.open("rb")
    except FileNotFoundError:
        raise Http404("File not found") from None
    response = FileResponse(handle, content_type=served_content_type(evidence_file.content_type))
    response["Content-Disposition"] = attachment_header(evidence_file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here so the CSP middleware leaves it alone: nothing in the file may run or load.
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- downloads -----------------------------------------------------------------------------

_TYPE_BY_CONTENT_TYPE = {kind.content_type: kind for kind in ALLOWED_TYPES}


def label_for(content_type: str) -> str:
    kind = _TYPE_BY_CONTENT_TYPE.get(content_type)
    return kind.label[0].upper() + kind.label[1:] if kind else "File"


def served_content_type(content_type: str) -> str:
    """The type to serve a stored file as: only ever one of the allowed types."""
    if content_type == TEXT.content_type:
        return "text/plain; charset=utf-8"
    return content_type if content_type in _TYPE_BY_CONTENT_TYPE else "application/octet-stream"


def attachment_header(name: str) -> str:
    """Content-Disposition for a download: an ASCII fallback, and RFC 5987 for the real name."""
    name = without_hidden_characters(name)
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    fallback = re.sub(r"[^A-Za-z0-9._()\- ]", "_", plain).strip() or "download"
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
