from django import forms
from django.utils.translation import gettext_lazy as _

from gorod.city.models import District
from gorod.info.stories.models import MAX_BODY, MAX_SIGNATURE, MAX_TITLE


class StoryForm(forms.Form):
    """Shape only; the service checks the values again (lengths, NUL, the district's city)."""

    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), empty_label=_("Choose a district")
    )
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(label=_("Story"), max_length=MAX_BODY)
    signature = forms.CharField(label=_("Signed as"), max_length=MAX_SIGNATURE)
    # The files come from request.FILES through core.images.PhotoLimits; the field is here so their
    # errors have a place in the form and its error summary.
    photos = forms.Field(label=_("Photos"), required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = districts


class HideForm(forms.Form):
    reason = forms.IntegerField(label=_("Reason"))
    note = forms.CharField(label=_("Explanation for the author and readers"), required=False, max_length=2000)
