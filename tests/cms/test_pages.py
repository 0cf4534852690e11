import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.demo import seed_pages
from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_shows_its_streamfield_blocks(client, home):
    html = client.get("/").content.decode()
    assert '<h1 class="nhsuk-heading-xl">MSK accreditation and examinations</h1>' in html
    assert "nhsuk-inset-text" in html
    assert "public register" in html


def test_standard_page_renders_breadcrumbs_and_warning_callout(client, home):
    html = client.get("/gpwer-in-msk/").content.decode()
    assert 'aria-label="Breadcrumb"' in html
    assert "nhsuk-warning-callout" in html
    assert "Entrusted to act independently" in html
    # Windows and fees are not typed into guidance: it leads to the pathway page, which reads them.
    assert 'href="/pathways/gpwer-msk/"' in html
    assert "£850" not in html


def test_page_type_rules():
    # Only one home page, at the top of the tree; standard pages go anywhere under it.
    assert HomePage.max_count == 1
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert StandardPage in HomePage.allowed_subpage_models()


def test_editor_can_add_a_page_but_not_publish_it(client, home, content_editor):
    client.force_login(content_editor)
    response = client.post(
        f"/cms-admin/pages/add/cms/standardpage/{home.pk}/",
        nested_form_data(
            {
                "title": "Events",
                "slug": "events",
                "summary": rich_text("<p>What is on.</p>"),
                "body": streamfield([("heading", "This week")]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(slug="events")
    assert not page.live  # publishing needs a second editor's approval (test_moderation)
    assert client.get("/events/").status_code == 404


def test_cms_admin_is_for_content_editors(client, home, applicant, content_editor):
    client.logout()
    response = client.get("/cms-admin/")
    # Someone signed out is sent to sign in; the admin itself is never shown.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(content_editor)
    assert client.get("/cms-admin/").status_code == 200


def test_someone_signed_in_without_the_role_is_told_they_may_not_edit(client, home, applicant):
    client.force_login(applicant)
    for path in ("/cms-admin/", "/cms-admin/documents/add/"):
        response = client.get(path, follow=True)
        assert response.status_code == 403, path
        assert not response.redirect_chain, path
    assert "You do not have permission to do this" in response.content.decode()


def test_seeding_twice_keeps_one_home_page():
    seed_pages()
    seed_pages()
    assert HomePage.objects.count() == 1
    assert Page.objects.filter(slug="gpwer-in-msk").count() == 1


@pytest.mark.parametrize(
    ("path", "seeded"),
    [
        ("/cms-admin/images/", "Four pillars of advanced practice"),
        ("/cms-admin/documents/", "GPwER application checklist"),
    ],
)
def test_editors_can_manage_images_and_documents(client, home, content_editor, path, seeded):
    client.force_login(content_editor)
    response = client.get(path)
    assert response.status_code == 200
    assert seeded in response.content.decode()  # the demo's own, listed for them


def test_the_header_menu_is_the_page_trees_menu_pages(client, home):
    html = client.get("/register/").content.decode()
    menu = html[html.index('aria-label="Menu"') :]
    for title, url in (
        ("GPwER in MSK accreditation", "/gpwer-in-msk/"),
        ("MSK advanced practice", "/msk-advanced-practice/"),
        ("Examinations", "/examinations/"),
        ("Contact us", "/contact/"),
    ):
        assert f'href="{url}"' in menu and title in menu


def test_show_in_menus_takes_effect_when_the_page_is_published(client, home):
    client.get("/")  # the menu is cached now
    page = StandardPage(title="Events", slug="events", show_in_menus=False)
    home.add_child(instance=page)
    page.save_revision().publish()
    assert 'href="/events/"' not in client.get("/").content.decode()
    page.show_in_menus = True
    page.save_revision().publish()
    html = client.get("/").content.decode()
    assert html.count('href="/events/"') == 2  # the header menu and the home page's card
    page.unpublish()
    assert 'href="/events/"' not in client.get("/").content.decode()


def test_the_home_page_leads_to_each_pathway_and_to_exams(client, home):
    html = client.get("/").content.decode()
    cards = html[html.index("Find out more") :]
    for url in ("/gpwer-in-msk/", "/msk-advanced-practice/", "/examinations/"):
        assert f'href="{url}"' in cards


def test_the_footer_and_accessibility_statement_lead_to_the_contact_page(client, home):
    assert 'href="/contact/"' in client.get("/accessibility/").content.decode()
    assert client.get("/contact/").status_code == 200
