from django import forms

from portfolio.models import ClinicianProfile
from portfolio.models.clinicians import normalise_registration_number, registration_number_error


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
            "consent_to_public_register",
        ]
        widgets = {
            "profession": forms.RadioSelect,
            "regulator": forms.RadioSelect,
        }
        help_texts = {
            "full_name": "As it appears on your professional register.",
            "registration_number": (
                "GMC: 7 digits. HCPC: 2 letters then digits, for example PH123456. "
                "NMC: 8 characters. GOsC: 4 or 5 digits."
            ),
            "region": "For example NHS Greater Manchester ICB.",
            "consent_to_public_register": (
                "Commissioners and employers will see your name, credentials, their scope and "
                "dates. Never your email address."
            ),
        }
        error_messages = {
            "full_name": {"required": "Enter your full name."},
            "profession": {"required": "Select your profession."},
            "regulator": {"required": "Select your regulator."},
        }

    def clean_registration_number(self):
        return normalise_registration_number(self.cleaned_data.get("registration_number", ""))

    def clean(self):
        cleaned = super().clean()
        regulator = cleaned.get("regulator")
        number = cleaned.get("registration_number", "")
        if regulator:
            error = registration_number_error(regulator, number)
            if error:
                self.add_error("registration_number", error)
        return cleaned
