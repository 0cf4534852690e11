"""Every page type can be made in the Wagtail admin (Wagtail's own test helpers) and renders."""

import datetime

from django.conf import settings
from django.test import Client
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from accreditation.models import Pathway
from cms.demo import seed_pages
from cms.models import (
    ContactPage,
    ExamPage,
    GuidancePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PathwayPage,
    StandardPage,
)
from exams.models import Exam
from portal.roles import Role
from tests.factories import make_persona

TODAY = datetime.date(2026, 12, 1)


def _guidance_data(title):
    return nested_form_data(
        {
            "title": title,
            "summary": rich_text("<p>What to do before you apply.</p>"),
            "body": streamfield(
                [
                    ("heading", "Before you apply"),
                    ("paragraph", rich_text("<p>Check the eligibility rules.</p>")),
                    ("details", {"summary": "More detail", "text": rich_text("<p>Yes.</p>")}),
                    ("heading", "After you apply"),
                    (
                        "action_link",
                        {"text": "Check the register", "link_page": "", "link_url": "/register/"},
                    ),
                ]
            ),
            "related_documents": streamfield([]),
            "last_reviewed": TODAY.isoformat(),
            "next_review": (TODAY + datetime.timedelta(days=365)).isoformat(),
        }
    )


def _simple_data(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "summary": rich_text("<p>A short summary.</p>"),
            "body": streamfield([("paragraph", rich_text("<p>Some words.</p>"))]),
            **extra,
        }
    )


class PageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = seed_pages()
        cls.editor = make_persona(Role.CONTENT_EDITOR, mfa=True, email="ed@example.org")
        cls.superuser = make_persona(None, mfa=True, superuser=True, email="su@example.org")
        cls.news_index = NewsIndexPage.objects.get(slug="news")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_where_each_page_type_may_go(self):
        for child in (
            StandardPage,
            GuidancePage,
            NewsIndexPage,
            ContactPage,
            PathwayPage,
            ExamPage,
        ):
            self.assertCanCreateAt(HomePage, child)
        self.assertCanCreateAt(GuidancePage, GuidancePage)
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})

    def test_an_editor_can_create_each_page_type_as_a_draft(self):
        cases = [
            (self.home, StandardPage, _simple_data("About the faculty")),
            (self.home, GuidancePage, _guidance_data("Eligibility for GPwER")),
            (self.home, NewsIndexPage, _simple_data("Announcements")),
            (self.news_index, NewsPage, _simple_data("New dates", date=TODAY.isoformat())),
            (
                self.home,
                ContactPage,
                _simple_data(
                    "Contact the exams team",
                    email="exams@fsem.example",
                    telephone="020 7946 0001",
                    opening_hours="",
                    address="",
                ),
            ),
            (
                self.home,
                PathwayPage,
                _simple_data("Apply: GPwER", pathway=Pathway.objects.get(code="gpwer-msk").pk),
            ),
            (
                self.home,
                ExamPage,
                _simple_data(
                    "Sit the diploma", exam=Exam.objects.get(code="diploma-msk-medicine").pk
                ),
            ),
        ]
        for parent, model, data in cases:
            with self.subTest(model=model.__name__):
                # Drafts only: publishing is a second editor's approval (test_moderation).
                self.assertCanCreate(parent, model, data, publish=False)
                self.assertFalse(model.objects.order_by("pk").last().live)

    def test_each_page_type_renders(self):
        self.client.force_login(self.superuser)
        created = []
        for parent, model, data in [
            (self.home, StandardPage, _simple_data("About the faculty")),
            (self.home, GuidancePage, _guidance_data("Eligibility for GPwER")),
            (self.home, NewsIndexPage, _simple_data("Announcements")),
            (self.news_index, NewsPage, _simple_data("New dates", date=TODAY.isoformat())),
            (self.home, ContactPage, _simple_data("Contact the exams team", email="")),
            (
                self.home,
                PathwayPage,
                _simple_data("Apply: GPwER", pathway=Pathway.objects.get(code="gpwer-msk").pk),
            ),
            (
                self.home,
                ExamPage,
                _simple_data(
                    "Sit the diploma", exam=Exam.objects.get(code="diploma-msk-medicine").pk
                ),
            ),
        ]:
            self.assertCanCreate(parent, model, data, publish=True)
            created.append(model.objects.order_by("pk").last())
        for page in [self.home, *created]:
            with self.subTest(page=page.title):
                self.assertTrue(page.live)
                self.assertPageIsRenderable(page)
                self.assertPageIsRoutable(page)
        html = Client().get(created[1].url).content.decode()
        self.assertIn('href="#before-you-apply"', html)  # contents list from the headings
        self.assertIn("Next review due: 1 December 2027", html)
        self.assertIn("nhsuk-details", html)
        self.assertIn("nhsuk-action-link", html)

    def test_every_demo_page_renders_for_a_visitor(self):
        client = Client()
        for page in Page.objects.live().public().filter(depth__gt=1).specific():
            with self.subTest(url=page.url):
                response = client.get(page.url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertIn('<meta name="description" content="', html)
                self.assertIn(
                    f'<link rel="canonical" href="{settings.PORTAL_BASE_URL}{page.url}">', html
                )
