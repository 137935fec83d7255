"""Staff forms of engagement projects. They parse and bound input; the services decide (and refuse with a
message). Times are entered in the city's time zone (the back office activates it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.city.models import District
from gorod.consultations import modules
from gorod.consultations.models import Topic
from gorod.consultations.surveys.models import SurveyQuestion

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
MARKDOWN_HINT = _("Markdown: **bold**, *italic*, lists, [links](https://…). HTML is shown as text.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS, widget=DateTimeInput())


class ProjectForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name in the address"), max_length=80, help_text=_("Latin letters, digits and hyphens.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=MARKDOWN_HINT,
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("The whole city")
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    area = forms.CharField(
        label=_("Area on the map (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        required=False,
        max_length=200_000,
        help_text=_("A Point, LineString, Polygon or MultiPolygon in longitude, latitude; inside the city."),
    )
    published = forms.BooleanField(label=_("Shown on the site"), required=False)
    premoderated = forms.BooleanField(
        label=_("Pre-moderation: new contributions wait for a moderator"), required=False
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = municipality.districts.all()  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    title = forms.CharField(label=_("Phase"), max_length=200)
    starts = _when(_("Starts"))
    ends = _when(_("Ends"))
    description = forms.CharField(label=_("What happens in this phase"), max_length=2000, required=False)


class ModuleForm(forms.Form):
    phase = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=modules.ready_choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=MARKDOWN_HINT,
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous survey (answers are stored without the account)"), required=False
    )


class SurveyQuestionForm(forms.Form):
    """A question added to a survey module (consultations.surveys.services.question_add checks the rest)."""

    module = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of question"), choices=SurveyQuestion.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    options = forms.CharField(
        label=_("Options, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("For single and multiple choice and ranking."),
    )
    scale_max = forms.TypedChoiceField(
        label=_("Scale"),
        choices=[(5, _("from 1 to 5")), (10, _("from 0 to 10"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)


class DraftForm(forms.Form):
    module = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("The draft text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=300_000,
        help_text=_("Markdown. A blank line starts a new paragraph; residents comment on each paragraph."),
    )


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, help_text=MARKDOWN_HINT
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    pdf = forms.FileField(label=_("PDF file"))


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts = _when(_("Starts"))
    ends = _when(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False)


class FinalReportForm(forms.Form):
    final_report = forms.CharField(
        label=_("What we heard and what we decided"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50000,
        help_text=MARKDOWN_HINT,
    )
