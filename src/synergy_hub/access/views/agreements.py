"""Pages of an agreement: terms, policy, usage against quantity, metering and ending it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.access import decisions, selectors, services, usage_policy, workflow
from synergy_hub.access.forms import RestrictForm, StatementForm, TerminateForm, UsageForm
from synergy_hub.access.models import Agreement
from synergy_hub.access.views.button_actions import act
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.web.form_errors import apply_service_errors

USAGE_PAGE = 100


def _side(request: AuthenticatedRequest, agreement: Agreement) -> workflow.Actor:
    side = selectors.side_of(request.user, agreement.provider_id, agreement.consumer_id)
    if side is None:
        raise Http404("agreement not found")
    return side


def _page(
    request: AuthenticatedRequest, agreement: Agreement, usage_form: UsageForm | None = None
) -> HttpResponse:
    side = _side(request, agreement)
    usage = list(selectors.usage_of(agreement)[:USAGE_PAGE])
    denied = agreement.usage.filter(permitted=False).aggregate(n=Count("pk"), q=Sum("quantity"))
    actions = [t.value for t in workflow.agreement_actions(agreement.state, side)]
    provider = side is workflow.Actor.PROVIDER
    return render(
        request,
        "access/agreement_detail.html",
        {
            "agreement": agreement,
            "side": side.value,
            "actions": actions,
            "can_restrict": provider and agreement.state in ("active", "suspended"),
            "can_record": provider and agreement.state == "active",
            "policy_text": usage_policy.describe_document(agreement.policy),
            "policy_sections": usage_policy.describe_sections(agreement.policy),
            "policy_json": json.dumps(agreement.policy, ensure_ascii=False, indent=2)
            if agreement.policy
            else "",
            "usage": [
                {
                    "record": record,
                    "action": decisions.action_name(record.action),
                    "rule": decisions.rule_name(record.path),
                    "why": decisions.explain(record.code, record.params),
                }
                for record in usage
            ],
            "denied_count": denied["n"],
            "usage_form": usage_form or UsageForm(),
            "statements": list(agreement.statements.all()),
            "earliest_termination": services.earliest_termination(timezone.now()),
        },
    )


@login_required
def agreement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Both sides see the terms, the policy in plain words and usage against the quantity."""
    return _page(request, selectors.agreement_for_party(request.user, pk))


@login_required
@require_POST
def record_use(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The provider records one use; the page shows whether it was permitted and why."""
    agreement = selectors.agreement_for_party(request.user, pk)
    form = UsageForm(request.POST)
    if form.is_valid():
        try:
            usage = services.record_use(request.user, agreement, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            explanation = decisions.explain(usage.code, usage.params)
            if usage.permitted:
                messages.success(request, _("Use recorded. %(why)s") % {"why": explanation})
            else:
                messages.error(request, explanation)
            return redirect("access:agreement", pk=pk)
    return _page(request, selectors.agreement_for_party(request.user, pk), form)


def _statement_page(
    request: AuthenticatedRequest,
    pk: int,
    form_class: type[StatementForm],
    call: Any,
    *,
    title: str,
    submit: str,
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    agreement = selectors.agreement_for_party(request.user, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(request.user, agreement, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("access:agreement", pk=pk)
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "back": reverse("access:agreement", args=[pk]),
        "agreement": agreement,
    }
    return render(request, "access/statement_form.html", context | (extra or {}))


@login_required
def terminate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Either side terminates, with reasons; 30 days' notice unless an exception applies."""
    return _statement_page(
        request,
        pk,
        TerminateForm,
        services.terminate_agreement,
        title=_("Terminate the agreement"),
        submit=_("Give notice of termination"),
        done=_("The termination is recorded; the other side sees your reasons."),
        extra={
            "notice_rule": True,
            "earliest": services.earliest_termination(timezone.now()),
        },
    )


@login_required
def suspend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The provider suspends an active agreement, with reasons."""
    return _statement_page(
        request,
        pk,
        StatementForm,
        services.suspend_agreement,
        title=_("Suspend the agreement"),
        submit=_("Suspend with these reasons"),
        done=_("The agreement is suspended; uses are denied until you resume it."),
    )


@login_required
def restrict(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The provider lowers the agreed quantity, with reasons."""
    return _statement_page(
        request,
        pk,
        RestrictForm,
        services.restrict_agreement,
        title=_("Restrict the agreement"),
        submit=_("Restrict with these reasons"),
        done=_("The agreement is restricted; the SME sees your reasons."),
    )


@login_required
@require_POST
def resume(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for_party(request.user, pk)
    return act(
        request,
        lambda: services.resume_agreement(request.user, agreement),
        _("The agreement is active again."),
        "access:agreement",
        pk,
    )
