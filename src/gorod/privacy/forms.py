"""The erasure form. It checks shape only; privacy.services decides and erases."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    password = forms.CharField(label=_("Your password"), max_length=4096, strip=False)
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))
