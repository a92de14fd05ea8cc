"""The SME's tier page: enter indicators by year, see the tier, the breakdown and the path."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.models import Organisation, Tier
from synergy_hub.accounts.permissions import require_member, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.tiers import evaluation, maps, selectors, services
from synergy_hub.tiers.engine import rule_set_for
from synergy_hub.tiers.engine.rulesets import SINGLE_CHAMPION
from synergy_hub.tiers.forms import IndicatorForm, ShowForm, VerificationForm, initial_of
from synergy_hub.tiers.models import TierEvaluation
from synergy_hub.tiers.suggestions import suggest
from synergy_hub.tiers.texts import RULE_SET_LABELS, STATUS_LABELS, check_text, tier_label
from synergy_hub.web import charts
from synergy_hub.web.form_errors import apply_service_errors


def _page_url(year: int, rule_set: str) -> str:
    return f"{reverse('tiers:tier')}?{urlencode({'year': str(year), 'rule_set': rule_set})}"


@login_required
def tier_page(request: AuthenticatedRequest) -> HttpResponse:
    """Show one year under one rule set; a POST saves that year's indicators."""
    membership = require_member(request.user, kinds=services.SME_ONLY)
    stored = selectors.own_values(request.user)
    show = ShowForm(request.GET)
    show.is_valid()
    today = timezone.localdate()
    year = show.cleaned_data.get("year") or (max(stored) if stored else today.year - 1)
    rule_set = show.cleaned_data.get("rule_set") or rule_set_for(today).code
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.save_indicators(
                    request.user, form.cleaned_data["year"], form.indicator_values()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The indicators were saved."))
                return redirect(_page_url(form.cleaned_data["year"], rule_set))
    else:
        form = IndicatorForm(initial=initial_of(year, stored.get(year, {})))
    result = evaluation.run(rule_set, stored, year)
    context = {
        "form": form,
        "year": year,
        "years": sorted(stored, reverse=True),
        "rule_set": rule_set,
        "rule_set_label": RULE_SET_LABELS.get(rule_set, rule_set),
        "rule_sets": RULE_SET_LABELS,
        "show": show,
        "result": evaluation.evaluation_out(result),
        "status_labels": STATUS_LABELS,
        "suggestions": [
            {"text": check_text(s.check), "items": s.items}
            for s in suggest(result.blocking, membership.organisation)
        ],
        "kept": selectors.own_evaluations(request.user)[:5],
        "organisation": membership.organisation,
        "verifiable": _verifiable(request, membership.organisation),
    }
    return render(request, "tiers/tier.html", context)


def _verifiable(
    request: AuthenticatedRequest, organisation: Organisation
) -> list[tuple[TierEvaluation, VerificationForm]]:
    """Kept evaluations whose tier is not the verified one (the newest of each tier), each
    with its form."""
    found: dict[str, TierEvaluation] = {}
    for kept in selectors.own_evaluations(request.user).exclude(tier="")[:20]:
        if services.ORGANISATION_TIER[kept.tier] != organisation.tier:
            found.setdefault(kept.tier, kept)
    return [
        (kept, VerificationForm(initial={"evaluation": kept.pk}, auto_id=f"id_v{kept.pk}_%s"))
        for kept in found.values()
    ]


@login_required
@require_POST
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """Send a kept evaluation's tier to the programme office for verification."""
    form = VerificationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("tiers:tier")
    try:
        services.request_verification(
            request.user,
            form.cleaned_data["evaluation"],
            form.cleaned_data["evidence"],
            form.cleaned_data["explanation"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The tier was sent to the programme office: it counts once an officer verifies it."),
        )
    return redirect("tiers:tier")


@login_required
@require_POST
def keep(request: AuthenticatedRequest) -> HttpResponse:
    """Keep the evaluation of the year and rule set shown (it appears in the API too)."""
    show = ShowForm(request.POST)
    show.is_valid()
    year = show.cleaned_data.get("year") or timezone.localdate().year - 1
    rule_set = show.cleaned_data.get("rule_set") or rule_set_for(timezone.localdate()).code
    try:
        services.keep_evaluation(request.user, year, rule_set)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evaluation was kept."))
    return redirect(_page_url(year, rule_set))


def _map_choice(request: AuthenticatedRequest) -> tuple[maps.Dimension, str]:
    """The dimension (province or industry) and rule set asked for; unknown values fall back."""
    by: maps.Dimension = "industry" if request.GET.get("by") == "industry" else "province"
    rule_set = request.GET.get("rule_set", "")
    if rule_set not in RULE_SET_LABELS:
        rule_set = rule_set_for(timezone.localdate()).code
    return by, rule_set


@login_required
def tier_map(request: AuthenticatedRequest) -> HttpResponse:
    """Programme officers: verified tiers by province or industry, and the single champion
    candidates computed from the entered indicators."""
    require_officer(request.user)
    by, rule_set = _map_choice(request)
    rows = maps.tier_map(by)
    largest = max((row.with_tier for row in rows), default=0)
    candidates = maps.single_champion_candidates(rule_set)
    chart = charts.single(
        "hbar",
        _("SMEs with a verified tier, by province")
        if by == "province"
        else _("SMEs with a verified tier, by industry section"),
        _("Province") if by == "province" else _("Industry section"),
        _("With a tier"),
        [(f"{row.code} {row.name}", float(row.with_tier), str(row.with_tier), "") for row in rows],
        testid="tier-map-chart",
    )
    return render(
        request,
        "tiers/tier_map.html",
        {
            "by": by,
            "rule_set": rule_set,
            "rule_sets": RULE_SET_LABELS,
            "columns": [(code, Tier(code).label) for code in maps.COLUMNS],
            "rows": rows,
            "totals": maps.totals(rows),
            "largest": largest,
            "chart": chart if rows else None,
            "candidates": [
                {
                    "organisation": c.organisation,
                    "year": c.year,
                    "provisional": c.provisional,
                    "checks": [
                        check_text(check) for check in c.evaluation.result(SINGLE_CHAMPION).checks
                    ],
                    "tier": tier_label(c.evaluation.tier),
                }
                for c in candidates
            ],
        },
    )


@login_required
def tier_map_csv(request: AuthenticatedRequest) -> HttpResponse:
    """The tier map as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese)."""
    require_officer(request.user)
    by, _rule_set = _map_choice(request)
    rows = maps.tier_map(by)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tier-map-{by}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([by, "name", *[code or "none" for code in maps.COLUMNS], "total"])
    for row in rows:
        writer.writerow(
            [row.code, row.name, *[row.counts.get(code, 0) for code in maps.COLUMNS], row.total]
        )
    return response
