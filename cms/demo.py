"""Demo pages for the CMS, written in our own words. Safe to run twice."""

from wagtail.models import Page, Site

from cms.models import HomePage, StandardPage

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

GUIDANCE = [
    (
        "GPwER in MSK accreditation",
        "gpwer-in-msk",
        "<p>How a GP with an extended role in musculoskeletal medicine is accredited.</p>",
        [
            ("heading", "Before you apply"),
            (
                "paragraph",
                "<p>You need to be working in an extended role, to have passed the Diploma in "
                "MSK Medicine and to be a member in good standing. Your supervisor, a consultant "
                "in sport and exercise medicine, orthopaedics, pain or rheumatology, gives a "
                "structured reference.</p>",
            ),
            ("heading", "Application windows in 2026"),
            (
                "paragraph",
                "<ul><li>16 March to 16 April 2026</li><li>17 August to 17 September 2026</li></ul>"
                "<p>The fee is £850.</p>",
            ),
            (
                "warning_callout",
                {
                    "heading": "Submit inside a window",
                    "text": "<p>Portfolios cannot be submitted outside an application window.</p>",
                },
            ),
        ],
        "How GPs with an extended role in MSK are accredited: eligibility, windows and fee.",
    ),
    (
        "MSK advanced practice",
        "msk-advanced-practice",
        "<p>Evidence against the four pillars of advanced practice.</p>",
        [
            (
                "paragraph",
                "<p>Map your evidence to clinical practice, leadership and management, "
                "education, and research. Aim for one or two items per capability and four to "
                "six per pillar: about 24 in all and never more than 35.</p>",
            ),
        ],
        "How physiotherapists, podiatrists and other AHPs evidence MSK advanced practice.",
    ),
    (
        "Examinations",
        "examinations",
        "<p>The Diploma in MSK Medicine and the membership examination.</p>",
        [
            (
                "paragraph",
                "<p>Membership Part 1 is two papers of 100 single-best-answer questions. "
                "Part 2 is a 12-station OSCE, to be passed within 7 years of Part 1. "
                "You have six attempts at each.</p>",
            ),
        ],
        "The Diploma in MSK Medicine and the membership examination: formats, dates and attempts.",
    ),
    (
        "Contact us",
        "contact",
        "<p>How to reach the faculty office.</p>",
        [
            (
                "paragraph",
                '<p>Email the faculty office at <a href="mailto:office@fsem.example">'
                "office@fsem.example</a>. We answer within two working days.</p>"
                "<p>For a question about an application or an exam, sign in and include your "
                "application or candidate number.</p>",
            ),
        ],
        "How to reach the faculty office about accreditation, exams and the register.",
    ),
]


def seed_pages() -> HomePage:
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="MSK accreditation and examinations",
            slug="home",
            lede="<p>Accreditation, credentials and examinations for the musculoskeletal "
            "workforce.</p>",
            body=HOME_BODY,
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
    for title, slug, summary, body, description in GUIDANCE:
        page = StandardPage.objects.filter(slug=slug).first()
        if page is None:
            home.add_child(
                instance=StandardPage(
                    title=title,
                    slug=slug,
                    summary=summary,
                    body=body,
                    show_in_menus=True,
                    search_description=description,
                )
            )
        elif not page.show_in_menus:
            # Demo databases seeded before the menu existed: put the page in it.
            page.show_in_menus = True
            page.search_description = page.search_description or description
            page.save_revision().publish()
    return home
