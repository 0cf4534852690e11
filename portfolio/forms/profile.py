from django import forms

from portal.regions import Region
from portfolio.models import ClinicianProfile, Profession
from portfolio.registration import Regulator, read_registration_number
from portfolio.routes import Route

# As typed, before the register's name and words like "number:" are read off
# ("HCPC number: PH104233" is 21 characters, the number 8).
TYPED_NUMBER_MAX_LENGTH = 40


class ClinicianProfileForm(forms.ModelForm):
    """One message per field: the number is judged against its register by the model
    (`ClinicianProfile.clean_fields`), and only when the register itself was chosen."""

    registration_number = forms.CharField(
        label="Registration number",
        required=False,
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=(
            "GMC: 7 digits. HCPC: your profession's letters then digits, for example "
            "PH123456. NMC: for example 12A3456E. GOsC: 4 or 5 digits. BASRaT: for example "
            "BR01234. Sports Therapy Organisation: for example STO12345."
        ),
        error_messages={
            "max_length": "Enter only your registration number, for example 1234567 or PH123456."
        },
    )

    class Meta:
        model = ClinicianProfile
        fields = [
            "full_name",
            "profession",
            "regulator",
            "registration_number",
            "employer",
            "region",
            "route",
            "consent_to_public_register",
        ]
        widgets = {
            "profession": forms.RadioSelect,
            "regulator": forms.RadioSelect,
            "route": forms.RadioSelect,
        }
        labels = {"route": "Your route"}
        help_texts = {
            "full_name": "As it appears on your professional register.",
            "region": "Where you mostly work. Commissioners search the register by ICB.",
            "route": (
                "The frameworks you map evidence to. Leave it to follow your profession: GPs "
                "take the GPwER route, other clinicians MSK advanced practice."
            ),
            "consent_to_public_register": (
                "Commissioners and employers will see your name, credentials, their scope and "
                "dates. Never your email address."
            ),
        }
        error_messages = {
            "full_name": {"required": "Enter your full name."},
            "profession": {
                "required": "Select your profession.",
                "invalid_choice": "Select your profession.",
            },
            "regulator": {
                "required": "Select the register you are on.",
                "invalid_choice": "Select the register you are on.",
            },
            "region": {"invalid_choice": "Choose your ICB or nation from the list."},
            "route": {"invalid_choice": "Select your route, or follow your profession."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's model choices start with a blank "- Select an option -": a radio button of
        # its own in a radio group. Each list here says what its empty choice means, if any.
        self.fields["profession"].choices = Profession.choices
        self.fields["regulator"].choices = Regulator.choices
        self.fields["region"].choices = [("", "Choose your ICB or nation"), *Region.choices]
        self.fields["route"].choices = [("", "Follow my profession"), *Route.choices]

    def clean_registration_number(self):
        return read_registration_number(self.cleaned_data.get("registration_number", ""))
