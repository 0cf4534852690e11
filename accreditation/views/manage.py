"""The administrator's pages: applications by state, age and overdue; assessor workload;
CSV export; and one application's completeness check, fee and allocation."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.forms import EndAllocationForm, FeeForm, QualificationDecisionForm, ReturnForm
from accreditation.models import (
    ACTIVE_REVIEW_STATES,
    Allocation,
    Appeal,
    AppealOutcome,
    Application,
    Pathway,
    PriorQualification,
    QualificationStatus,
    State,
)
from accreditation.selectors.outcomes import decision_history, outcome_of
from accreditation.selectors.progress import due_date
from accreditation.services import allocation as allocation_service
from accreditation.services import fees, qualifications, transitions
from accreditation.services.rules import checklist
from accreditation.states import Action, offered, tag
from portal.access import role_required
from portal.models import User
from portal.roles import Role, role_lookup
from portal.spreadsheets import escape_cell
from portfolio import api as portfolio_api

HOME = {"label": "Home", "url": "/"}
PER_PAGE = 50


def _filtered(request):
    state = request.GET.get("state", "")
    applications = Application.objects.select_related("pathway", "applicant")
    if state in State.values:
        applications = applications.filter(state=state)
    else:
        state = ""
    return state, applications.order_by("state_changed_at", "pk")


@role_required(Role.FACULTY_STAFF)
def dashboard(request):
    """A fixed number of queries whatever the number of applications."""
    state, applications = _filtered(request)
    counts = dict(
        Application.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    page = Paginator(applications, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for application in page.object_list:
        due = due_date(application)
        rows.append(
            {
                "application": application,
                "tag": tag(application.state),
                "age": (today - application.state_changed_at.date()).days,
                "due": due,
                "overdue": bool(due and due < today),
            }
        )
    workload = (
        User.objects.filter(role_lookup(Role.ASSESSOR) | role_lookup(Role.LEAD_ASSESSOR))
        .annotate(
            active=Count(
                "allocations",
                filter=Q(
                    allocations__ended_at__isnull=True,
                    allocations__application__state__in=ACTIVE_REVIEW_STATES,
                ),
                distinct=True,
            )
        )
        .order_by("-active", "email")
        .distinct()[:100]
    )
    return render(
        request,
        "accreditation/manage/dashboard.html",
        {
            "states": [
                {"value": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in State
            ],
            "state": state,
            "total": sum(counts.values()),
            "page": page,
            "rows": rows,
            "workload": list(workload),
            "breadcrumbs": [HOME],
        },
    )


@role_required(Role.FACULTY_STAFF)
def export_csv(request):
    state, applications = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Reference", "Applicant", "Email", "Pathway", "State", "Since", "Due", "Overdue", "Fee"]
    )
    today = timezone.localdate()
    for application in applications.iterator(chunk_size=2000):
        due = due_date(application)
        writer.writerow(
            escape_cell(value)
            for value in (
                application.reference,
                application.applicant.get_full_name(),
                application.applicant.email,
                application.pathway.name,
                application.get_state_display(),
                application.state_changed_at.date().isoformat(),
                due.isoformat() if due else "",
                "yes" if due and due < today else "no",
                application.get_fee_status_display(),
            )
        )
    return response


@role_required(Role.FACULTY_STAFF)
def application_page(request, pk: int):
    application = get_object_or_404(
        Application.objects.select_related("pathway", "applicant"), pk=pk
    )
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    fee_form = FeeForm(
        request.POST if request.POST.get("action") == "fee" else None,
        initial={"fee_status": application.fee_status, "fee_reference": application.fee_reference},
    )
    end_form = EndAllocationForm(request.POST if request.POST.get("action") == "end" else None)
    qualification_form = QualificationDecisionForm(
        request.POST if request.POST.get("action", "").startswith("qualification") else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("qualification_verify", "qualification_reject"):
                done = _decide_qualification(request, application, action, qualification_form)
            else:
                done = _act(request, application, action, return_form, fee_form, end_form)
        except AccreditationError as exc:
            messages.error(request, exc.message)
            done = True
        if done:
            return redirect("accreditation:manage_application", pk)
    can = offered(application, request.user)
    allocations = list(application.allocations.select_related("assessor", "allocated_by"))
    active = [a for a in allocations if a.ended_at is None]
    can_allocate = can.get(Action.ALLOCATE, False) and (
        len(active) < application.pathway.assessors_required
    )
    application.pathway = Pathway.objects.prefetch_related(
        "windows", "eligibility", "evidence_rules"
    ).get(pk=application.pathway_id)
    appeal = Appeal.objects.filter(application=application).first()
    declarations = [
        (rule, qualifications.declaration_for(application.applicant, rule.credential_type_code))
        for rule in qualifications.declaration_rules(application.pathway)
    ]
    return render(
        request,
        "accreditation/manage/application.html",
        {
            "application": application,
            "tag": tag(application.state),
            "can": can,
            "QualificationStatus": QualificationStatus,
            "rounds": list(application.rounds.order_by("number").values_list("number", flat=True)),
            "allocations": allocations,
            "active": active,
            "suggestions": allocation_service.suggestions(application) if can_allocate else [],
            "can_allocate": can_allocate,
            "can_reallocate": can.get(Action.ALLOCATE, False),
            "return_form": return_form,
            "fee_form": fee_form,
            "end_form": end_form,
            "qualification_form": qualification_form,
            "declarations": [(r, d) for r, d in declarations if d is not None],
            "check": checklist(application) if can.get(Action.MARK_COMPLETE) else None,
            "blockers": transitions.completeness_blockers(application)
            if can.get(Action.MARK_COMPLETE)
            else [],
            "appeal": appeal,
            # After an upheld appeal, the new review needs assessors who have not seen it.
            "fresh_assessors": appeal is not None
            and appeal.outcome == AppealOutcome.NEW_REVIEW
            and application.state == State.COMPLETE,
            "outcome": outcome_of(application, appeal=appeal),
            "decisions": decision_history(application),
            "events": list(application.events.all()),
            "breadcrumbs": [
                HOME,
                {"label": "Applications", "url": reverse("accreditation:manage_dashboard")},
            ],
        },
    )


def _act(request, application, action, return_form, fee_form, end_form) -> bool:
    user = request.user
    if action == "complete":
        transitions.mark_complete(application=application, by=user)
        messages.success(request, "Marked complete: allocate the assessors.")
        return True
    if action == "return":
        if not return_form.is_valid():
            return False
        transitions.return_application(
            application=application, by=user, reasons=return_form.cleaned_data["reasons"]
        )
        messages.success(request, "Returned to the applicant with your reasons.")
        return True
    if action == "fee":
        if not fee_form.is_valid():
            return False
        fees.record_fee(
            application=application,
            by=user,
            status=fee_form.cleaned_data["fee_status"],
            reference=fee_form.cleaned_data["fee_reference"],
        )
        messages.success(request, "The fee has been recorded.")
        return True
    if action == "allocate":
        assessor = User.objects.filter(pk=_int(request.POST.get("assessor"))).first()
        if assessor is None:
            raise AccreditationError("Choose an assessor from the suggestions.")
        allocation_service.allocate(application=application, assessor=assessor, by=user)
        messages.success(request, f"{assessor.get_full_name() or assessor.email} allocated.")
        return True
    if action == "end":
        if not end_form.is_valid():
            return False
        allocation = get_object_or_404(
            Allocation, pk=_int(request.POST.get("allocation")), application=application
        )
        allocation_service.end_allocation(
            allocation=allocation, by=user, reason=end_form.cleaned_data["reason"]
        )
        messages.success(request, "The assessor has been taken off: allocate another.")
        return True
    if action == "review":
        transitions.begin_review(application=application, by=user)
        messages.success(request, "Sent to the assessors.")
        return True
    raise AccreditationError("Choose what to do.")


def _decide_qualification(request, application, action, form) -> bool:
    declaration = get_object_or_404(
        PriorQualification,
        pk=_int(request.POST.get("declaration")),
        applicant_id=application.applicant_id,
    )
    if not form.is_valid():
        return False
    note = form.cleaned_data["note"]
    if action == "qualification_verify":
        qualifications.verify_declaration(
            declaration=declaration, by=request.user, application=application, note=note
        )
        messages.success(request, f"{declaration.qualification} verified.")
    else:
        qualifications.reject_declaration(
            declaration=declaration, by=request.user, application=application, reason=note
        )
        messages.success(
            request, f"{declaration.qualification} not accepted: the applicant is told why."
        )
    return True


@role_required(Role.FACULTY_STAFF)
def qualification_file(request, pk: int, declaration_id: int, file_id: int):
    """A declared certificate, as it was declared (its hash must still match)."""
    application = get_object_or_404(Application, pk=pk)
    declaration = get_object_or_404(
        PriorQualification, pk=declaration_id, applicant_id=application.applicant_id
    )
    for entry in declaration.files:
        if entry["id"] == file_id:
            return portfolio_api.evidence_file_response(file_id, entry["sha256"])
    raise Http404("File not found")


def _int(value) -> int:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else 0
