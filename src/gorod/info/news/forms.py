"""Forms of the news pages and the staff's editors: types and lengths only; the services decide the
rest (geometry, dates in order, photos, permissions) and their errors are put back on the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gorod.city.models import District, Municipality
from gorod.info.news.models import PlannedWork


def _districts(city: Municipality):
    return District.objects.filter(municipality=city).order_by("name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service re-encodes each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DistrictChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for key, texts in messages.items():
            target = key if key in self.fields else None  # type: ignore[attr-defined]
            for text in texts:
                self.add_error(target, text)  # type: ignore[attr-defined]


class NewsForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=400,
        required=False,
        help_text=_("One or two sentences for lists and mails."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…). HTML is not allowed."),
    )
    district = DistrictChoice(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("The whole city")
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=400, required=False, help_text=_("Separated by commas.")
    )
    published_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("A time in the future keeps the item hidden until then."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP; re-encoded without location data."),
    )
    photo_alt = forms.CharField(
        label=_("What the photos show (for screen readers)"), max_length=300, required=False
    )

    def __init__(self, *args, city: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts(city)  # type: ignore[attr-defined]


class WorkForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlannedWork.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    geometry = forms.CharField(
        label=_("Place (GeoJSON)"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "geometry-input"}),
        help_text=_(
            "Draw on the map, or paste a GeoJSON Point, LineString or Polygon (longitude, latitude)."
        ),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    published_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SubscribeForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    district = DistrictChoice(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("— a point instead —"),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Radius, m"), required=False, min_value=50, max_value=5000, initial=500
    )

    def __init__(self, *args, city: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts(city)  # type: ignore[attr-defined]
