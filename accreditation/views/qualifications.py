"""Declaring a prior qualification in place of a credential an eligibility rule asks for:
the applicant's page for one rule (the administrator verifies it on the manage page)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from accreditation.errors import AccreditationError
from accreditation.forms import QualificationForm, record_sent_file_names
from accreditation.models import EligibilityKind, EligibilityRule, QualificationStatus
from accreditation.services import qualifications
from accreditation.services.rules import credential_name
from accreditation.states import Action, allowed_actions
from accreditation.views.common import (
    applicant_crumbs,
    application_crumb,
    own_application,
    throttled,
)
from credentials import api as credentials_api
from portal.access import login_required_404


@record_sent_file_names
@login_required_404
def application_qualification(request, pk: int, rule_id: int):
    """Declare a prior qualification for one eligibility rule, see where it stands, withdraw
    it while it waits for verification."""
    application = own_application(request, pk)
    rule = get_object_or_404(
        EligibilityRule,
        pk=rule_id,
        pathway_id=application.pathway_id,
        kind=EligibilityKind.HOLDS_CREDENTIAL,
        accepts_declaration=True,
    )
    code = rule.credential_type_code
    declaration = qualifications.declaration_for(request.user, code)
    can_declare = Action.DECLARE_QUALIFICATION in allowed_actions(
        application, request.user
    ) and not (declaration and declaration.status == QualificationStatus.VERIFIED)
    post = request.method == "POST"
    if post and request.POST.get("action") == "withdraw" and declaration:
        try:
            qualifications.withdraw_declaration(
                declaration=declaration, by=request.user, application=application
            )
        except AccreditationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Your declaration has been withdrawn.")
        return redirect("accreditation:qualification", pk, rule_id)
    form = QualificationForm(
        request.POST if post else None,
        request.FILES if post else None,
        names=rule.qualification_names,
        sent_names=getattr(request, "sent_file_names", ()),
    )
    if post and can_declare and form.is_valid():
        if throttled(request):
            return redirect("accreditation:qualification", pk, rule_id)
        data = form.cleaned_data
        try:
            qualifications.declare_qualification(
                application=application,
                by=request.user,
                rule=rule,
                qualification=data["qualification"],
                awarding_body=data["awarding_body"],
                awarded_on=data["awarded_on"],
                uploads=data["files"],
            )
        except AccreditationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                "Your qualification has been declared: the faculty verifies it during the "
                "completeness check.",
            )
            return redirect("accreditation:application", pk)
    routes = credentials_api.routes_to(code)
    return render(
        request,
        "accreditation/applicant/qualification.html",
        {
            "application": application,
            "rule": rule,
            "credential_name": credential_name(code),
            "declaration": declaration,
            "can_declare": can_declare,
            "QualificationStatus": QualificationStatus,
            "form": form,
            "routes": routes,
            "breadcrumbs": applicant_crumbs(application_crumb(application)),
        },
    )
