"""Each error summary link points at something NHS.UK frontend can move focus to."""

from django import forms
from django.template.loader import render_to_string

from portal.forms import NHSDateField


class ExampleForm(forms.Form):
    email = forms.EmailField()
    profession = forms.ChoiceField(
        choices=[("gp", "GP"), ("nurse", "Nurse")], widget=forms.RadioSelect
    )
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    date = NHSDateField()


def test_links_go_to_the_first_box_or_option_of_a_group():
    form = ExampleForm(data={})
    html = render_to_string("nhsuk/forms/error_summary.html", {"form": form})
    assert 'href="#id_email"' in html
    assert 'href="#id_profession_0"' in html  # the first radio, not the group
    assert 'href="#id_kinds_0"' in html  # the first checkbox
    assert 'href="#id_date_0"' in html  # the Day box of the date input
    rendered = form.as_div()
    for target in ("id_email", "id_profession_0", "id_kinds_0", "id_date_0"):
        assert f'id="{target}"' in rendered, target
