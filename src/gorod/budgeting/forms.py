"""HTML forms. They parse and bound input; the services decide (and refuse with a message)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.budgeting.models import Process


def scope_choices(process: Process) -> list[tuple[str, str]]:
    out = []
    for budget in process.budgets.all():
        if budget.district is None:
            out.append(("city", str(_("the whole city"))))
        else:
            out.append((budget.district.slug, budget.district.label))
    return out


def scope_district(process: Process, key: str):
    for budget in process.budgets.all():
        if budget.district is None and key == "city":
            return None
        if budget.district is not None and budget.district.slug == key:
            return budget.district
    raise forms.ValidationError(_("Choose one of the listed areas."))


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What should be done, and why"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    scope = forms.ChoiceField(label=_("Where"))
    location = forms.CharField(
        label=_("Address or place"),
        max_length=300,
        required=False,
        help_text=_("For example: the yard of Lenina 5."),
    )
    cost = forms.DecimalField(
        label=_("Your estimate of the cost"),
        min_value=1,
        max_digits=14,
        decimal_places=2,
        help_text=_("Experts will check it."),
    )

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.fields["scope"].choices = scope_choices(process)  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "description": d["description"],
            "district": scope_district(self.process, d["scope"]),
            "location": d["location"],
            "cost": d["cost"],
        }


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Can the city carry it out?"),
        choices=[("yes", _("Yes, it is feasible")), ("no", _("No, it is not feasible"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    cost_estimate = forms.DecimalField(label=_("Cost estimate"), min_value=1, max_digits=14, decimal_places=2)
    opinion = forms.CharField(
        label=_("Opinion (published)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    money_spent = forms.DecimalField(
        label=_("Money spent so far"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    photo = forms.FileField(label=_("Photo"), required=False)


class CensusForm(forms.Form):
    file = forms.FileField(
        label=_("Census list (CSV)"),
        help_text=_(
            "Columns: identifier, district slug (empty for the city), date of birth YYYY-MM-DD, document "
            "number (its last 4 digits are used). Every row needs the secret the process asks voters for."
        ),
    )
    replace = forms.BooleanField(label=_("Replace the current list"), required=False)


class CandidateForm(forms.Form):
    public_name = forms.CharField(label=_("Name to publish"), max_length=200)


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=64)
