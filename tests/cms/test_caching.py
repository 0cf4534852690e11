"""The home page's queries do not grow with content; cached fragments go on publish."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import NewsIndexPage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _grow(home, n):
    news = NewsIndexPage.objects.get(slug="news")
    for i in range(n):
        home.add_child(
            instance=StandardPage(title=f"Section {i}", slug=f"section-{i}", show_in_menus=True)
        ).save_revision().publish()
        news.add_child(
            instance=NewsPage(title=f"News {i}", slug=f"news-{i}", date=datetime.date(2026, 1, 1))
        ).save_revision().publish()


@pytest.mark.parametrize("warm", [False, True])
def test_home_page_queries_do_not_grow_with_content(client, home, warm, settings):
    settings.CMS_FRAGMENT_CACHE_SECONDS = 600 if warm else 0
    client.get("/")  # the site menu and Wagtail's site root paths are cached after this
    small = _queries(client, "/")
    _grow(home, 15)
    client.get("/")
    large = _queries(client, "/")
    assert large == small, f"{small} queries with the demo content, {large} with 30 more pages"


def test_a_warm_home_page_needs_few_queries(client, home, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(6):
        client.get("/")


def test_a_published_change_shows_at_once(client, home):
    assert "Latest news" in client.get("/").content.decode()  # cached now
    page = StandardPage.objects.get(slug="examinations")
    client.get("/examinations/")
    page.title = "Exams and dates"
    page.body = [("paragraph", "<p>New sitting dates.</p>")]
    page.save_revision().publish()
    assert "New sitting dates." in client.get("/examinations/").content.decode()
    assert "Exams and dates" in client.get("/").content.decode()  # the home page's card too


def test_a_saved_draft_changes_nothing_public(client, home):
    client.get("/examinations/")
    page = StandardPage.objects.get(slug="examinations")
    page.body = [("paragraph", "<p>Draft words.</p>")]
    page.save_revision()
    assert "Draft words." not in client.get("/examinations/").content.decode()
