"""Forms of the programme office's pages; the services re-check every rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.languages import pick_language
from synergy_hub.programmes.models import PilotCall, PilotProject
from synergy_hub.programmes.services.applications import clean_application_data
from synergy_hub.programmes.services.calls import clean_call_data
from synergy_hub.programmes.services.registries import clean_scenario_data
from synergy_hub.programmes.services.targets import PROGRAMME_CODE
from synergy_hub.programmes.vocabulary import AiCapability, Metric, ProjectStatus
from synergy_hub.validation import INTEGER_MAX, FieldErrors
from synergy_hub.web.form_errors import OneRoundForm


class ApplicationForm(OneRoundForm):
    """A pilot application with one milestone; partners and resources picked from lists."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        errors = FieldErrors()
        clean_application_data(self._service_data(data), errors, self.lead)
        errors.raise_if_any()

    title = forms.CharField(label=_("title"), max_length=200)
    scenario = forms.CharField(label=_("scenario"), max_length=5000, widget=forms.Textarea)
    pillar = forms.ChoiceField(label=_("pillar"), choices=Pillar.choices)
    budget = forms.IntegerField(
        label=_("requested budget (CNY)"), min_value=1, max_value=INTEGER_MAX
    )
    partners = forms.TypedMultipleChoiceField(label=_("partners"), coerce=int, required=False)
    resources = forms.TypedMultipleChoiceField(
        label=_("resources used"), coerce=int, required=False
    )
    milestone_title = forms.CharField(label=_("Milestone"), max_length=200)
    milestone_due_on = forms.DateField(
        label=_("Milestone due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone_kpi = forms.CharField(label=_("Milestone KPI"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        lead: Organisation,
        partners: list[tuple[int, str]],
        resources: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lead = lead
        self.fields["partners"].choices = partners  # type: ignore[attr-defined]
        self.fields["resources"].choices = resources  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        return self._service_data(self.cleaned_data)

    @staticmethod
    def _service_data(data: Mapping[str, Any]) -> dict[str, Any]:
        due_on = data.get("milestone_due_on")
        return {
            "title": data.get("title"),
            "scenario": data.get("scenario"),
            "pillar": data.get("pillar"),
            "budget": data.get("budget"),
            "partners": data.get("partners") or [],
            "resources": data.get("resources") or [],
            "milestones": [
                {
                    "title": data.get("milestone_title"),
                    "due_on": due_on.isoformat() if due_on else None,
                    "kpi": data.get("milestone_kpi") or "",
                }
            ],
        }


class ReviewerForm(forms.Form):
    reviewer = forms.EmailField(label=_("Reviewer's e-mail address"))


class OverrideForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda value: value == "1",
        choices=[("1", _("Selected")), ("0", _("Not selected"))],
    )
    reason = forms.CharField(label=_("override reason"), max_length=5000, widget=forms.Textarea)


class ScoreForm(forms.Form):
    """One whole-number field per criterion of the call's rubric, 0 to the scale's top."""

    def __init__(self, *args: Any, call: PilotCall, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in call.rubric:
            label = pick_language(criterion.get("label_zh", ""), criterion.get("label_en", ""))
            label = label or criterion["key"]
            self.fields[criterion["key"]] = forms.IntegerField(
                label=f"{label} (0–{call.scale_max})", min_value=0, max_value=call.scale_max
            )


class ReportForm(forms.Form):
    """A progress report on one of the project's milestones, with an optional evidence file."""

    milestone = forms.ChoiceField(label=_("milestone"))
    kpi_report = forms.CharField(label=_("KPI reached"), max_length=5000, widget=forms.Textarea)
    status = forms.ChoiceField(label=_("status"), choices=ProjectStatus.choices)
    evidence = forms.FileField(
        label=_("Evidence (PDF, PNG, JPEG, DOCX or XLSX, at most 10 MB)"), required=False
    )

    def __init__(self, *args: Any, project: PilotProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = [m.get("title", "") for m in project.application.milestones]
        self.fields["milestone"].choices = [(t, t) for t in titles]  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(
        label=_("final evaluation"), max_length=5000, widget=forms.Textarea
    )
    replicable_model = forms.CharField(
        label=_("Replicable model (published; leave empty if the project did not succeed)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea,
    )


class CallForm(OneRoundForm):
    """A call's terms on a page: quotas and rubric as one line each (see the help texts)."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        errors = FieldErrors()
        clean_call_data(data, errors)
        errors.raise_if_any()

    title_zh = forms.CharField(label=_("title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    description_zh = forms.CharField(
        label=_("description (Chinese)"), max_length=5000, required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=_("description (English)"), max_length=5000, required=False, widget=forms.Textarea
    )
    pillars = forms.MultipleChoiceField(
        label=_("pillars"), choices=Pillar.choices, widget=forms.CheckboxSelectMultiple
    )
    budget = forms.IntegerField(label=_("budget (CNY)"), min_value=1, max_value=INTEGER_MAX)
    max_projects = forms.IntegerField(
        label=_("most projects"), min_value=1, max_value=INTEGER_MAX, required=False
    )
    min_sme_share = forms.IntegerField(
        label=_("minimum share of SME-led projects (%)"), min_value=0, max_value=100, initial=0
    )
    quotas = forms.CharField(
        label=_("quotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: group = most projects, e.g. “pillar:open = 20”, “region:330000 = 8”."
        ),
    )
    rubric = forms.CharField(
        label=_("rubric"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One criterion per line: key | Chinese label | English label | weight."),
    )
    scale_max = forms.IntegerField(
        label=_("highest score per criterion"), min_value=1, max_value=100, initial=10
    )
    opens_on = forms.DateField(label=_("opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    review_by = forms.DateField(
        label=_("review by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decide_by = forms.DateField(
        label=_("decision by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_quotas(self) -> dict[str, str]:
        quotas: dict[str, str] = {}
        for line in self.cleaned_data["quotas"].splitlines():
            if not line.strip():
                continue
            group, sep, number = line.partition("=")
            if not sep:
                raise forms.ValidationError(_("Write each quota as group = number."))
            quotas[group.strip()] = number.strip()
        return quotas

    def clean_rubric(self) -> list[dict[str, str]]:
        rubric = []
        for line in self.cleaned_data["rubric"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4:
                raise forms.ValidationError(
                    _("Write each criterion as key | Chinese label | English label | weight.")
                )
            rubric.append(
                {"key": parts[0], "label_zh": parts[1], "label_en": parts[2], "weight": parts[3]}
            )
        return rubric


class PlatformForm(forms.Form):
    """A service platform the member's organisation operates."""

    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=300, required=False)
    services = forms.CharField(label=_("services offered"), max_length=5000, widget=forms.Textarea)
    region = forms.CharField(label=_("Region code (GB/T 2260)"), max_length=6)
    pillar = forms.ChoiceField(label=_("pillar"), choices=Pillar.choices)
    smes_served = forms.IntegerField(
        label=_("SMEs served"), min_value=0, max_value=INTEGER_MAX, initial=0
    )
    resources = forms.TypedMultipleChoiceField(
        label=_("resources used"), coerce=int, required=False
    )

    def __init__(self, *args: Any, resources: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = resources  # type: ignore[attr-defined]


class ScenarioForm(OneRoundForm):
    """An intelligent service application scenario the member's organisation proposes."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        errors = FieldErrors()
        clean_scenario_data(data, errors)
        errors.raise_if_any()

    title_zh = forms.CharField(label=_("title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    problem = forms.CharField(label=_("problem"), max_length=5000, widget=forms.Textarea)
    ai_capability = forms.ChoiceField(label=_("AI capability used"), choices=AiCapability.choices)
    region = forms.CharField(label=_("Region code (GB/T 2260)"), max_length=6)
    pillar = forms.ChoiceField(label=_("pillar"), choices=Pillar.choices)
    smes_served = forms.IntegerField(
        label=_("SMEs served"), min_value=0, max_value=INTEGER_MAX, initial=0
    )
    resources = forms.TypedMultipleChoiceField(
        label=_("resources used"), coerce=int, required=False
    )

    def __init__(self, *args: Any, resources: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = resources  # type: ignore[attr-defined]


class ProgrammeForm(forms.Form):
    """A programme's names, summary and years; the code only when it is created."""

    code = forms.CharField(
        label=_("Code"),
        max_length=50,
        validators=[
            RegexValidator(
                PROGRAMME_CODE,
                _("Use 3 to 50 lower-case letters, digits and hyphens, e.g. zhejiang-2026."),
            )
        ],
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. zhejiang-2026; fixed once saved."
        ),
    )
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300)
    summary_zh = forms.CharField(
        label=_("Summary (Chinese)"), max_length=4000, required=False, widget=forms.Textarea
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"), max_length=4000, required=False, widget=forms.Textarea
    )
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class TargetForm(forms.Form):
    """A target of a programme: a metric counted by the hub, a number and a date."""

    metric = forms.ChoiceField(label=_("Metric"), choices=Metric.choices)
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=INTEGER_MAX)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
