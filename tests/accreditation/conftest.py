import pytest

from tests.accreditation import builders


@pytest.fixture
def pathway(db):
    return builders.make_pathway()


@pytest.fixture
def ready(pathway, applicant):
    return builders.ready_applicant(pathway, applicant)


@pytest.fixture
def assessors(pathway):
    return [builders.trained_assessor(pathway) for _ in range(2)]
