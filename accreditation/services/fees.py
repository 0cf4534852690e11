"""The fee, recorded by an administrator (the portal takes no card payments)."""

from django.db import transaction

from accreditation.errors import AccreditationError
from accreditation.models import FeeStatus
from accreditation.services.guards import is_admin, locked
from portal.audit import record
from portal.text import has_hidden_characters


@transaction.atomic
def record_fee(*, application, by, status: str, reference: str = ""):
    if not is_admin(by):
        raise AccreditationError("Only an administrator can record the fee.")
    if status not in (FeeStatus.PAID, FeeStatus.WAIVED, FeeStatus.INVOICED):
        raise AccreditationError("Choose paid, waived or invoiced.")
    reference = (reference or "").strip()
    if len(reference) > 100 or has_hidden_characters(reference):
        raise AccreditationError("The reference must be 100 plain characters or fewer.")
    application = locked(application)
    old = {"fee_status": application.fee_status, "fee_reference": application.fee_reference}
    application.fee_status, application.fee_reference = status, reference
    application.save(update_fields=["fee_status", "fee_reference"])
    record(
        "accreditation.fee_recorded",
        obj=application,
        old=old,
        new={"fee_status": status, "fee_reference": reference},
    )
    return application
