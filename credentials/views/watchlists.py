"""Watch list pages for commissioners (and superusers); 404 for anyone else and for lists
that belong to someone else.

Lists → one list (its numbers and each one's current credentials, add one number) → paste
many numbers, rename, delete, remove a number; and the alerts page. Changes are made by
credentials.services.watchlists.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from credentials.models import (
    Credential,
    CredentialStatus,
    WatchList,
    WatchListEntry,
    WatchNotification,
)
from credentials.selectors.register import STATUS_FIELDS
from credentials.services import watchlists as services
from portal.access import role_required
from portal.roles import Role

commissioners_only = role_required(Role.COMMISSIONER)
ENTRIES_PER_PAGE = 100
ALERTS_PER_PAGE = 50
NUMBER_HINT = (
    "A GMC number (7 digits), HCPC number (2 letters then digits), NMC PIN (8 letters and "
    "digits) or GOsC number (4 or 5 digits). Spaces are ignored."
)


class WatchListNameForm(forms.Form):
    name = forms.CharField(
        label="Name of the list",
        max_length=WatchList.NAME_MAX_LENGTH,
        help_text="For example, Greater Manchester MSK service.",
        error_messages={
            "required": "Enter a name for the list.",
            "max_length": f"The name must be {WatchList.NAME_MAX_LENGTH} characters or fewer.",
        },
    )


class AddNumberForm(forms.Form):
    registration_number = forms.CharField(
        label="Registration number",
        max_length=40,
        help_text=NUMBER_HINT,
        error_messages={
            "required": "Enter a registration number.",
            "max_length": "A registration number is 20 characters or fewer.",
        },
    )


class PasteNumbersForm(forms.Form):
    numbers = forms.CharField(
        label="Registration numbers, one on each line",
        max_length=WatchList.MAX_ENTRIES * 24,
        help_text=(
            f"{NUMBER_HINT} Up to {WatchList.MAX_ENTRIES:,} numbers in a list. If any line is "
            "wrong, nothing is added and you are told which rows to correct."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        strip=False,
        error_messages={
            "required": "Paste at least one registration number.",
            "max_length": f"Paste at most {WatchList.MAX_ENTRIES:,} numbers at once.",
        },
    )


def _get_list_for_user(request, pk: int) -> WatchList:
    return get_object_or_404(WatchList, pk=pk, owner=request.user)


def _breadcrumbs(watch_list: WatchList | None = None) -> list[dict]:
    crumbs = [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Watch lists", "url": reverse("credentials:watchlist_index")},
    ]
    if watch_list is not None:
        crumbs.append(
            {
                "label": watch_list.name,
                "url": reverse("credentials:watchlist_detail", args=[watch_list.pk]),
            }
        )
    return crumbs


def _form_page(request, form, heading: str, button: str, watch_list=None):
    """The one-field page shared by creating, renaming and pasting into a list."""
    context = {
        "form": form,
        "heading": heading,
        "button": button,
        "watch_list": watch_list,
        "breadcrumbs": _breadcrumbs(watch_list),
    }
    return render(request, "credentials/watchlists/form.html", context)


@commissioners_only
def watchlist_index(request):
    lists = list(
        WatchList.objects.filter(owner=request.user).annotate(entry_count=Count("entries"))
    )
    unread = dict(
        services.unread_alerts(request.user)
        .values_list("watch_list_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    for watch_list in lists:
        watch_list.unread_count = unread.get(watch_list.pk, 0)
    return render(
        request,
        "credentials/watchlists/index.html",
        {
            "lists": lists,
            "unread": sum(unread.values()),
            "breadcrumbs": _breadcrumbs()[:1],
        },
    )


@commissioners_only
def watchlist_create(request):
    form = WatchListNameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            watch_list = services.create_watch_list(
                owner=request.user, name=form.cleaned_data["name"]
            )
        except services.WatchListError as exc:
            form.add_error("name", exc.messages)
        else:
            messages.success(request, f"The list “{watch_list.name}” was created.")
            return redirect("credentials:watchlist_detail", watch_list.pk)
    return _form_page(request, form, "Create a watch list", "Create list")


def _credentials_by_number(viewer, numbers: list[str]) -> dict[str, list[Credential]]:
    """The current (not superseded) credentials VIEWER may see for NUMBERS, in one query."""
    found: dict[str, list[Credential]] = {}
    credentials = (
        services.visible_credentials(viewer)
        .filter(registration_number__in=numbers)
        .exclude(status=CredentialStatus.SUPERSEDED)
        .only("serial", "title", "holder_name", "registration_number", "token", *STATUS_FIELDS)
        .order_by("registration_number", "-issued_at", "-id")
    )
    for credential in credentials:
        found.setdefault(credential.registration_number, []).append(credential)
    return found


def _detail_context(request, watch_list: WatchList, add_form: AddNumberForm) -> dict:
    page = Paginator(
        watch_list.entries.order_by("registration_number", "id"), ENTRIES_PER_PAGE
    ).get_page(request.GET.get("page"))
    entries = list(page)
    credentials = _credentials_by_number(
        request.user, [entry.registration_number for entry in entries]
    )
    rows = [
        {"entry": entry, "credentials": credentials.get(entry.registration_number, [])}
        for entry in entries
    ]
    return {
        "watch_list": watch_list,
        "page": page,
        "rows": rows,
        "form": add_form,
        "max_entries": f"{WatchList.MAX_ENTRIES:,}",
        "breadcrumbs": _breadcrumbs(),
    }


@commissioners_only
def watchlist_detail(request, pk: int):
    watch_list = _get_list_for_user(request, pk)
    form = AddNumberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entries(
                watch_list=watch_list,
                lines=[form.cleaned_data["registration_number"]],
                actor=request.user,
                numbered=False,
            )
        except services.WatchListError as exc:
            form.add_error("registration_number", exc.messages)
        else:
            messages.success(request, "The registration number was added.")
            return redirect("credentials:watchlist_detail", watch_list.pk)
    return render(
        request,
        "credentials/watchlists/detail.html",
        _detail_context(request, watch_list, form),
    )


@commissioners_only
def watchlist_paste(request, pk: int):
    watch_list = _get_list_for_user(request, pk)
    form = PasteNumbersForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_entries(
                watch_list=watch_list,
                lines=form.cleaned_data["numbers"].splitlines(),
                actor=request.user,
            )
        except services.WatchListError as exc:
            form.add_error("numbers", exc.messages)
        else:
            count = len(added)
            messages.success(
                request, f"{count:,} registration number{'s were' if count != 1 else ' was'} added."
            )
            return redirect("credentials:watchlist_detail", watch_list.pk)
    return _form_page(request, form, "Add many registration numbers", "Add numbers", watch_list)


@commissioners_only
def watchlist_rename(request, pk: int):
    watch_list = _get_list_for_user(request, pk)
    data = request.POST if request.method == "POST" else None
    form = WatchListNameForm(data, initial={"name": watch_list.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_watch_list(
                watch_list=watch_list, name=form.cleaned_data["name"], actor=request.user
            )
        except services.WatchListError as exc:
            form.add_error("name", exc.messages)
        else:
            messages.success(request, "The list was renamed.")
            return redirect("credentials:watchlist_detail", watch_list.pk)
    return _form_page(request, form, "Rename the list", "Save name", watch_list)


@commissioners_only
def watchlist_delete(request, pk: int):
    watch_list = _get_list_for_user(request, pk)
    if request.method == "POST":
        services.delete_watch_list(watch_list=watch_list, actor=request.user)
        messages.success(request, f"The list “{watch_list.name}” was deleted.")
        return redirect("credentials:watchlist_index")
    return render(
        request,
        "credentials/watchlists/confirm.html",
        {
            "watch_list": watch_list,
            "heading": "Delete this list",
            "explanation": (
                f"The list and its {watch_list.entries.count():,} registration numbers will be "
                "deleted, with its alerts. You will no longer hear about these clinicians."
            ),
            "button": "Delete list",
            "breadcrumbs": _breadcrumbs(watch_list),
        },
    )


@commissioners_only
def watchlist_remove_entry(request, pk: int, entry_pk: int):
    watch_list = _get_list_for_user(request, pk)
    entry = get_object_or_404(WatchListEntry, pk=entry_pk, watch_list=watch_list)
    if request.method == "POST":
        services.remove_entry(entry=entry, actor=request.user)
        messages.success(request, f"{entry.registration_number} was removed from the list.")
        return redirect("credentials:watchlist_detail", watch_list.pk)
    return render(
        request,
        "credentials/watchlists/confirm.html",
        {
            "watch_list": watch_list,
            "heading": f"Remove {entry.registration_number} from the list",
            "explanation": "You will no longer hear when this clinician's credentials change.",
            "button": "Remove number",
            "breadcrumbs": _breadcrumbs(watch_list),
        },
    )


@commissioners_only
def watchlist_alerts(request):
    alerts = (
        WatchNotification.objects.filter(
            watch_list__owner=request.user,
            # Consent can be withdrawn after an alert was made: it is checked again now.
            credential__in=services.visible_credentials(request.user),
        )
        .select_related("watch_list", "credential")
        .order_by("-created_at", "-id")
    )
    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "credentials/watchlists/alerts.html",
        {
            "page": page,
            "unread": services.unread_alerts(request.user).count(),
            "breadcrumbs": _breadcrumbs()[:2],
        },
    )


@commissioners_only
@require_POST
def watchlist_alerts_read(request):
    count = services.mark_alerts_read(user=request.user)
    if count:
        messages.success(request, f"{count:,} alert{'s' if count != 1 else ''} marked as read.")
    return redirect("credentials:watchlist_alerts")
