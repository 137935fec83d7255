"""The erasure and consent forms. They check shape only; privacy.services decides and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Consent


class EraseForm(forms.Form):
    password = forms.CharField(label=_("Your password"), max_length=4096, strip=False)
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Consent.Purpose.choices)
    given = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
