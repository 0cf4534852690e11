"""Evidence items: the owner's list, add, view, change, delete; files; locking; who may see what."""

import datetime
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from portal.roles import Role
from portfolio.errors import PortfolioError
from portfolio.files import inspect_upload
from portfolio.models import (
    Confirmation,
    ConfirmationStatus,
    EvidenceFile,
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    FrameworkStatus,
)
from portfolio.services.evidence import (
    LOCKED_MESSAGE,
    create_evidence,
    delete_evidence,
    update_evidence,
)
from tests.factories import make_persona
from tests.portfolio import documents
from tests.portfolio.factories import (
    ClinicianProfileFactory,
    CompetencyFactory,
    DomainFactory,
    FrameworkFactory,
)

pytestmark = pytest.mark.django_db

PDF = documents.pdf()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return tmp_path


@pytest.fixture
def other_applicant(db):
    return make_persona(Role.APPLICANT, email="other.applicant@example.org")


@pytest.fixture
def owner_client(client, applicant):
    client.force_login(applicant)
    return client


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def framework(name: str, codes: list[str], status=FrameworkStatus.PUBLISHED, **fields):
    """A framework version with one domain holding competencies CODES, in STATUS."""
    version = FrameworkFactory(name=name, **fields)
    domain = DomainFactory(framework=version)
    competencies = [
        CompetencyFactory(framework=version, domain=domain, code=code, title=f"{code} title")
        for code in codes
    ]
    type(version).objects.filter(pk=version.pk).update(status=status)
    return version, competencies


def pdf(name: str = "audit.pdf"):
    return inspect_upload(SimpleUploadedFile(name, PDF))


def make_item(owner, *, files: int = 1, competencies=(), **fields) -> EvidenceItem:
    values = {
        "kind": EvidenceKind.CASE_REVIEW,
        "date": datetime.date(2026, 1, 15),
        "title": "Shoulder clinic case",
        "reflection": "What I learned.",
    }
    values.update(fields)
    return create_evidence(
        owner=owner,
        competency_ids=[c.pk for c in competencies],
        uploads=[pdf(f"page{n}.pdf") for n in range(files)],
        **values,
    )


def confirm(item, status=ConfirmationStatus.CONFIRMED) -> Confirmation:
    return Confirmation.objects.create(
        item=item,
        confirmer_name="Dr Ada Consultant",
        confirmer_email="ada@example.nhs.uk",
        token_hash=f"{item.pk:064d}",
        status=status,
        expires_at=timezone.now() + timedelta(days=14),
        responded_at=timezone.now() if status == ConfirmationStatus.CONFIRMED else None,
    )


def lock(item) -> EvidenceItem:
    EvidenceItem.objects.filter(pk=item.pk).update(locked_at=timezone.now())
    item.refresh_from_db()
    return item


def edit_data(item, **overrides) -> dict:
    data = {
        "kind": item.kind,
        "date_day": str(item.date.day),
        "date_month": str(item.date.month),
        "date_year": str(item.date.year),
        "title": item.title,
        "reflection": item.reflection,
    }
    data.update(overrides)
    return data


def private_urls(item) -> list[str]:
    evidence_file = item.files.first()
    return [
        reverse("portfolio:evidence_detail", args=[item.pk]),
        reverse("portfolio:evidence_edit", args=[item.pk]),
        reverse("portfolio:evidence_delete", args=[item.pk]),
        reverse("portfolio:evidence_files_add", args=[item.pk]),
        reverse("portfolio:evidence_file_download", args=[evidence_file.pk]),
        reverse("portfolio:evidence_file_remove", args=[evidence_file.pk]),
    ]


# --- who may see what ----------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, applicant):
    item = make_item(applicant)
    for url in [reverse("portfolio:evidence_list"), reverse("portfolio:evidence_add")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    for url in private_urls(item):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["outsider", "other_applicant", "assessor"])
def test_no_one_but_the_owner_can_open_an_item_or_its_files(
    request, client, applicant, persona, media
):
    item = make_item(applicant, title="Private reflections")
    client.force_login(request.getfixturevalue(persona))
    for url in private_urls(item):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert item.files.count() == 1
    assert len(stored_files(media)) == 1
    response = client.get(reverse("portfolio:evidence_list"))
    assert "Private reflections" not in response.text


# --- adding --------------------------------------------------------------------------------


def test_the_owner_adds_evidence_linked_to_several_frameworks_at_once(owner_client, applicant):
    gpwer, (cip1, cip2) = framework(
        "GPwER in MSK", ["CiP1", "CiP2"], unit_name="capability", unit_name_plural="capabilities"
    )
    ap, (cp1,) = framework("MSK advanced practice", ["CP1"])
    framework("Draft framework", ["DRAFT1"], status=FrameworkStatus.DRAFT)
    form = owner_client.get(reverse("portfolio:evidence_add"))
    # Each framework in its own words; with no profile yet, every route's frameworks.
    assert "Capabilities in GPwER in MSK" in form.text
    assert "Competencies in MSK advanced practice" in form.text
    assert "DRAFT1" not in form.text  # only published frameworks are offered
    assert (
        f'<input class="nhsuk-checkboxes__input" type="checkbox" name="competencies_{gpwer.pk}"'
        in form.text
    )

    response = owner_client.post(
        reverse("portfolio:evidence_add"),
        {
            "kind": EvidenceKind.AUDIT_QI,
            "date_day": "12",
            "date_month": "3",
            "date_year": "2026",
            "title": "Knee injection audit",
            "reflection": "Re-audit showed better consent recording.",
            f"competencies_{gpwer.pk}": [str(cip2.pk)],
            f"competencies_{ap.pk}": [str(cp1.pk)],
            "files": [SimpleUploadedFile("audit.pdf", PDF)],
        },
    )
    item = EvidenceItem.objects.get()
    assert response["Location"] == reverse("portfolio:evidence_detail", args=[item.pk])
    assert item.owner == applicant
    assert item.kind == EvidenceKind.AUDIT_QI
    assert item.date == datetime.date(2026, 3, 12)
    assert set(item.competencies.all()) == {cip2, cp1}
    event = AuditEvent.objects.get(action="portfolio.evidence_created")
    assert event.actor == applicant
    assert AuditEvent.objects.filter(action="portfolio.evidence_file_added").count() == 1

    page = owner_client.get(response["Location"])
    assert "Knee injection audit" in page.text
    assert "CiP2 CiP2 title" in page.text
    assert "audit.pdf" in page.text


def test_a_date_in_the_future_is_refused(owner_client, media):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = owner_client.post(
        reverse("portfolio:evidence_add"),
        {
            "kind": EvidenceKind.CASE_REVIEW,
            "date_day": str(tomorrow.day),
            "date_month": str(tomorrow.month),
            "date_year": str(tomorrow.year),
            "title": "Tomorrow's case",
            "files": [SimpleUploadedFile("a.pdf", PDF)],
        },
    )
    assert "The date of the activity must be today or in the past." in response.text
    assert EvidenceItem.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of the activity."),
        ("31", "2", "2026", "The date must be a real date"),
        ("3", "", "2026", "The date must include a month."),
        ("3", "4", "26", "The year must be 4 numbers"),
        # Absurd values are form errors, never a server error (OverflowError before).
        ("99999999999999999999", "4", "2026", "The date must be a real date"),
        ("3", "99999999999999999999", "2026", "The date must be a real date"),
        ("3", "4", "99999999999999999999", "The year must be 4 numbers"),
        ("1", "1", "0001", "The date must be on or after 1 January 1900."),
        ("３", "4", "2026", "The date must be a real date"),
    ],
)
def test_a_bad_date_gets_a_clear_message(owner_client, day, month, year, message):
    response = owner_client.post(
        reverse("portfolio:evidence_add"),
        {
            "kind": EvidenceKind.CASE_REVIEW,
            "date_day": day,
            "date_month": month,
            "date_year": year,
            "title": "A case",
            "files": [SimpleUploadedFile("a.pdf", PDF)],
        },
    )
    assert "There is a problem" in response.text
    assert message in response.text
    assert "nhsuk-input--error" in response.text
    assert EvidenceItem.objects.count() == 0


def test_missing_fields_and_files_get_clear_messages(owner_client):
    response = owner_client.post(reverse("portfolio:evidence_add"), {})
    for message in [
        "Select the type of evidence.",
        "Enter the date of the activity.",
        "Enter a title.",
        "Choose at least one file to upload.",
    ]:
        assert message in response.text
    assert EvidenceItem.objects.count() == 0


def test_the_service_refuses_competencies_of_a_draft_framework(applicant):
    _, (draft,) = framework("Draft", ["D1"], status=FrameworkStatus.DRAFT)
    with pytest.raises(PortfolioError, match="no longer offered"):
        make_item(applicant, competencies=[draft])
    assert EvidenceItem.objects.count() == 0


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_each_item_newest_first_with_its_details(owner_client, applicant):
    _, (cip1, cip2) = framework("GPwER in MSK", ["CiP1", "CiP2"])
    older = make_item(applicant, title="Older case", date=datetime.date(2025, 5, 1))
    newer = make_item(
        applicant,
        title="Newer audit",
        kind=EvidenceKind.AUDIT_QI,
        date=datetime.date(2026, 2, 1),
        files=3,
        competencies=[cip1, cip2],
    )
    confirm(newer)
    make_item(make_persona(Role.APPLICANT), title="Someone else's")
    response = owner_client.get(reverse("portfolio:evidence_list"))
    text = response.text
    assert text.index("Newer audit") < text.index("Older case")
    assert "Someone else&#x27;s" not in text and "Someone else's" not in text
    row = text[text.index("Newer audit") : text.index("Older case")]
    assert "Audit or quality improvement" in row
    assert "3" in row
    assert "CiP1, CiP2" in row
    assert "Confirmed" in row
    assert "1 Feb 2026" in text[: text.index("Older case")]
    assert "Not requested" in text[text.index("Older case") :]
    assert older.title in text


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    owner_client, applicant, django_assert_num_queries
):
    _, competencies = framework("GPwER in MSK", ["CiP1", "CiP2"])
    for n in range(30):
        item = EvidenceItem.objects.create(
            owner=applicant,
            kind=EvidenceKind.CASE_REVIEW,
            date=datetime.date(2025, 1, 1) + timedelta(days=n),
            title=f"Case {n:02d}",
        )
        EvidenceFile.objects.create(
            item=item,
            file=f"evidence/x/{n}",
            original_name="a.pdf",
            size=1,
            sha256="0" * 64,
            content_type="application/pdf",
        )
        EvidenceLink.objects.bulk_create(
            EvidenceLink(item=item, competency=c) for c in competencies
        )
        if n % 2:
            confirm(item)
    url = reverse("portfolio:evidence_list")
    owner_client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(5):
        first = owner_client.get(url)
    assert "Case 29" in first.text and "Case 05" in first.text
    assert "Case 04" not in first.text
    assert "Page 2 of 2" in first.text
    with django_assert_num_queries(5):
        second = owner_client.get(url, {"page": 2})
    assert "Case 04" in second.text and "Case 00" in second.text


# --- changing ------------------------------------------------------------------------------


def test_the_owner_changes_an_item_and_its_links(owner_client, applicant):
    gpwer, (cip1, cip2) = framework("GPwER in MSK", ["CiP1", "CiP2"])
    item = make_item(applicant, competencies=[cip1])
    form = owner_client.get(reverse("portfolio:evidence_edit", args=[item.pk]))
    assert 'value="Shoulder clinic case"' in form.text
    response = owner_client.post(
        reverse("portfolio:evidence_edit", args=[item.pk]),
        edit_data(
            item,
            title="Shoulder clinic case, revised",
            **{f"competencies_{gpwer.pk}": [str(cip2.pk)]},
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Shoulder clinic case, revised"
    assert list(item.competencies.all()) == [cip2]
    event = AuditEvent.objects.get(action="portfolio.evidence_updated")
    assert event.old_state["title"] == "Shoulder clinic case"
    assert event.new_state["title"] == "Shoulder clinic case, revised"


def test_editing_a_confirmed_item_voids_its_confirmation(owner_client, applicant):
    item = make_item(applicant)
    confirmation = confirm(item)
    form = owner_client.get(reverse("portfolio:evidence_edit", args=[item.pk]))
    assert "This item has been confirmed" in form.text
    response = owner_client.post(
        reverse("portfolio:evidence_edit", args=[item.pk]),
        edit_data(item, reflection="A fuller reflection."),
        follow=True,
    )
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.VOID
    assert "ask for it to be confirmed again" in response.text
    assert AuditEvent.objects.filter(action="portfolio.confirmation_voided").exists()


def test_saving_without_changes_keeps_the_confirmation(owner_client, applicant):
    item = make_item(applicant)
    confirmation = confirm(item)
    owner_client.post(reverse("portfolio:evidence_edit", args=[item.pk]), edit_data(item))
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert not AuditEvent.objects.filter(action="portfolio.evidence_updated").exists()


def test_adding_or_removing_a_file_voids_the_confirmation(owner_client, applicant):
    item = make_item(applicant, files=2)
    confirmation = confirm(item)
    owner_client.post(reverse("portfolio:evidence_file_remove", args=[item.files.first().pk]))
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.VOID


def test_links_to_a_retired_framework_survive_an_edit(applicant):
    old_version, (old_cip,) = framework("GPwER v1", ["CiP1"])
    item = make_item(applicant, competencies=[old_cip])
    type(old_version).objects.filter(pk=old_version.pk).update(status=FrameworkStatus.RETIRED)
    update_evidence(
        item=item,
        kind=item.kind,
        date=item.date,
        title="Renamed",
        reflection=item.reflection,
        competency_ids=[],
    )
    assert list(item.competencies.all()) == [old_cip]


# --- files ---------------------------------------------------------------------------------


def test_the_owner_adds_and_removes_files(
    owner_client, applicant, media, django_capture_on_commit_callbacks
):
    item = make_item(applicant)
    response = owner_client.post(
        reverse("portfolio:evidence_files_add", args=[item.pk]),
        {"files": [SimpleUploadedFile("extra.txt", b"More notes.")]},
    )
    assert response.status_code == 302
    assert item.files.count() == 2
    extra = item.files.get(original_name="extra.txt")
    assert extra.content_type == "text/plain"
    path = media / extra.file.name
    assert path.exists()

    page = owner_client.get(reverse("portfolio:evidence_file_remove", args=[extra.pk]))
    assert "Remove “extra.txt”" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("portfolio:evidence_file_remove", args=[extra.pk]))
    assert item.files.count() == 1
    assert not path.exists()
    assert AuditEvent.objects.filter(action="portfolio.evidence_file_removed").exists()


def test_the_last_file_cannot_be_removed(owner_client, applicant, media):
    item = make_item(applicant)
    only = item.files.get()
    page = owner_client.get(reverse("portfolio:evidence_file_remove", args=[only.pk]))
    assert "This is the item&#x27;s only file" in page.text or "only file" in page.text
    response = owner_client.post(reverse("portfolio:evidence_file_remove", args=[only.pk]))
    assert "needs at least one file" in response.text
    assert item.files.count() == 1
    assert len(stored_files(media)) == 1


def test_a_download_is_an_attachment_that_cannot_run(owner_client, applicant):
    item = create_evidence(
        owner=applicant,
        kind=EvidenceKind.REFLECTIVE_NOTE,
        date=datetime.date(2026, 1, 2),
        title="Notes",
        uploads=[inspect_upload(SimpleUploadedFile("Réflexion finale.txt", b"Plain words."))],
    )
    evidence_file = item.files.get()
    response = owner_client.get(
        reverse("portfolio:evidence_file_download", args=[evidence_file.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Plain words."
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="Reflexion finale.txt"; '
        "filename*=UTF-8''R%C3%A9flexion%20finale.txt"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_is_served_as_a_pdf_under_its_plain_name(owner_client, applicant):
    item = make_item(applicant)
    response = owner_client.get(
        reverse("portfolio:evidence_file_download", args=[item.files.get().pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="page0.pdf"'


# --- locked items --------------------------------------------------------------------------


def test_a_locked_item_cannot_be_edited(owner_client, applicant):
    item = lock(make_item(applicant, title="Submitted case"))
    page = owner_client.get(reverse("portfolio:evidence_edit", args=[item.pk]))
    assert LOCKED_MESSAGE in page.text
    assert "<form" not in page.text.split('id="maincontent"')[1]
    owner_client.post(
        reverse("portfolio:evidence_edit", args=[item.pk]), edit_data(item, title="Changed")
    )
    item.refresh_from_db()
    assert item.title == "Submitted case"
    with pytest.raises(PortfolioError, match=LOCKED_MESSAGE):
        update_evidence(
            item=item,
            kind=item.kind,
            date=item.date,
            title="Changed",
            reflection="",
            competency_ids=[],
        )


def test_a_locked_item_cannot_be_deleted(owner_client, applicant, media):
    item = lock(make_item(applicant))
    response = owner_client.post(reverse("portfolio:evidence_delete", args=[item.pk]))
    assert LOCKED_MESSAGE in response.text
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert len(stored_files(media)) == 1
    with pytest.raises(PortfolioError, match=LOCKED_MESSAGE):
        delete_evidence(item=item)


def test_a_locked_item_keeps_its_files(owner_client, applicant, media):
    item = lock(make_item(applicant, files=2))
    add = owner_client.post(
        reverse("portfolio:evidence_files_add", args=[item.pk]),
        {"files": [SimpleUploadedFile("more.pdf", PDF)]},
    )
    assert LOCKED_MESSAGE in add.text
    remove = owner_client.post(
        reverse("portfolio:evidence_file_remove", args=[item.files.first().pk])
    )
    assert LOCKED_MESSAGE in remove.text
    assert item.files.count() == 2
    assert len(stored_files(media)) == 2


def test_the_detail_page_says_a_locked_item_cannot_change(owner_client, applicant):
    item = lock(make_item(applicant))
    page = owner_client.get(reverse("portfolio:evidence_detail", args=[item.pk]))
    assert LOCKED_MESSAGE in page.text
    assert reverse("portfolio:evidence_edit", args=[item.pk]) not in page.text
    assert reverse("portfolio:evidence_delete", args=[item.pk]) not in page.text


# --- deleting ------------------------------------------------------------------------------


def test_the_owner_deletes_a_draft_item_and_its_files(
    owner_client, applicant, media, django_capture_on_commit_callbacks
):
    item = make_item(applicant, files=2)
    confirm(item)
    assert len(stored_files(media)) == 2
    page = owner_client.get(reverse("portfolio:evidence_delete", args=[item.pk]))
    assert "Are you sure you want to delete" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("portfolio:evidence_delete", args=[item.pk]))
    assert response["Location"] == reverse("portfolio:evidence_list")
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert EvidenceFile.objects.count() == 0
    assert Confirmation.objects.count() == 0
    assert stored_files(media) == []
    event = AuditEvent.objects.get(action="portfolio.evidence_deleted")
    assert event.old_state["title"] == "Shoulder clinic case"
    assert event.actor == applicant


def test_files_are_kept_until_the_deletion_commits(applicant, media):
    item = make_item(applicant)
    delete_evidence(item=item)  # inside the test's transaction: not yet committed
    assert len(stored_files(media)) == 1


def test_a_gp_sees_only_the_frameworks_of_their_route(owner_client, applicant):
    ClinicianProfileFactory(user=applicant, profession="gp")
    framework("GPwER in MSK", ["CiP1"], route="gpwer", unit_name="capability")
    framework("MSK advanced practice", ["CP1"], route="advanced_practice")
    framework("Safeguarding for everyone", ["SG1"], route="")
    form = owner_client.get(reverse("portfolio:evidence_add")).text
    assert "GPwER in MSK" in form and "Safeguarding for everyone" in form
    assert "MSK advanced practice" not in form
    # The route follows the profession, and the clinician can change it.
    profile = applicant.clinician
    profile.route = "advanced_practice"
    profile.save()
    form = owner_client.get(reverse("portfolio:evidence_add")).text
    assert "MSK advanced practice" in form and "GPwER in MSK" not in form


def test_mapping_beyond_a_maximum_warns_at_once(owner_client, applicant):
    gpwer, (cip1,) = framework("GPwER in MSK", ["CiP1"])
    CompetencyFactory._meta.model.objects.filter(pk=cip1.pk).update(max_evidence=1)
    make_item(applicant, competencies=[cip1])
    form = owner_client.get(reverse("portfolio:evidence_add")).text
    assert "CiP1 CiP1 title (already has 1: the most is 1)" in form
    response = owner_client.post(
        reverse("portfolio:evidence_add"),
        {
            "kind": EvidenceKind.CASE_REVIEW,
            "date_day": "1",
            "date_month": "2",
            "date_year": "2026",
            "title": "One too many",
            f"competencies_{gpwer.pk}": [str(cip1.pk)],
            "files": [SimpleUploadedFile("audit.pdf", PDF)],
        },
        follow=True,
    )
    assert "Over the maximum: CiP1 now has 2 items (the most is 1)." in response.text
    assert EvidenceItem.objects.count() == 2  # a warning, not a refusal


# --- links into the add page: competencies ticked, and where to go back to -------------------


def _ticked(html: str) -> set[str]:
    """The values of the checked competency boxes."""
    boxes = re.findall(r'<input class="nhsuk-checkboxes__input" type="checkbox"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', box)[1] for box in boxes if " checked" in box}


def test_a_link_ticks_the_capability_it_names(owner_client, applicant):
    ClinicianProfileFactory(user=applicant, profession="gp")
    gpwer, (cip1, cip2) = framework("GPwER in MSK", ["CiP1", "CiP2"], route="gpwer")
    ap, (cp1,) = framework("MSK advanced practice", ["CiP1"], route="advanced_practice")
    add = reverse("portfolio:evidence_add")
    assert _ticked(owner_client.get(add).text) == set()
    # By id, by code on the route, and by code within a framework (the checklist's links).
    assert _ticked(owner_client.get(f"{add}?competency={cip2.pk}").text) == {str(cip2.pk)}
    assert _ticked(owner_client.get(f"{add}?competency=CiP2").text) == {str(cip2.pk)}
    both = f"{add}?framework={gpwer.pk}&capability=CiP1&capability=CiP2"
    assert _ticked(owner_client.get(both).text) == {str(cip1.pk), str(cip2.pk)}
    # A framework off the GP's route is offered when a link names it, with only its own code.
    page = owner_client.get(f"{add}?framework={ap.pk}&capability=CiP1").text
    assert "MSK advanced practice" in page
    assert _ticked(page) == {str(cp1.pk)}
    for nothing in ["?competency=999999", "?competency=CiP9", f"?framework={gpwer.pk}&capability="]:
        assert _ticked(owner_client.get(f"{add}{nothing}").text) == set(), nothing


def _add_data(gpwer, cip1) -> dict:
    return {
        "kind": EvidenceKind.CASE_REVIEW,
        "date_day": "12",
        "date_month": "3",
        "date_year": "2026",
        "title": "Knee clinic case",
        f"competencies_{gpwer.pk}": [str(cip1.pk)],
        "files": [SimpleUploadedFile("audit.pdf", PDF)],
    }


def test_after_saving_the_page_goes_back_to_where_the_link_came_from(owner_client, applicant):
    gpwer, (cip1,) = framework("GPwER in MSK", ["CiP1"])
    query = urlencode({"framework": gpwer.pk, "capability": "CiP1", "next": "/accreditation/7/"})
    url = f"{reverse('portfolio:evidence_add')}?{query}"
    page = owner_client.get(url).text
    assert '<a href="/accreditation/7/">Cancel</a>' in page
    response = owner_client.post(url, _add_data(gpwer, cip1), follow=True)
    assert response.redirect_chain[0][0] == "/accreditation/7/"
    item = EvidenceItem.objects.get()
    assert list(item.competencies.all()) == [cip1]


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "accreditation/7/",
        "/\x00/accreditation/",
        "http:/evil.example",
    ],
)
def test_only_a_path_on_this_site_is_gone_back_to(owner_client, applicant, unsafe):
    gpwer, (cip1,) = framework("GPwER in MSK", ["CiP1"])
    url = f"{reverse('portfolio:evidence_add')}?{urlencode({'next': unsafe})}"
    assert unsafe not in owner_client.get(url).text
    response = owner_client.post(url, _add_data(gpwer, cip1))
    item = EvidenceItem.objects.get()
    assert response["Location"] == reverse("portfolio:evidence_detail", args=[item.pk])
