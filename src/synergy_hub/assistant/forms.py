"""Forms of the assistant page: a message, the "what I understood" card, a confirmation.

They only shape the input; `assistant.editing` and the services check every rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.choices import industry_choices, region_choices
from synergy_hub.assistant.services import MAX_TEXT
from synergy_hub.catalog.vocabulary import ResourceType, Unit
from synergy_hub.eligibility import regions
from synergy_hub.web.choices import set_choices


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Describe your problem in your own words"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def card_choices() -> tuple[list[Any], list[Any]]:
    """The region and industry options, read once for every card of a page."""
    return region_choices(blank="—"), industry_choices(blank="—")


class NeedCardForm(forms.Form):
    """The understood need, editable; "Search again" re-runs the tools with it."""

    resource_types = forms.MultipleChoiceField(
        label=_("Kinds of resource"),
        choices=ResourceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    budget = forms.DecimalField(
        label=_("Budget at most (yuan)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10**12),
        max_digits=16,
        decimal_places=2,
    )
    wanted_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    wanted_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(10**9),
        max_digits=14,
        decimal_places=2,
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *Unit.choices], required=False)
    certifications = forms.CharField(label=_("Certifications"), max_length=200, required=False)
    query = forms.CharField(label=_("Search words"), max_length=500, required=False)

    def __init__(
        self, *args: Any, choices: tuple[list[Any], list[Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        regions_, industries_ = choices or card_choices()
        set_choices(self, "region", regions_)
        set_choices(self, "industry", industries_)

    def card(self) -> dict[str, Any]:
        """The corrected fields as `assistant.editing.need_from_card` takes them."""
        data = self.cleaned_data
        quantities = []
        if data.get("quantity") and data.get("unit"):
            quantities.append({"amount": data["quantity"], "unit": data["unit"]})
        return {
            "resource_types": data.get("resource_types") or [],
            "region_codes": [data["region"]] if data.get("region") else [],
            "industry_codes": [data["industry"]] if data.get("industry") else [],
            "budget_max_yuan": data.get("budget"),
            "wanted_from": data.get("wanted_from"),
            "wanted_until": data.get("wanted_until"),
            "quantities": quantities,
            "certifications": [
                c.strip() for c in (data.get("certifications") or "").split(",") if c.strip()
            ],
            "query": data.get("query") or "",
        }


def _selectable_region(code: str) -> str:
    """The region as the select box offers it: a county reads as its prefecture."""
    path = [r for r in regions.region_path(code) if r.level in ("province", "prefecture")]
    return path[-1].code if path else ""


def card_initial(need: dict[str, Any]) -> dict[str, Any]:
    """The card's fields from a stored need."""
    quantities = need.get("quantities") or []
    first = quantities[0] if quantities else {}
    return {
        "resource_types": need.get("resource_types") or [],
        "region": _selectable_region((need.get("region_codes") or [""])[0]),
        "industry": (need.get("industry_codes") or [""])[0],
        "budget": need.get("budget_max_yuan"),
        "wanted_from": need.get("wanted_from"),
        "wanted_until": need.get("wanted_until"),
        "quantity": first.get("amount"),
        "unit": first.get("unit", ""),
        "certifications": ", ".join(need.get("certifications") or []),
        "query": need.get("query", ""),
    }
