"""Competency framework pages for exam administrators (and superusers); 404 for anyone else.

List → framework version → import (upload, preview, confirm), export, and the state changes
(publish, retire, new draft version, delete draft), each confirmed on its own page and done
by portfolio.services.frameworks.
"""

from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from portal.access import role_required
from portal.roles import Role
from portfolio.errors import PortfolioError
from portfolio.forms.frameworks import FrameworkDetailsForm, FrameworkImportForm, NewFrameworkForm
from portfolio.frameworks_files import COLUMNS
from portfolio.frameworks_io import confirm_import, export_framework, preview_import
from portfolio.models import Competency, Domain, Framework, FrameworkStatus
from portfolio.services import frameworks as services

staff_only = role_required(Role.FACULTY_STAFF)
MAX_ERRORS_SHOWN = 25


def _breadcrumbs(framework: Framework | None = None) -> list[dict]:
    crumbs = [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Competency frameworks", "url": reverse("portfolio:framework_list")},
    ]
    if framework is not None:
        crumbs.append(
            {
                "label": f"{framework.name}, version {framework.version}",
                "url": reverse("portfolio:framework_detail", args=[framework.pk]),
            }
        )
    return crumbs


@staff_only
def framework_list(request):
    versions = Framework.objects.annotate(competency_count=Count("competencies")).order_by(
        "code", "-version"
    )
    frameworks = [
        {"code": code, "versions": list(group)}
        for code, group in groupby(versions, key=lambda framework: framework.code)
    ]
    return render(
        request,
        "portfolio/frameworks/list.html",
        {"frameworks": frameworks, "breadcrumbs": _breadcrumbs()[:1]},
    )


@staff_only
def framework_create(request):
    form = NewFrameworkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.create_framework(**form.cleaned_data)
        except PortfolioError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, f"{framework} was created as a draft.")
            return redirect("portfolio:framework_detail", framework.pk)
    return render(
        request,
        "portfolio/frameworks/form.html",
        {
            "form": form,
            "heading": "Create a framework",
            "button": "Create framework",
            "breadcrumbs": _breadcrumbs(),
        },
    )


@staff_only
def framework_detail(request, pk: int):
    domains = Domain.objects.order_by("order", "code").prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("order", "code"))
    )
    framework = get_object_or_404(
        Framework.objects.prefetch_related(Prefetch("domains", queryset=domains)), pk=pk
    )
    versions = list(Framework.objects.filter(code=framework.code).order_by("-version"))
    has_draft = any(version.status == FrameworkStatus.DRAFT for version in versions)
    return render(
        request,
        "portfolio/frameworks/detail.html",
        {
            "framework": framework,
            "domains": framework.domains.all(),
            "versions": versions,
            "can_copy": not framework.is_editable and not has_draft,
            "breadcrumbs": _breadcrumbs(),
        },
    )


@staff_only
def framework_edit(request, pk: int):
    framework = get_object_or_404(Framework, pk=pk)
    if not framework.is_editable:
        messages.error(request, "Only a draft can change. Make a new draft version first.")
        return redirect("portfolio:framework_detail", framework.pk)
    form = FrameworkDetailsForm.for_framework(
        framework, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_framework(framework=framework, **form.cleaned_data)
        except PortfolioError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The framework's details were saved.")
            return redirect("portfolio:framework_detail", framework.pk)
    return render(
        request,
        "portfolio/frameworks/form.html",
        {
            "form": form,
            "heading": "Change the framework's details",
            "button": "Save details",
            "framework": framework,
            "breadcrumbs": _breadcrumbs(framework),
        },
    )


@dataclass(frozen=True)
class Action:
    service: object
    heading: str
    explanation: str
    button: str
    done: str
    warning: bool = False


ACTIONS = {
    "publish": Action(
        services.publish_framework,
        "Publish this version",
        "Clinicians can then map evidence to it. A published version never changes: to "
        "change it later, start a new draft version. The version published now, if any, "
        "will be retired; evidence mapped to it stays mapped to it.",
        "Publish",
        "was published",
    ),
    "retire": Action(
        services.retire_framework,
        "Retire this version",
        "Nobody will be able to map new evidence to it. Evidence already mapped to it stays "
        "mapped. A retired version cannot be published again, but you can copy it as a new "
        "draft.",
        "Retire",
        "was retired",
        warning=True,
    ),
    "new-version": Action(
        services.new_draft_version,
        "Start a new draft version",
        "The new version starts as a copy of this one, with every domain and competency. "
        "Change it, then publish it to replace the published version.",
        "Start new draft version",
        "was created as a copy",
    ),
    "delete": Action(
        services.delete_draft,
        "Delete this draft",
        "The draft and its domains and competencies will be deleted. This cannot be undone. "
        "Published and retired versions are not affected.",
        "Delete draft",
        "was deleted",
        warning=True,
    ),
}


@staff_only
def framework_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("Page not found")
    framework = get_object_or_404(Framework, pk=pk)
    if request.method == "POST":
        try:
            result = spec.service(framework=framework)
        except PortfolioError as exc:
            messages.error(request, exc.message)
            return redirect("portfolio:framework_detail", framework.pk)
        if result is None:
            messages.success(request, f"{framework} {spec.done}.")
            return redirect("portfolio:framework_list")
        messages.success(request, f"{result} {spec.done}.")
        return redirect("portfolio:framework_detail", result.pk)
    published = (
        Framework.objects.filter(code=framework.code, status=FrameworkStatus.PUBLISHED)
        .exclude(pk=framework.pk)
        .first()
    )
    return render(
        request,
        "portfolio/frameworks/confirm.html",
        {
            "framework": framework,
            "action": spec,
            "published": published if action == "publish" else None,
            "breadcrumbs": _breadcrumbs(framework),
        },
    )


@staff_only
def framework_export(request, pk: int, file_format: str):
    framework = get_object_or_404(Framework, pk=pk)
    content, content_type, filename = export_framework(framework=framework, file_format=file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_only
def framework_import(request, pk: int):
    framework = get_object_or_404(Framework, pk=pk)
    if not framework.is_editable:
        messages.error(request, "Only a draft can change. Make a new draft version first.")
        return redirect("portfolio:framework_detail", framework.pk)
    form = (
        FrameworkImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else FrameworkImportForm()
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                outcome = preview_import(framework=framework, upload=form.cleaned_data["file"])
            else:
                outcome = confirm_import(framework=framework, payload=form.cleaned_data["payload"])
        except PortfolioError as exc:
            form.add_error("file", exc.message)
        else:
            if outcome.errors:
                _show_errors(form, outcome.errors)
                outcome = None
            elif not form.cleaned_data["file"]:
                messages.success(request, f"The file was imported. {outcome.summary}")
                return redirect("portfolio:framework_detail", framework.pk)
    if outcome is not None:
        form = FrameworkImportForm(initial={"payload": outcome.payload})
    return render(
        request,
        "portfolio/frameworks/import.html",
        {
            "framework": framework,
            "form": form,
            "outcome": outcome,
            "columns": COLUMNS,
            "breadcrumbs": _breadcrumbs(framework),
        },
    )


def _show_errors(form, errors: list[str]) -> None:
    for error in errors[:MAX_ERRORS_SHOWN]:
        form.add_error("file", error)
    if len(errors) > MAX_ERRORS_SHOWN:
        form.add_error(
            "file", f"And {len(errors) - MAX_ERRORS_SHOWN} more problems not listed here."
        )
    form.add_error("file", "Nothing was imported. Correct the file and upload it again.")
