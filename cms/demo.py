"""Demo pages for the public website, written in our own words for the faculty's readers:
GPs, physiotherapists and other allied health professionals, sports and exercise
therapists, and commissioners. Covers every page type and the main menu. Safe to run twice."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection, Page, Site

from accreditation import api as accreditation_api
from cms.models import (
    ContactPage,
    ExamPage,
    GuidancePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PathwayPage,
    PortalDocument,
    StandardPage,
)
from cms.moderation import MEMBERS_COLLECTION, ensure_editorial_setup
from exams import api as exams_api

HOME_BODY = [
    ("heading", "What you can do here"),
    (
        "paragraph",
        "<p>GPs build and submit a portfolio for GP with Extended Role (GPwER) in MSK "
        "accreditation. Physiotherapists, podiatrists and other allied health professionals "
        "collect evidence for the MSK advanced practice credential. Candidates apply for the "
        "Diploma in MSK Medicine and the membership examination.</p>",
    ),
    (
        "inset_text",
        {
            "text": "<p>Commissioners and employers can check a clinician's credential on the "
            "public register without an account.</p>"
        },
    ),
]

# Dates and fees are never typed into pages: the pathway page reads them from the live data.
CAPABILITIES_TABLE = {
    "caption": "The two Capabilities in Practice for GPwER in MSK",
    "table": {
        "caption": "",
        "columns": [
            {"type": "text", "heading": "Capability in Practice"},
            {"type": "text", "heading": "Level you must show"},
        ],
        "rows": [
            {"values": ["Working in a multidisciplinary team", "Entrusted to act independently"]},
            {
                "values": [
                    "Comprehensive community-based MSK management",
                    "Entrusted to act independently",
                ]
            },
        ],
    },
}


def _review_dates():
    today = timezone.localdate()
    return {"last_reviewed": today, "next_review": today + datetime.timedelta(days=365)}


def _gpwer(documents):
    return {
        "title": "GPwER in MSK accreditation",
        "slug": "gpwer-in-msk",
        "summary": "<p>How a GP with an extended role in musculoskeletal medicine is "
        "accredited.</p>",
        "search_description": "How GPs with an extended role in MSK are accredited: "
        "eligibility, windows and fee.",
        "show_in_menus": True,
        "body": [
            ("heading", "Who this is for"),
            (
                "paragraph",
                "<p>GPs who already see people with muscle, bone and joint problems in an "
                "extended role, for example in a community MSK service.</p>",
            ),
            ("heading", "Before you apply"),
            (
                "paragraph",
                "<p>You need to be working in an extended role, to have passed the Diploma in "
                "MSK Medicine and to be a member in good standing. Your supervisor, a "
                "consultant in sport and exercise medicine, orthopaedics, pain or "
                "rheumatology, gives a structured reference.</p>",
            ),
            (
                "details",
                {
                    "summary": "What counts as an extended role",
                    "text": "<p>Work beyond core general practice that you are contracted "
                    "for, such as running MSK clinics, giving joint injections or triaging "
                    "referrals for a community service.</p>",
                },
            ),
            ("heading", "What assessors look for"),
            ("table", CAPABILITIES_TABLE),
            (
                "warning_callout",
                {
                    "heading": "Submit inside a window",
                    "text": "<p>Portfolios cannot be submitted outside an application window. "
                    "The pathway page shows the open and next windows and the fee.</p>",
                },
            ),
            ("heading", "What happens next"),
            (
                "paragraph",
                "<p>We check your portfolio is complete. Two trained assessors then look at "
                "your evidence against the two Capabilities in Practice. They approve it or "
                "ask for more evidence, and a lead assessor signs off the outcome.</p>",
            ),
            (
                "action_link",
                {
                    "text": "Windows, fee and how to apply",
                    "link_page": None,
                    "link_url": "/pathways/gpwer-msk/",
                },
            ),
        ],
        "related_documents": [
            ("document", {"document": documents["checklist"], "label": ""}),
        ],
    }


GUIDANCE_AHP = {
    "title": "MSK advanced practice",
    "slug": "msk-advanced-practice",
    "summary": "<p>Evidence against the four pillars of advanced practice.</p>",
    "search_description": "How physiotherapists, podiatrists and other AHPs evidence MSK "
    "advanced practice.",
    "show_in_menus": True,
    "body": [
        ("heading", "The four pillars"),
        (
            "paragraph",
            "<p>Map your evidence to clinical practice, leadership and management, "
            "education, and research. Aim for one or two items per capability and four to "
            "six per pillar: about 24 in all and never more than 35.</p>",
        ),
        ("heading", "Confirming your evidence"),
        (
            "paragraph",
            "<p>A peer confirms each item, and each item links to at least one capability. "
            "You can attach up to 5 files to an item. Your portfolio locks when you submit "
            "it.</p>",
        ),
        (
            "inset_text",
            {
                "text": "<p>Sports and exercise therapists and technical instructors are "
                "assessed against the service's competency framework in the same way.</p>"
            },
        ),
    ],
}

SUPERVISOR_GUIDANCE = {
    "title": "Writing a structured reference",
    "slug": "structured-reference",
    "summary": "<p>For consultant supervisors of GPs applying for GPwER in MSK.</p>",
    "search_description": "How supervisors write the structured reference for a GPwER "
    "application. For members.",
    "members_only": True,
    "body": [
        ("heading", "What the reference covers"),
        (
            "paragraph",
            "<p>Say how often you have seen the GP's work, in which clinics, and whether "
            "you would trust them to act independently in each Capability in Practice.</p>",
        ),
        ("heading", "How to send it"),
        (
            "paragraph",
            "<p>The GP invites you from their portfolio. You will get an email with a link.</p>",
        ),
    ],
}

EXAMS = {
    "title": "Examinations",
    "slug": "examinations",
    "summary": "<p>The Diploma in MSK Medicine and the membership examination.</p>",
    "search_description": "The Diploma in MSK Medicine and the membership examination: "
    "formats, dates and attempts.",
    "show_in_menus": True,
    "body": [
        (
            "paragraph",
            "<p>Membership Part 1 is two papers of 100 single-best-answer questions. "
            "Part 2 is a 12-station OSCE, to be passed within 7 years of Part 1. "
            "You have six attempts at each.</p>",
        ),
        (
            "paragraph",
            "<p>The Diploma in MSK Medicine is sat online. If you pass, you become a "
            "Diplomate Member of the faculty.</p>",
        ),
        (
            "cards",
            [
                {
                    "heading": "Reasonable adjustments",
                    "description": "Tell us what you need when you apply. We reply before "
                    "the closing date.",
                    "link_page": None,
                    "link_url": "",
                },
            ],
        ),
    ],
}

COMMISSIONERS = {
    "title": "For commissioners and employers",
    "slug": "commissioners",
    "summary": "<p>Check that a clinician holds a valid credential, and hear when it changes.</p>",
    "search_description": "How commissioners and employers check MSK credentials and keep "
    "a watch list of their workforce.",
    "body": [
        (
            "paragraph",
            "<p>Search the public register by name or professional registration number. "
            "You do not need an account.</p>",
        ),
        (
            "action_link",
            {"text": "Check the register", "link_page": None, "link_url": "/register/"},
        ),
        (
            "paragraph",
            "<p>With a commissioner account you can keep a watch list and get an email when a "
            "credential is suspended, revoked or expires.</p>",
        ),
    ],
}

NEWS = [
    (
        "August application window now open",
        "august-window-open",
        datetime.date(2026, 8, 17),
        "GPs can submit GPwER in MSK portfolios until 17 September 2026.",
    ),
    (
        "Diploma in MSK Medicine: autumn sitting",
        "diploma-autumn-sitting",
        datetime.date(2026, 7, 1),
        "Applications for the online Diploma in MSK Medicine open in September.",
    ),
    (
        "New guidance for supervisors",
        "supervisor-guidance",
        datetime.date(2026, 6, 2),
        "Members can now read how to write a structured reference.",
    ),
]


def _minimal_pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed_documents() -> dict[str, PortalDocument]:
    root = Collection.get_first_root_node()
    members = Collection.objects.get(name=MEMBERS_COLLECTION)
    wanted = {
        "checklist": ("GPwER application checklist", "gpwer-checklist.pdf", root),
        "reference": ("Structured reference form", "structured-reference-form.pdf", members),
    }
    found = {}
    for key, (title, filename, collection) in wanted.items():
        document = PortalDocument.objects.filter(title=title).first()
        if document is None:
            document = PortalDocument(title=title, collection=collection)
            document.file.save(filename, ContentFile(_minimal_pdf(title)), save=False)
            document._set_document_file_metadata()
            document.save()
        found[key] = document
    return found


def seed_image():
    """A plain diagram-like picture, drawn here so the demo needs no image files."""
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    Image = get_image_model()
    title = "Four pillars of advanced practice"
    image = Image.objects.filter(title=title).first()
    if image is None:
        picture = PILImage.new("RGB", (720, 360), "#ffffff")
        draw = ImageDraw.Draw(picture)
        for i, colour in enumerate(("#005eb8", "#007f3b", "#330072", "#ae2573")):
            draw.rectangle((30 + i * 175, 60, 180 + i * 175, 300), fill=colour)
        out = io.BytesIO()
        picture.save(out, "PNG")
        image = Image(
            title=title, collection=Collection.get_first_root_node(), width=720, height=360
        )
        image.file.save("four-pillars.png", ContentFile(out.getvalue()), save=False)
        image._set_image_file_metadata()
        image.width, image.height = picture.size  # the field's own update reads None here
        image.save()
    return image


def seed_fact_pages(home, exams_page) -> None:
    """A page for each published pathway (under "Apply for accreditation") and each published
    exam (under Examinations). Their facts come from the live data, never from here."""
    pathways_page = _add(
        home,
        StandardPage,
        {
            "title": "Apply for accreditation",
            "slug": "pathways",
            "summary": "<p>Application windows, fees, who can apply and the evidence you need, "
            "for each accreditation pathway.</p>",
            "search_description": "Application windows, fees, eligibility and evidence for "
            "GPwER in MSK, MSK advanced practice and the other pathways.",
            "show_in_menus": True,
        },
    )
    for pathway in accreditation_api.published_pathways():
        _add(
            pathways_page,
            PathwayPage,
            {
                "title": pathway.name,
                "slug": pathway.code,
                "pathway": pathway,
                "summary": f"<p>{pathway.summary}</p>" if pathway.summary else "",
                "search_description": f"When you can apply for {pathway.name}, the fee, who "
                "can apply and the evidence you need.",
                "body": [
                    (
                        "inset_text",
                        {
                            "text": "<p>Read the guidance before you start. You can save your "
                            "portfolio and come back to it at any time before you submit.</p>"
                        },
                    ),
                ],
            },
        )
    for exam in exams_api.published_exams():
        _add(
            exams_page,
            ExamPage,
            {
                "title": exam.name,
                "slug": exam.code,
                "exam": exam,
                "summary": f"<p>{exam.description}</p>" if exam.description else "",
                "search_description": f"Upcoming sittings of the {exam.name}: dates, fees, "
                "how you sit it and places left.",
            },
        )


def _add(parent, model, fields):
    page = model.objects.filter(slug=fields["slug"]).first()
    if page is None:
        page = model(**fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def seed_pages() -> HomePage:
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    ensure_editorial_setup()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="MSK accreditation and examinations",
            slug="home",
            lede="<p>Accreditation, credentials and examinations for the musculoskeletal "
            "workforce.</p>",
            body=HOME_BODY,
            search_description="Accreditation, credentials and examinations for GPs, "
            "physiotherapists, sports and exercise therapists and the MSK workforce.",
        )
        # Wagtail's first migration makes a placeholder page with the slug we want.
        for placeholder in (
            root.get_children().filter(slug="home").exclude(content_type__model="homepage")
        ):
            placeholder.delete()
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="MSK portal",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    home.refresh_from_db()
    documents = seed_documents()
    gpwer = _add(home, GuidancePage, {**_gpwer(documents), **_review_dates()})
    _add(
        gpwer,
        GuidancePage,
        {
            **SUPERVISOR_GUIDANCE,
            **_review_dates(),
            "related_documents": [
                ("document", {"document": documents["reference"], "label": ""}),
            ],
        },
    )
    pillars = {
        "image": seed_image(),
        "alt_text": "Four equal columns, one for each pillar: clinical practice, leadership "
        "and management, education, and research.",
        "caption": "Evidence is spread across all four pillars.",
    }
    ahp_body = [*GUIDANCE_AHP["body"][:2], ("image", pillars), *GUIDANCE_AHP["body"][2:]]
    _add(home, GuidancePage, {**GUIDANCE_AHP, "body": ahp_body, **_review_dates()})
    exams_page = _add(home, StandardPage, EXAMS)
    seed_fact_pages(home, exams_page)
    news_index = _add(
        home,
        NewsIndexPage,
        {
            "title": "News",
            "slug": "news",
            "summary": "<p>Application windows, exam dates and changes to guidance.</p>",
            "search_description": "News from the faculty: application windows, exam dates "
            "and guidance.",
            "show_in_menus": True,
        },
    )
    for title, slug, date, summary in NEWS:
        _add(
            news_index,
            NewsPage,
            {
                "title": title,
                "slug": slug,
                "date": date,
                "search_description": summary,
                "summary": f"<p>{summary}</p>",
                "body": [("paragraph", f"<p>{summary} Read the guidance before you start.</p>")],
            },
        )
    _add(home, StandardPage, COMMISSIONERS)
    _add(
        home,
        ContactPage,
        {
            "title": "Contact us",
            "slug": "contact",
            "summary": "<p>How to reach the faculty office.</p>",
            "search_description": "How to reach the faculty office about accreditation, "
            "exams and the register.",
            "show_in_menus": True,
            "email": "office@fsem.example",
            "telephone": "020 7946 0000",
            "opening_hours": "Monday to Friday, 9am to 5pm",
            "address": "Faculty office\n1 Example Street\nLondon\nEC1A 1AA",
            "body": [
                (
                    "paragraph",
                    "<p>We answer emails within two working days. For a question about an "
                    "application or an exam, sign in and include your application or "
                    "candidate number.</p>",
                ),
            ],
        },
    )
    return home


SECOND_EDITOR = ("reviewer.editor@demo.msk-portal.example", "Imran", "Begum")


def seed_editorial_demo() -> None:
    """A second content editor, and a change to the news page waiting for their approval
    (submitted by editor@), so the two-editor workflow can be tried. Safe to run twice."""
    from wagtail.models import WorkflowState

    from portal.demo import seed_user
    from portal.models import User
    from portal.roles import Role

    email, first, last = SECOND_EDITOR
    seed_user(email, first, last, role=Role.CONTENT_EDITOR)
    author = User.objects.filter(email="editor@demo.msk-portal.example").first()
    page = NewsIndexPage.objects.filter(slug="news").first()
    if author is None or page is None:
        return
    if WorkflowState.objects.filter(object_id=str(page.pk)).exists():
        return
    page.summary = "<p>Application windows, exam dates and changes to guidance, newest first.</p>"
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
