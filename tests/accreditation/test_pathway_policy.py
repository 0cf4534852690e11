"""Policy is the pathway's data: the appeal window, the limits on a deadline for more
evidence and the renewal window are read from the pathway (pages, emails and the steps
alike), edited in the admin, and held to sane bounds by the database."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import Outcome, Pathway
from accreditation.selectors.progress import next_step
from accreditation.services import transitions
from accreditation.states import State, appeal_deadline
from portal.calendar import add_working_days
from tests.accreditation import builders
from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db


def test_existing_pathways_have_the_usual_policy():
    pathway = Pathway.objects.get(code="gpwer-msk")
    assert (
        pathway.appeal_days,
        pathway.min_deadline_days,
        pathway.max_deadline_days,
        pathway.renewal_days,
    ) == (28, 7, 180, 90)


def _decline(application, lead):
    return transitions.decide(
        application=application,
        by=lead,
        outcome=Outcome.DECLINED,
        reasons="Not yet independent.",
        capability_reasons={"CAP1": "No MDT case."},
    )


def test_the_appeal_window_is_the_pathways(
    client,
    pathway,
    ready,
    faculty_staff,
    assessors,
    lead_assessor,
    django_capture_on_commit_callbacks,
):
    pathway.appeal_days = 14
    pathway.save(update_fields=["appeal_days"])
    application = builders.recommended(pathway, ready, faculty_staff, assessors, "decline")
    with django_capture_on_commit_callbacks(execute=True):
        _decline(application, lead_assessor)
    application.refresh_from_db()
    decided = timezone.localtime(application.decided_at).date()
    assert appeal_deadline(application) == decided + datetime.timedelta(days=14)
    email = next(
        m
        for m in mail.outbox
        if ready.email in m.to and m.subject.startswith("Application declined")
    )
    assert "(14 days from the decision)" in email.body
    client.force_login(ready)
    page = client.get(reverse("accreditation:application", args=[application.pk]))
    assert "(14 days from the decision)" in page.content.decode()
    type(application).objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=15)
    )
    application.refresh_from_db()
    with pytest.raises(AccreditationError, match="14 days after the decision"):
        transitions.lodge_appeal(application=application, by=ready, grounds="Late")


def test_the_deadline_for_more_evidence_keeps_to_the_pathways_limits(
    pathway, ready, faculty_staff, assessors, lead_assessor
):
    pathway.min_deadline_days, pathway.max_deadline_days = 10, 20
    pathway.save(update_fields=["min_deadline_days", "max_deadline_days"])
    application = builders.recommended(pathway, ready, faculty_staff, assessors, "more_evidence")
    today = timezone.localdate()
    ask = dict(
        application=application,
        by=lead_assessor,
        outcome=Outcome.MORE_EVIDENCE,
        reasons="One more MDT case.",
        capabilities=["CAP1"],
    )
    for days in (9, 21):
        with pytest.raises(AccreditationError, match="between 10 and 20 days from today"):
            transitions.decide(deadline=today + datetime.timedelta(days=days), **ask)
    transitions.decide(deadline=today + datetime.timedelta(days=10), **ask)
    application.refresh_from_db()
    assert application.state == State.MORE_EVIDENCE


def _credential(user, ends_in_days):
    today = timezone.localdate()
    return make_credential(
        user,
        kind="gpwer_msk",
        valid_from=today - datetime.timedelta(days=1000),
        valid_until=today + datetime.timedelta(days=ends_in_days),
    )


def test_the_renewal_window_is_the_renewing_pathways(client, ready):
    credential = _credential(ready, 60)
    renewing = Pathway.objects.filter(credential_type_code="gpwer_msk", published=True).first()
    Pathway.objects.filter(pk=renewing.pk).update(renewal_days=30)
    with pytest.raises(AccreditationError, match="You can start a renewal from"):
        transitions.start_renewal(applicant=ready, credential=credential)
    client.force_login(ready)
    page = client.get(reverse("accreditation:renew", args=[credential.serial])).content.decode()
    assert "You can renew it from 30 days before it ends." in page
    renew_link = reverse("accreditation:renew", args=[credential.serial])
    mine = reverse("accreditation:my_applications")
    assert renew_link not in client.get(mine).content.decode()
    Pathway.objects.filter(pk=renewing.pk).update(renewal_days=90)
    assert renew_link in client.get(mine).content.decode()
    application = transitions.start_renewal(applicant=ready, credential=credential)
    assert application.pathway_id == renewing.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"appeal_days": 3}, "appeal_days"),
        ({"appeal_days": 400}, "appeal_days"),
        ({"min_deadline_days": 0}, "min_deadline_days"),
        ({"min_deadline_days": 30, "max_deadline_days": 20}, "max_deadline_days"),
        ({"renewal_days": 5}, "renewal_days"),
    ],
)
def test_policy_out_of_bounds_is_refused_by_the_admins_checks_and_the_database(fields, field):
    pathway = Pathway.objects.get(code="gpwer-msk")
    for name, value in fields.items():
        setattr(pathway, name, value)
    with pytest.raises(ValidationError) as refused:
        pathway.full_clean()
    assert field in refused.value.message_dict or "__all__" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.filter(pk=pathway.pk).update(**fields)


def test_administrators_set_the_policy_in_the_admin(client, faculty_staff):
    client.force_login(faculty_staff)
    pathway = Pathway.objects.get(code="gpwer-msk")
    page = client.get(reverse("admin:accreditation_pathway_change", args=[pathway.pk]))
    html = page.content.decode()
    for name in ("appeal_days", "min_deadline_days", "max_deadline_days", "renewal_days"):
        assert f'name="{name}"' in html


def test_service_levels_skip_bank_holidays(pathway, ready):
    application = builders.submitted(pathway, ready)
    christmas_eve = timezone.make_aware(datetime.datetime(2026, 12, 24, 10))
    type(application).objects.filter(pk=application.pk).update(state_changed_at=christmas_eve)
    application.refresh_from_db()
    step, due = next_step(application)
    assert due == add_working_days(datetime.date(2026, 12, 24), pathway.completeness_days)
    # Five working days from Thursday 24 December 2026: Tuesday 5 January, not Thursday 31
    # December, for Christmas Day, the Boxing Day substitute on the 28th and New Year's Day
    # 2027 fall in between.
    assert due == datetime.date(2027, 1, 5)
