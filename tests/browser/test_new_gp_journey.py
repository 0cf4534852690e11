"""A GP new to the portal, from sign-up to a credential on the public register, every step in
Chromium through the pages (no seeded states): sign up and confirm the email, make the
profile, add evidence, start the GPwER application, declare the diploma passed before the
portal, submit; the faculty office verifies it, records the fee, marks it complete and
allocates two assessors; they declare no conflict and review; the lead assessor signs off
with the scope of practice; the GP downloads the certificate and a commissioner finds them on
the register by the number in the register's own form. axe on every page on the way.

The clicks a GP makes are counted (CLICKS), so the closing note can say how many it took."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accreditation.models import Application, ApplicationWindow, AssessorTraining, Pathway, State
from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.factories import make_persona
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-passphrase-42"
EMAIL = "amara.okoye@example.org"
GMC = "7654321"


class Clicks:
    """Counts what the GP does: each click, box filled, file chosen or page typed in."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()
        self.page.wait_for_load_state()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def check(self, locator):
        self.count += 1
        locator.check()

    def files(self, locator, path):
        self.count += 1
        locator.set_input_files(str(path))

    def goto(self, url):
        self.count += 1
        self.page.goto(url)


@pytest.fixture
def faculty(site, settings, tmp_path):
    """What the faculty has before the GP arrives: the GPwER pathway with a window open, its
    framework, trained assessors, a lead assessor and an administrator."""
    from portfolio.demo import seed_frameworks

    settings.MEDIA_ROOT = tmp_path
    seed_frameworks()
    pathway = Pathway.objects.get(code="gpwer-msk")
    today = timezone.localdate()
    ApplicationWindow.objects.create(
        pathway=pathway,
        opens=today - datetime.timedelta(days=7),
        closes=today + datetime.timedelta(days=30),
    )
    assessors = []
    for n in range(2):
        assessor = make_persona(
            Role.ASSESSOR, mfa=True, first_name="Assessor", last_name=f"Number{n}"
        )
        ClinicianProfileFactory(user=assessor, employer=f"Trust {n}", region="south_east_london")
        AssessorTraining.objects.create(assessor=assessor, pathway=pathway)
        assessors.append(assessor)
    return {
        "pathway": pathway,
        "assessors": assessors,
        "admin": make_persona(Role.FACULTY_STAFF, mfa=True),
        "lead": make_persona(Role.LEAD_ASSESSOR, mfa=True),
        "tmp": tmp_path,
    }


def _main(page) -> str:
    return page.inner_text("main")


def _button(page, name):
    return page.locator("main").get_by_role("button", name=name)


def test_a_new_gp_from_sign_up_to_the_register(new_page, faculty):
    tmp = faculty["tmp"]
    page, console = new_page(bypass_csp=True)
    gp = Clicks(page)

    # Sign up and confirm the email address.
    gp.goto("/")
    gp.click(page.get_by_role("link", name="Create an account").first)
    form = page.locator("main form")
    gp.fill(form.get_by_label("First name"), "Amara")
    gp.fill(form.get_by_label("Last name"), "Okoye")
    gp.fill(form.get_by_label("Email address"), EMAIL)
    gp.fill(form.get_by_label("Create a password"), PASSWORD)
    gp.fill(form.get_by_label("Confirm your password"), PASSWORD)
    gp.click(_button(page, "Create account"))
    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]
    gp.goto(link)
    gp.click(_button(page, "Confirm email address"))
    page.wait_for_url("**/dashboard/applicant/")
    assert_accessible(page)

    # The profile, the first step the dashboard offers.
    gp.click(page.get_by_role("button", name="Create your profile"))
    gp.fill(page.get_by_label("Full name"), "Dr Amara Okoye")
    gp.check(page.get_by_label("GP", exact=True))
    gp.check(page.get_by_label("General Medical Council (GMC)"))
    gp.fill(page.get_by_label("Registration number"), GMC)
    gp.fill(page.get_by_label("Employer"), "Riverside Primary Care Network")
    page.get_by_label("Integrated care board (ICB) or nation").select_option("greater_manchester")
    gp.count += 1
    gp.check(page.get_by_label("I agree to appear on the public register"))
    gp.click(_button(page, "Save"))
    assert "NHS Greater Manchester ICB" in _main(page)
    assert_accessible(page)

    # Evidence for each Capability in Practice.
    note = tmp / "case.txt"
    note.write_text("A case written for the test.\n")
    for code, title in (("CiP1", "MDT meeting on a complex knee"), ("CiP2", "Back pain clinic")):
        gp.goto("/portfolio/evidence/add/")
        page.get_by_label("Type of evidence").select_option("case_review")
        gp.count += 1
        dates = page.locator("#id_date")
        day = timezone.localdate() - datetime.timedelta(days=20)
        gp.fill(dates.get_by_label("Day"), str(day.day))
        gp.fill(dates.get_by_label("Month"), str(day.month))
        gp.fill(dates.get_by_label("Year"), str(day.year))
        gp.fill(page.get_by_label("Title"), title)
        gp.files(page.get_by_label("Files"), note)
        gp.check(page.locator("main").get_by_label(re.compile(rf"^{code} ")))
        gp.click(_button(page, "Add evidence"))
        assert "Your evidence has been added." in _main(page)
    assert_accessible(page)

    # Start the GPwER application.
    gp.goto("/accreditation/")
    assert_accessible(page)
    gp.click(page.get_by_role("link", name=re.compile("Start an application for GP with")))
    gp.fill(page.get_by_label("Describe your extended role"), "Two MSK clinic sessions a week.")
    gp.fill(page.get_by_label("Your supervisor's full name"), "Dr Helen Marsh")
    gp.fill(page.get_by_label("Your supervisor's email address"), "helen.marsh@example.nhs.uk")
    gp.click(_button(page, "Start the application"))
    assert "Your application has been started." in _main(page)
    application = Application.objects.get(applicant__email=EMAIL)
    assert_accessible(page)

    # The diploma was passed before the portal: declare it with the certificate.
    gp.click(page.get_by_role("link", name="Declare a qualification you hold"))
    gp.check(page.get_by_label("FSEM Diploma in MSK Medicine (passed before this portal)"))
    gp.fill(page.get_by_label("Awarding body"), "Faculty of Sport and Exercise Medicine UK")
    awarded = page.locator("#id_awarded_on")
    gp.fill(awarded.get_by_label("Day"), "14")
    gp.fill(awarded.get_by_label("Month"), "6")
    gp.fill(awarded.get_by_label("Year"), "2019")
    certificate = tmp / "diploma.txt"
    certificate.write_text("Diploma in MSK Medicine, awarded 14 June 2019\n")
    gp.files(page.get_by_label("Your certificate"), certificate)
    gp.click(_button(page, "Declare the qualification"))
    assert "Your qualification has been declared" in _main(page)
    _supervisor_reference(page, gp, new_page, application)

    missing = [
        line
        for line in page.locator("main ul.nhsuk-list li").all_inner_texts()
        if line.startswith("Not yet")
    ]
    assert missing == [], missing
    gp.click(_button(page, "Submit the application"))
    assert "Your application has been submitted." in _main(page)
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED

    # The faculty office: verify the diploma, record the fee, mark complete, allocate.
    office, _ = new_page(faculty["admin"])
    office.goto(f"/accreditation/manage/{application.pk}/")
    assert "Not ready to mark complete" in _main(office)
    _button(office, "Verify the qualification").click()
    office.wait_for_load_state()
    office.get_by_label("Invoiced").check()
    office.get_by_label("Reference (optional)").fill("INV-2026-0042")
    _button(office, "Record the fee").click()
    office.wait_for_load_state()
    _button(office, "Mark complete").click()
    office.wait_for_load_state()
    assert "Marked complete" in _main(office)
    for assessor in faculty["assessors"]:
        _button(office, re.compile(f"Allocate {assessor.get_full_name()}")).click()
        office.wait_for_load_state()
    assert_accessible(office)
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW

    # Each assessor: from their dashboard, see who it is, no conflict, judge and recommend.
    for assessor in faculty["assessors"]:
        judge, _ = new_page(assessor)
        judge.goto("/dashboard/assessor/")
        judge.get_by_role("link", name=re.compile(application.reference)).click()
        judge.wait_for_load_state()
        assert "Dr Amara Okoye" in _main(judge) or "Amara Okoye" in _main(judge)
        _button(judge, "I have no conflict of interest").click()
        judge.wait_for_load_state()
        # Every capability of the framework is judged: the two CiPs and the generic ones.
        for radio in judge.locator("input[id$='_judgement_0']").all():
            radio.check()
        judge.get_by_label("Approve").check()
        _button(judge, "Submit your review").click()
        judge.wait_for_load_state()
        assert "Your review has been submitted." in _main(judge)
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED

    # The lead assessor signs off, with the pathway's scope of practice as the start.
    lead, _ = new_page(faculty["lead"])
    lead.goto(f"/accreditation/lead/{application.pk}/")
    assert faculty["pathway"].default_scope in lead.locator("#id_scope").input_value()
    lead.get_by_label("Approved").check()
    lead.locator("#id_conditions").fill("Practises within the Riverside MSK service.")
    _button(lead, "Record the decision").click()
    lead.wait_for_load_state()
    assert "Your decision has been recorded." in _main(lead)

    # The GP sees the outcome, the credential and downloads the certificate.
    gp.goto(f"/accreditation/applications/{application.pk}/")
    text = _main(page)
    assert "Outcome: Approved" in text and "Practises within the Riverside MSK service." in text
    assert_accessible(page)
    with page.expect_download() as download:
        gp.click(page.get_by_role("link", name="Download your signed certificate (PDF)"))
    assert download.value.suggested_filename.endswith(".pdf")

    # A commissioner, with no account, finds the GP by the number as the register writes it.
    public, _ = new_page()
    public.goto("/register/")
    public.get_by_label(re.compile("Name or registration number")).fill(f"GMC {GMC}")
    _button(public, "Search").click()
    public.wait_for_load_state()
    assert "Dr Amara Okoye" in _main(public)
    assert "Community-based assessment and management" in _main(public)
    assert_accessible(public)
    assert not console.csp_errors
    print(f"\nThe new GP's journey took {gp.count} clicks, boxes and files.")
    (tmp / "clicks.txt").write_text(str(gp.count))


def _supervisor_reference(page, gp, new_page, application):
    """The GP asks the portal to ask their supervisor; the supervisor, with no account, gives
    the structured reference through the emailed link; the checklist then shows it given."""
    gp.click(page.get_by_role("link", name="Ask your supervisor for their reference"))
    gp.click(_button(page, "Ask Dr Helen Marsh for their reference"))
    assert "We have emailed Dr Helen Marsh" in _main(page)
    assert_accessible(page)
    (message,) = [m for m in mail.outbox if m.to == ["helen.marsh@example.nhs.uk"]]
    link = re.search(r"https?://[^/\s]+(/accreditation/reference/\S+/)", message.body)[1]

    supervisor, _ = new_page()
    supervisor.goto(link)
    assert "Structured reference for Dr Amara Okoye" in _main(supervisor)
    _button(supervisor, "Give your reference").click()
    supervisor.wait_for_load_state()
    assert "There is a problem" in _main(supervisor)
    assert_accessible(supervisor)
    supervisor.get_by_label("Sport and exercise medicine").check()
    supervisor.get_by_label("Your post").fill("Consultant in SEM, Riverside MSK service")
    supervisor.get_by_label("How many months have you supervised them in this role?").fill("18")
    for n in range(2):
        supervisor.locator(f"#id_cap{n}_entrusted_0").check()
    supervisor.locator("#id_concerns_0").check()
    supervisor.get_by_label("This reference is my own").check()
    _button(supervisor, "Give your reference").click()
    supervisor.wait_for_load_state()
    assert "Your reference has been given" in _main(supervisor)
    assert_accessible(supervisor)

    gp.click(page.get_by_role("link", name="Back to the application"))
    assert "Dr Helen Marsh gave it on" in _main(page)
