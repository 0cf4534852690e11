"""The applicant's pages: my applications, start (or renew), checklist and submit, timeline,
respond to a request for more evidence, withdraw, appeal. A declared qualification's page is
in views.qualifications, the frozen snapshot of each round in views.rounds."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accreditation.errors import AccreditationError
from accreditation.forms import (
    AppealForm,
    DeclarationForm,
    WithdrawForm,
)
from accreditation.models import (
    OPEN_STATES,
    Appeal,
    Application,
    ApplicationWindow,
    FeeStatus,
    Pathway,
    State,
)
from accreditation.selectors.outcomes import decision_history, outcome_of
from accreditation.selectors.progress import next_step
from accreditation.services import rounds, transitions
from accreditation.services.renewals import renewable, renewal_days, renewing_pathway
from accreditation.services.rules import checklist, next_window, open_window
from accreditation.states import (
    Action,
    allowed_actions,
    appeal_deadline,
    appeal_of,
    offered,
    tag,
)
from accreditation.views.common import (
    HOME,
    applicant_crumbs,
    application_crumb,
    own_application,
    throttled,
)
from credentials import api as credentials_api
from portal.access import login_required_404


@login_required_404
def my_applications(request):
    applications = list(
        Application.objects.filter(applicant=request.user)
        .select_related("pathway", "appeal")
        .order_by("-created_at", "-pk")
    )
    open_pathways = {a.pathway_id for a in applications if a.state in OPEN_STATES}
    pathways = list(
        Pathway.objects.filter(published=True).prefetch_related(
            Prefetch("windows", queryset=ApplicationWindow.objects.order_by("opens"))
        )
    )
    rows = [
        {
            "pathway": p,
            "window": open_window(p),
            "next": next_window(p),
            "started": p.pk in open_pathways,
        }
        for p in pathways
    ]
    held = list(credentials_api.holder_credentials(request.user))
    awarded = {c.source_id: c for c in held if c.source_type == "accreditation.application"}
    rows_out = []
    for application in applications:
        step, due = next_step(application, appeal=appeal_of(application))
        credential = awarded.get(str(application.pk))
        rows_out.append(
            {
                "application": application,
                "tag": tag(application.state),
                "next_step": step,
                "due": due,
                "fee_text": application.pathway.fee_text,
                "fee_status": application.get_fee_status_display()
                if application.pathway.fee_pence
                else "No fee",
                "credential": credential,
            }
        )
    # The pathway renewing each credential type (the first published, as start_renewal's).
    renewing = {}
    for pathway in pathways:
        renewing.setdefault(pathway.credential_type_code, pathway)
    renewals = [
        credential
        for credential in held
        if not renewable(credential, pathway=renewing.get(credential.kind_id))
    ]
    return render(
        request,
        "accreditation/applicant/list.html",
        {
            "applications": rows_out,
            "pathways": rows,
            "renewals": renewals,
            "breadcrumbs": [HOME],
        },
    )


@login_required_404
def start(request, code: str):
    pathway = get_object_or_404(Pathway, code=code, published=True)
    existing = Application.objects.filter(
        applicant=request.user, pathway=pathway, state__in=OPEN_STATES
    ).first()
    if existing is not None:
        messages.info(request, "You already have an application for this pathway.")
        return redirect("accreditation:application", existing.pk)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = transitions.start_application(
                applicant=request.user, pathway=pathway, **form.cleaned_data
            )
        except AccreditationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your application has been started.")
            return redirect("accreditation:application", application.pk)
    return render(
        request,
        "accreditation/applicant/start.html",
        {"pathway": pathway, "form": form, "breadcrumbs": applicant_crumbs()},
    )


@login_required_404
def renew(request, serial: str):
    if not (serial.isascii() and len(serial) <= 40):
        raise Http404("Page not found")
    credential = next(
        (c for c in credentials_api.holder_credentials(request.user) if c.serial == serial), None
    )
    if credential is None:
        raise Http404("Page not found")
    pathway = renewing_pathway(credential)
    error = renewable(credential, pathway=pathway)
    if request.method == "POST" and not error:
        try:
            application = transitions.start_renewal(applicant=request.user, credential=credential)
        except AccreditationError as exc:
            error = exc.message
        else:
            messages.success(request, "Your renewal has been started.")
            return redirect("accreditation:application", application.pk)
    return render(
        request,
        "accreditation/applicant/renew.html",
        {
            "credential": credential,
            "error": error,
            "days": renewal_days(pathway),
            "breadcrumbs": applicant_crumbs(),
        },
    )


@login_required_404
def application_page(request, pk: int):
    application = own_application(request, pk)
    pathway = Pathway.objects.prefetch_related("windows", "eligibility", "evidence_rules").get(
        pk=application.pathway_id
    )
    application.pathway = pathway
    appeal = Appeal.objects.filter(application=application).first()
    can = offered(application, request.user)
    check = None
    if can.get(Action.SUBMIT) or can.get(Action.RESUBMIT):
        check = checklist(application)
    rounds = list(
        application.rounds.order_by("number").only(
            "number", "origin", "submitted_at", "application_id"
        )
    )
    step, due = next_step(application, appeal=appeal)
    decisions = decision_history(application)
    # Assessors stay anonymous to the applicant; the faculty may name them once decided.
    assessor_names = []
    if decisions and getattr(settings, "ACCREDITATION_NAME_ASSESSORS_AFTER_DECISION", False):
        assessor_names = sorted(
            {
                a.assessor.get_full_name() or a.assessor.email
                for a in application.allocations.select_related("assessor")
            }
        )
    return render(
        request,
        "accreditation/applicant/detail.html",
        {
            "application": application,
            "tag": tag(application.state),
            "can": can,
            "State": State,
            "check": check,
            "rounds": rounds,
            "events": list(application.events.all()),
            "outcome": outcome_of(application, appeal=appeal),
            "decisions": decisions,
            "assessor_names": assessor_names,
            "appeal": appeal,
            "appeal_deadline": appeal_deadline(application) if appeal is None else None,
            "next_step": step,
            "due": due,
            "fee_due": application.fee_status == FeeStatus.DUE and pathway.fee_pence > 0,
            "breadcrumbs": applicant_crumbs(),
        },
    )


@login_required_404
def application_edit(request, pk: int):
    application = own_application(request, pk)
    if Action.EDIT not in allowed_actions(application, request.user):
        messages.error(request, "You cannot change the application now.")
        return redirect("accreditation:application", pk)
    form = DeclarationForm(
        request.POST or None,
        initial={
            "extended_role": application.extended_role,
            "supervisor_name": application.supervisor_name,
            "supervisor_email": application.supervisor_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            transitions.update_declaration(
                application=application, by=request.user, **form.cleaned_data
            )
        except AccreditationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your declaration has been saved.")
            return redirect("accreditation:application", pk)
    return render(
        request,
        "accreditation/applicant/edit.html",
        {"application": application, "form": form, "breadcrumbs": applicant_crumbs()},
    )


def _step(request, pk, action, success):
    """POST one step of the applicant's own; messages say what happened."""
    application = own_application(request, pk)
    if throttled(request):
        return redirect("accreditation:application", pk)
    try:
        action(application=application, by=request.user)
    except AccreditationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("accreditation:application", pk)


@require_POST
@login_required_404
def application_submit(request, pk: int):
    return _step(
        request, pk, transitions.submit_application, "Your application has been submitted."
    )


@login_required_404
def application_resubmit(request, pk: int):
    """GET: what is new for each capability asked about, and a button to confirm.
    POST: resubmit (refused, with the reason, if a capability has nothing new)."""
    application = own_application(request, pk)
    if Action.RESUBMIT not in allowed_actions(application, request.user):
        messages.error(request, "There is nothing to resubmit now.")
        return redirect("accreditation:application", pk)
    if request.method == "POST":
        return _step(
            request,
            pk,
            transitions.resubmit_application,
            "Your further evidence has been submitted.",
        )
    check = checklist(application)
    last = application.rounds.order_by("-number").first()
    fresh = rounds.fresh_evidence(application.more_evidence_capabilities, last.items, check.items)
    changes = rounds.evidence_changes(last.items, check.items)
    return render(
        request,
        "accreditation/applicant/resubmit.html",
        {
            "application": application,
            "check": check,
            "fresh": [
                {
                    "code": code,
                    "items": [
                        {"title": item["title"], "change": rounds.WORDS[changes[item["id"]]]}
                        for item in found
                    ],
                    "add_url": rounds.add_evidence_url(application, code, check.framework),
                }
                for code, found in fresh.items()
            ],
            "ready": check.ready,
            "breadcrumbs": applicant_crumbs(application_crumb(application)),
        },
    )


@login_required_404
def application_withdraw(request, pk: int):
    application = own_application(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled(request):
            return redirect("accreditation:application", pk)
        try:
            transitions.withdraw_application(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AccreditationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Your application has been withdrawn.")
        return redirect("accreditation:application", pk)
    return render(
        request,
        "accreditation/applicant/withdraw.html",
        {"application": application, "form": form, "breadcrumbs": applicant_crumbs()},
    )


@login_required_404
def application_appeal(request, pk: int):
    application = own_application(request, pk)
    # Once, while the pathway's appeal window is open.
    if Action.APPEAL not in allowed_actions(application, request.user):
        raise Http404("Page not found")
    deadline = appeal_deadline(application)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled(request):
            return redirect("accreditation:application", pk)
        try:
            transitions.lodge_appeal(
                application=application, by=request.user, grounds=form.cleaned_data["grounds"]
            )
        except AccreditationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your appeal has been lodged.")
            return redirect("accreditation:application", pk)
    return render(
        request,
        "accreditation/applicant/appeal.html",
        {
            "application": application,
            "form": form,
            "deadline": deadline,
            "breadcrumbs": applicant_crumbs(),
        },
    )
