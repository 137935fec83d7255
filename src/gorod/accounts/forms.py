"""Forms of the account pages. They check shape only; the services decide and save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gorod.accounts.consent import REQUESTS
from gorod.accounts.models import Consent


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal (a ValidationError with a message_dict) on the form's fields; a message
    about no field of the form goes above it."""
    for name, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


class LoginForm(forms.Form):
    # Named "username" because django-axes reads that field to count failed attempts.
    username = forms.CharField(label=_("Username or e-mail"), max_length=254, strip=True)
    password = forms.CharField(label=_("Password"), max_length=4096, strip=False)


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class SignUpForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), max_length=4096, strip=False)
    password2 = forms.CharField(label=_("Password again"), max_length=4096, strip=False)
    # Optional and unticked: consent is what a person does, never a default (accounts.consent).
    consent_mails = forms.BooleanField(label=REQUESTS[Consent.Purpose.MAILS].text, required=False)
    consent_name = forms.BooleanField(label=REQUESTS[Consent.Purpose.PUBLISH_NAME].text, required=False)

    def consents(self) -> tuple[str, ...]:
        ticked = (("consent_mails", Consent.Purpose.MAILS), ("consent_name", Consent.Purpose.PUBLISH_NAME))
        return tuple(str(purpose) for field, purpose in ticked if self.cleaned_data.get(field))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class OtpForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), max_length=4096, strip=False)
    new_password = forms.CharField(label=_("New password"), max_length=4096, strip=False)
    new_password2 = forms.CharField(label=_("New password again"), max_length=4096, strip=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password")
            and data.get("new_password2")
            and data["new_password"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("The two passwords differ."))
        return data
