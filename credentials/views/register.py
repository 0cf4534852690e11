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
    count_cache_key,
    public_record,
    register_kinds,
    register_search,
)
from portal.throttle import over_limit
from portfolio.api import Region


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
        label="Integrated care board (ICB) or nation",
        required=False,
        choices=[("", "Anywhere"), *Region.choices],
        error_messages={"invalid_choice": "Choose an ICB or nation from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any credential"), *register_kinds()]

    def clean_q(self):
        text = clean_query(self.cleaned_data["q"])
        if text and len(text.replace(" ", "")) < MIN_QUERY_LENGTH:
            raise forms.ValidationError(
                f"Enter at least {MIN_QUERY_LENGTH} letters of the name, or the whole "
                "registration number."
            )
        return text


def _description(form: RegisterSearchForm) -> str:
    """What was searched for, in words: “Patel”, GPwER in MSK, NHS Greater Manchester ICB."""
    data = form.cleaned_data
    parts = [f"“{data['q']}”"] if data["q"] else []
    for name in ("kind", "region"):
        if data[name]:
            parts.append(dict(form.fields[name].choices)[data[name]])
    return ", ".join(parts)


@require_safe
def search(request):
    """Empty: the search form only (the register is never listed whole)."""
    searching = any(request.GET.get(name) for name in ("q", "kind", "region"))
    if searching and over_limit(request, "register", settings.REGISTER_SEARCHES_PER_MINUTE):
        response = render(request, "credentials/register/rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    form = RegisterSearchForm(request.GET if searching else None)
    context = {"form": form, "searched": False, "rows": []}
    if searching and form.is_valid():
        data = form.cleaned_data
        queryset = register_search(text=data["q"], kind=data["kind"], region=data["region"])
        count_key = count_cache_key(text=data["q"], kind=data["kind"], region=data["region"])
        page = RegisterPaginator(queryset, PAGE_SIZE, count_key=count_key).get_page(
            request.GET.get("page")
        )
        context.update(
            searched=True,
            page=page,
            rows=[public_record(credential) for credential in page.object_list],
            searched_for=_description(form),
            truncated=page.paginator.truncated,
            max_results=MAX_RESULTS,
            query=urlencode({k: v for k, v in data.items() if v}),
        )
    response = render(request, "credentials/register/search.html", context)
    if searching:  # results name people: keep them out of search engines
        response["X-Robots-Tag"] = "noindex"
    return response
