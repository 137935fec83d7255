"""The web report form: parsing the POST into a NewReport, the category's Open311 attributes as form
fields, the photo upload limits, and placing the service's errors next to the fields they are about.

The rules themselves (season, city limits, attributes, photos) live in services.report_create; this
module only turns text into types and keeps what the citizen typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gorod.city.models import Attribute, Category
from gorod.reports.attributes import choice_label


def category_choices(categories: Iterable[Category]) -> list:
    """Choices grouped by object type (rendered as <optgroup>), in the classifier's order."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for category in categories:
        group = groups.setdefault(category.object_type_id, (category.object_type.label, []))
        group[1].append((str(category.pk), category.label))
    return [("", gettext("Choose a category…")), *groups.values()]


class ReportForm(forms.Form):
    """Types and lengths only; whether the report may be filed is the service's decision."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    address = forms.CharField(label=_("Address or landmark"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    show_name = forms.BooleanField(label=_("Show my name on the report page"), required=False)
    anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)

    def __init__(self, *args, categories: list[Category], today: dt.date | None = None, **kwargs):
        """`categories`: every active one, so that the service's refusal of one out of season is what
        the resident reads; the list offers only those in season `today` (and the one chosen)."""
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in categories}
        self.fields["category"].choices = category_choices(categories)  # type: ignore[attr-defined]
        chosen = self.selected_category()
        offered = [c for c in categories if today is None or c is chosen or c.in_season(today)]
        self.category_groups = category_choices(offered)[1:]
        # Errors the service gives about things that are not one form field.
        self.location_errors: list[str] = []
        self.media_errors: list[str] = []
        self.attribute_errors: dict[str, list[str]] = {}

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None) and "lat" not in self.errors and "lon" not in self.errors:
            self.add_error("lat" if lat is None else "lon", gettext("Give both latitude and longitude."))
        return data

    def selected_category(self) -> Category | None:
        """The chosen category, also when the form is invalid (to re-render its attributes)."""
        raw = self.data.get("category") if self.is_bound else self.initial.get("category")
        return self.categories.get(str(raw or ""))

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        """Put each of report_create's messages next to the field it is about."""
        for key, messages in message_dict.items():
            if key in ("category", "description", "address", "email", "name", "phone", "anonymous"):
                for message in messages:
                    self.add_error(key, message)
            elif key == "location":
                self.location_errors += messages
            elif key == "media":
                self.media_errors += messages
            elif key.startswith("attribute[") and key.endswith("]"):
                self.attribute_errors.setdefault(key[len("attribute[") : -1], []).extend(messages)
            else:
                self.add_error(None, messages)

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the summary at the top of the form, in the order of the page."""
        items: list[tuple[str, str]] = [("id_address", m) for m in self.location_errors]
        for name in ("lat", "lon", "address", "category"):
            items += [(f"id_{name}", str(m)) for m in self.errors.get(name, [])]
        for code, messages in self.attribute_errors.items():
            items += [(f"attr-{code}", m) for m in messages]
        for name in ("description", "name", "email", "phone", "anonymous"):
            items += [(f"id_{name}", str(m)) for m in self.errors.get(name, [])]
        items += [("id_photos", m) for m in self.media_errors]
        items += [("report-form", str(m)) for m in self.non_field_errors()]
        return items

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.location_errors or self.media_errors or self.attribute_errors)


# --- attributes -------------------------------------------------------------------------------------
@dataclass
class AttributeField:
    """One Open311 attribute as the template renders it."""

    code: str
    label: str
    datatype: str
    required: bool
    variable: bool
    hint: str
    choices: list[tuple[str, str]]
    value: str = ""
    selected: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def input_id(self) -> str:
        return f"attr-{self.code}"

    @property
    def name(self) -> str:
        return f"attribute[{self.code}]"

    @property
    def multi_name(self) -> str:
        return f"attribute[{self.code}][]"


def attribute_fields(
    category: Category | None,
    submitted: dict[str, str | list[str]] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[AttributeField]:
    if category is None:
        return []
    submitted, errors = submitted or {}, errors or {}
    out = []
    for attr in category.attributes.all():
        given = submitted.get(attr.code)
        out.append(
            AttributeField(
                code=attr.code,
                label=attr.label,
                datatype=attr.datatype,
                required=attr.required,
                variable=attr.variable,
                hint=attr.datatype_description,
                choices=[(str(v.get("key")), choice_label(v)) for v in attr.values],
                value=given if isinstance(given, str) else "",
                selected=list(given) if isinstance(given, list) else ([given] if given else []),
                errors=errors.get(attr.code, []),
            )
        )
    return out


def read_attributes(post: QueryDict, category: Category | None) -> dict[str, str | list[str]]:
    """attribute[code]=v and attribute[code][]=v (multi-value) for the chosen category's attributes.
    Fields of another category (left in the page when JavaScript is off) are dropped, not refused."""
    if category is None:
        return {}
    values: dict[str, str | list[str]] = {}
    for attr in category.attributes.all():
        if not attr.variable:
            continue
        if attr.datatype == Attribute.Datatype.MULTIVALUELIST:
            items = [v for v in post.getlist(f"attribute[{attr.code}][]") if v]
            if items:
                values[attr.code] = items
        else:
            value = post.get(f"attribute[{attr.code}]", "")
            if value.strip():
                values[attr.code] = value
    return values


# --- uploads ----------------------------------------------------------------------------------------
