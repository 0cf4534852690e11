"""The public register: search by name or registration number, no account needed."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from credentials.selectors.register import (
    MAX_QUERY_LENGTH,
    MAX_RESULTS,
    MIN_QUERY_LENGTH,
    PAGE_SIZE,
    RegisterPaginator,
    clean_query,
    public_record,
    register_kinds,
    register_regions,
    register_search,
)
from portal.throttle import over_limit


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label="Name or registration number",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            f"At least {MIN_QUERY_LENGTH} letters of the name, or the whole registration "
            "number (GMC, HCPC, NMC or GOsC), for example Patel or 1234567."
        ),
        error_messages={
            "max_length": f"Enter no more than {MAX_QUERY_LENGTH} characters.",
        },
    )
    kind = forms.ChoiceField(
        label="Credential",
        required=False,
        choices=[("", "Any credential")],
        error_messages={"invalid_choice": "Choose a credential from the list."},
    )
    region = forms.ChoiceField(
        label="Region or integrated care board (ICB)",
        required=False,
        error_messages={"invalid_choice": "Choose a region from the list."},
    )

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Any region"), *((r, r) for r in regions)]
        self.fields["kind"].choices = [("", "Any credential"), *register_kinds()]

    def clean_q(self):
        text = clean_query(self.cleaned_data["q"])
        if text and len(text.replace(" ", "")) < MIN_QUERY_LENGTH:
            raise forms.ValidationError(
                f"Enter at least {MIN_QUERY_LENGTH} letters of the name, or the whole "
                "registration number."
            )
        return text

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("q")
            and "q" not in self.errors
            and (cleaned.get("kind") or cleaned.get("region"))
        ):
            self.add_error("q", "Enter a name or registration number to search the register.")
        return cleaned


@require_safe
def search(request):
    """Empty: the search form only (the register is never listed whole)."""
    searching = any(request.GET.get(name) for name in ("q", "kind", "region"))
    if searching and over_limit(request, "register", settings.REGISTER_SEARCHES_PER_MINUTE):
        response = render(request, "credentials/register/rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    form = RegisterSearchForm(request.GET if searching else None, regions=register_regions())
    context = {"form": form, "searched": False, "rows": []}
    if searching and form.is_valid():
        data = form.cleaned_data
        queryset = register_search(text=data["q"], kind=data["kind"], region=data["region"])
        page = RegisterPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            searched=True,
            page=page,
            rows=[public_record(credential) for credential in page.object_list],
            searched_for=data["q"],
            truncated=page.paginator.truncated,
            max_results=MAX_RESULTS,
            query=urlencode({k: v for k, v in data.items() if v}),
        )
    response = render(request, "credentials/register/search.html", context)
    if searching:  # results name people: keep them out of search engines
        response["X-Robots-Tag"] = "noindex"
    return response
