"""manage.py bench_data on PostgreSQL: the sizes asked for, and a portal that still works
afterwards (id sequences and serial counters moved past the loaded rows)."""

import io

import pytest
from django.core.management import CommandError, call_command

from accreditation.models import Allocation, Application
from credentials.models import Credential, SerialCounter
from exams.models import Booking, CandidateResult, Mark, Sitting
from portal.models import User
from portfolio.models import ClinicianProfile, EvidenceItem
from tests.credentials.factories import make_credential
from tests.factories import UserFactory
from tests.portfolio.factories import EvidenceItemFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_small_scale_load_then_the_portal_carries_on():
    out = io.StringIO()
    call_command("bench_data", "--scale", "0.001", stdout=out)
    text = out.getvalue()
    assert "portfolio_evidenceitem" in text and "bench_data done in" in text
    assert ClinicianProfile.objects.count() == 100
    assert EvidenceItem.objects.count() == 1000
    assert Credential.objects.count() == 50
    assert Application.objects.count() == 20
    assert Sitting.objects.count() == 1
    assert Booking.objects.count() == CandidateResult.objects.count() == 100
    assert Mark.objects.exists()
    assessor = User.objects.get(email="bench.assessor@bench.msk-portal.example")
    assert Allocation.objects.filter(assessor=assessor).exists()

    # The next real credential takes the next serial of its kind and year, not a loaded one.
    counter = SerialCounter.objects.filter(kind_id="gpwer_msk").order_by("-year").first()
    credential = make_credential(kind="gpwer_msk")
    counter_now = SerialCounter.objects.get(kind_id="gpwer_msk", year=credential.serial_year)
    if counter and counter.year == credential.serial_year:
        assert credential.serial_number == counter.last_number + 1
    assert counter_now.last_number == credential.serial_number
    # Sequences were moved on: ordinary inserts do not collide with loaded ids.
    EvidenceItemFactory(owner=UserFactory())

    with pytest.raises(CommandError, match="already loaded"):
        call_command("bench_data", "--scale", "0.001", stdout=io.StringIO())
