import pytest

from cms.demo import seed_pages
from portal.roles import Role
from tests.factories import make_persona


@pytest.fixture
def home(db):
    return seed_pages()


@pytest.fixture
def second_editor(db):
    """Another content editor: the one who approves what the first submits."""
    return make_persona(Role.CONTENT_EDITOR, mfa=True, email="editor2@example.org")
