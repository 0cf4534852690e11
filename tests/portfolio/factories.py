import datetime

import factory

from portfolio.models import (
    ClinicianProfile,
    Competency,
    Domain,
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    Framework,
    FrameworkStatus,
    Profession,
    Regulator,
)
from tests.factories import UserFactory


class ClinicianProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicianProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name", locale="en_GB")
    profession = Profession.GP
    regulator = Regulator.GMC
    registration_number = factory.Sequence(lambda n: f"{7000000 + n:07d}")
    employer = "Riverside Primary Care Network"
    region = "ne_north_cumbria"
    consent_to_public_register = True


class FrameworkFactory(factory.django.DjangoModelFactory):
    """Built as a draft (so parts can be added); publish it with the framework service."""

    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    version = 1
    status = FrameworkStatus.DRAFT


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    title = factory.Sequence(lambda n: f"Domain {n}")
    order = factory.Sequence(int)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    domain = factory.SubFactory(DomainFactory)
    framework = factory.SelfAttribute("domain.framework")
    code = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Competency {n}")
    descriptor = "Does the thing safely and well."
    min_evidence = 1
    max_evidence = 2
    order = factory.Sequence(int)


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    owner = factory.SubFactory(UserFactory)
    kind = EvidenceKind.CASE_REVIEW
    date = factory.LazyFunction(lambda: datetime.date(2026, 6, 1))
    title = factory.Sequence(lambda n: f"Case review {n}")
    reflection = "What I learned and what I will do differently."


class EvidenceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceLink

    item = factory.SubFactory(EvidenceItemFactory)
    competency = factory.SubFactory(CompetencyFactory)
