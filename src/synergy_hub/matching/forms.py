"""The filters of the resource search page (all optional)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.choices import industry_choices, region_choices
from synergy_hub.catalog.facets import PRICE_BANDS
from synergy_hub.catalog.models import Batch
from synergy_hub.catalog.query import MAX_WORDS_LENGTH
from synergy_hub.catalog.vocabulary import AccessMode, ResourceType
from synergy_hub.validation import INTEGER_MAX
from synergy_hub.web.choices import set_choices

#: How the catalog page orders its results; relevance is the explained, fair ranking.
SORT_CHOICES = [
    ("", _("Relevance")),
    ("price", _("Price, lowest first")),
    ("newest", _("Newest first")),
    ("capacity", _("Capacity, largest first")),
]


class ResourceFilterForm(forms.Form):
    """The public catalog's filters (all optional)."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=MAX_WORDS_LENGTH)
    type = forms.ChoiceField(label=_("Type"), required=False)
    access_mode = forms.ChoiceField(label=_("Access mode"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    batch = forms.ChoiceField(label=_("Batch"), required=False)
    price_band = forms.ChoiceField(label=_("Price"), required=False)
    publisher = forms.IntegerField(
        required=False, min_value=1, max_value=INTEGER_MAX, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    show_all = forms.BooleanField(
        label=_("Show all, including resources not open to my organisation"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = str(_("All"))
        set_choices(self, "type", [("", everything), *ResourceType.choices])
        set_choices(self, "access_mode", [("", everything), *AccessMode.choices])
        set_choices(
            self, "price_band", [("", everything)] + [(k, v[0]) for k, v in PRICE_BANDS.items()]
        )
        set_choices(self, "sort", SORT_CHOICES)
        set_choices(self, "region", region_choices(blank=everything))
        set_choices(self, "industry", industry_choices(blank=everything))
        set_choices(
            self,
            "batch",
            [("", everything)]
            + [(str(b.number), b.name) for b in Batch.objects.order_by("number")],
        )


class MatchingPreferenceForm(forms.Form):
    """An SME's choices about batch matching: the digest of new matches, and outreach."""

    digest = forms.BooleanField(label=_("Send us a digest of new matches"), required=False)
    outreach = forms.BooleanField(
        label=_("List us as a candidate for providers' new resources"), required=False
    )
