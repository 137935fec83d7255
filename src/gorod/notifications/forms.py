"""Forms of the account-facing notification pages (validation of shape; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.city.models import District
from gorod.notifications.models import AreaAlert


class AlertForm(forms.Form):
    KIND_CHOICES = [("district", _("a whole district")), ("radius", _("around a point on the map"))]

    kind = forms.ChoiceField(
        label=_("Area"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial="district"
    )
    district: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("— choose —")
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Radius, metres"), required=False, min_value=50, max_value=5000, initial=500
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AreaAlert.Frequency.choices,
        widget=forms.RadioSelect,
        initial=AreaAlert.Frequency.IMMEDIATE,
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts

    def clean(self):
        data = super().clean()
        if data.get("kind") == "district":
            if not data.get("district"):
                self.add_error("district", _("Choose a district."))
        elif data.get("kind") == "radius":
            if data.get("lat") is None or data.get("lon") is None:
                self.add_error("lat", _("Put a pin on the map or type the coordinates."))
            if data.get("radius_m") is None:
                self.add_error("radius_m", _("Give a radius between 50 and 5000 metres."))
        return data


class FollowEmailForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)
