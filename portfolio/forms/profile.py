from django import forms

from portfolio.models import ClinicianProfile
from portfolio.registration import read_registration_number, registration_number_error
from portfolio.routes import Route


class ClinicianProfileForm(forms.ModelForm):
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
            "registration_number": (
                "GMC: 7 digits. HCPC: your profession's letters then digits, for example "
                "PH123456. NMC: for example 12A3456E. GOsC: 4 or 5 digits. BASRaT: for example "
                "BR01234. Sports Therapy Organisation: for example STO12345."
            ),
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
            "profession": {"required": "Select your profession."},
            "regulator": {"required": "Select the register you are on."},
            "region": {"invalid_choice": "Choose your ICB or nation from the list."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [("", "Follow my profession"), *Route.choices]

    def clean_registration_number(self):
        return read_registration_number(self.cleaned_data.get("registration_number", ""))

    def clean(self):
        cleaned = super().clean()
        regulator = cleaned.get("regulator")
        number = cleaned.get("registration_number", "")
        if regulator:
            error = registration_number_error(regulator, number)
            if error:
                self.add_error("registration_number", error)
        return cleaned
