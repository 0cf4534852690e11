"""Search, members-only guidance, sitemap.xml, robots.txt, meta description, breadcrumbs."""

import pytest
from django.conf import settings

from cms.models import GuidancePage

pytestmark = pytest.mark.django_db


def test_search_finds_a_guidance_page_by_a_word_in_its_body(client, home):
    # "peer" is only in the advanced practice page's body: not its title, summary or
    # description.
    html = client.get("/search/", {"q": "peer"}).content.decode()
    assert 'href="/msk-advanced-practice/"' in html
    assert " for “peer”" in html


def test_search_leaves_out_members_only_pages(client, home):
    html = client.get("/search/", {"q": "structured reference"}).content.decode()
    assert "/gpwer-in-msk/structured-reference/" not in html


def test_search_refuses_an_over_long_query_with_a_message(client, home):
    response = client.get("/search/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "100 characters or fewer" in response.content.decode()


def test_members_only_guidance_asks_a_visitor_to_sign_in(client, home, applicant):
    response = client.get("/gpwer-in-msk/structured-reference/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(applicant)
    html = client.get("/gpwer-in-msk/structured-reference/").content.decode()
    assert "Members only" in html
    assert "Structured reference form" in html


def test_members_only_follows_the_field_when_published(client, home):
    page = GuidancePage.objects.get(slug="structured-reference")
    page.members_only = False
    page.save_revision().publish()
    public = client.get("/gpwer-in-msk/structured-reference/")
    assert public.status_code == 200
    assert "What the reference covers" in public.content.decode()
    page.members_only = True
    page.save_revision().publish()
    members_only = client.get("/gpwer-in-msk/structured-reference/")
    assert members_only.status_code == 302
    assert members_only["Location"].startswith("/accounts/login/")


def test_sitemap_lists_public_pages_only(client, home):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    base = settings.PORTAL_BASE_URL
    for path in ("/", "/gpwer-in-msk/", "/news/", "/contact/", "/news/august-window-open/"):
        assert f"<loc>{base}{path}</loc>" in xml
    assert "structured-reference" not in xml


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml" in text
    assert "Disallow: /cms-admin/" in text


def test_meta_description_falls_back_to_the_summary(client, home):
    page = GuidancePage.objects.get(slug="msk-advanced-practice")
    page.search_description = ""
    page.save_revision().publish()
    html = client.get("/msk-advanced-practice/").content.decode()
    assert (
        '<meta name="description" content="Evidence against the four pillars of advanced '
        'practice.">' in html
    )


def test_breadcrumbs_follow_the_page_tree(client, home, applicant):
    client.force_login(applicant)
    html = client.get("/gpwer-in-msk/structured-reference/").content.decode()
    crumbs = html[html.index('aria-label="Breadcrumb"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert 'href="/"' in crumbs and 'href="/gpwer-in-msk/"' in crumbs
    assert crumbs.index('href="/"') < crumbs.index('href="/gpwer-in-msk/"')
    assert "Back to </span>GPwER in MSK accreditation" in crumbs


def test_news_index_lists_news_newest_first(client, home):
    html = client.get("/news/").content.decode()
    assert html.index("August application window") < html.index("New guidance for supervisors")


def test_search_never_finds_words_from_an_unapproved_draft(client, home):
    page = GuidancePage.objects.get(slug="msk-advanced-practice")
    page.body = [("paragraph", "<p>Zanzibarian draft wording.</p>")]
    page.save_revision()
    html = client.get("/search/", {"q": "Zanzibarian"}).content.decode()
    assert "0 results for" in html
