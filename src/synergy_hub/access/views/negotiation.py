"""Pages of the negotiation: request form, inboxes, the request page, offers and answers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.access import measures, selectors, services, timeline, usage_policy, workflow
from synergy_hub.access.forms import AccessRequestForm, OfferForm, StatementForm, TermsForm
from synergy_hub.access.models import AccessRequest
from synergy_hub.access.services import capacity
from synergy_hub.access.services.negotiation import latest_policy_document
from synergy_hub.access.views.button_actions import act
from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.accounts.permissions import require_member
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog.eligibility import eligibility_problems
from synergy_hub.web.form_errors import apply_service_errors

ANY_ROLE = frozenset(Role.values)


def require_any_member(user: Any) -> None:
    """Pages of the access workflow need an organisation (any role may read)."""
    require_member(user, roles=ANY_ROLE, approved=False)


@login_required
def new_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An SME requests access to a resource of a published list."""
    resource = selectors.requestable_resource(request.user, pk)
    membership = require_member(request.user, kinds=frozenset({OrganisationKind.SME}))
    today = timezone.localdate()
    form = AccessRequestForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": today + timedelta(days=29), "purpose_code": ""},
        resource=resource,
        organisation=membership.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_access(request.user, resource, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the provider."))
            return redirect("access:request", pk=created.pk)
    return render(
        request,
        "access/request_form.html",
        {
            "form": form,
            "resource": resource,
            "problems": eligibility_problems(resource, membership.organisation),
            # Why the SME cannot request: a platform's measure in force (P2B Art 4).
            "blocked": measures.problems(resource, membership.organisation),
            "slots": capacity.calendar(resource, today, 6),
        },
    )


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """Both sides' inbox: incoming requests, own requests and agreements, with their state."""
    require_any_member(request.user)
    return render(
        request,
        "access/inbox.html",
        {
            "incoming": selectors.requests_for(request.user, role="provider")[:50],
            "outgoing": selectors.requests_for(request.user, role="consumer")[:50],
            "agreements": selectors.agreements_for(request.user)[:50],
        },
    )


def _side(request: AuthenticatedRequest, access_request: AccessRequest) -> workflow.Actor:
    side = selectors.side_of(request.user, access_request.provider_id, access_request.consumer_id)
    if side is None:  # the selector already answered 404 for outsiders
        raise Http404("access request not found")
    return side


@login_required
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One request: terms offered back and forth, the policy in plain words, next steps."""
    access_request = selectors.request_for_party(request.user, pk)
    side = _side(request, access_request)
    offers = list(access_request.offers.all())
    document = latest_policy_document(access_request)
    agreement = (
        getattr(access_request, "agreement", None) if access_request.state == "agreed" else None
    )
    return render(
        request,
        "access/request_detail.html",
        {
            "req": access_request,
            "side": side.value,
            "offers": offers,
            "current": offers[-1] if offers else None,
            "policy_text": usage_policy.describe_document(document),
            "actions": [t.value for t in workflow.request_actions(access_request.state, side)],
            "statements": list(access_request.statements.all()),
            "bookings": list(access_request.bookings.all()),
            "agreement": agreement,
            "timeline": timeline.request_timeline(access_request),
        },
    )


def _offer_initial(access_request: AccessRequest) -> dict[str, Any]:
    current = access_request.current_offer
    document = latest_policy_document(access_request)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "price": current.price,
            "quantity": current.quantity,
            "starts_on": current.starts_on,
            "ends_on": current.ends_on,
        }
    if document:
        initial["policy_json"] = json.dumps(document, ensure_ascii=False, indent=2)
    return initial


@login_required
def offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The provider's offer form with the policy editor (templates, parameters, JSON-LD)."""
    access_request = selectors.request_for_party(request.user, pk)
    if _side(request, access_request) is not workflow.Actor.PROVIDER:
        raise PermissionDenied(_("This step belongs to the provider."))
    form = OfferForm(request.POST or None, initial=_offer_initial(access_request))
    if request.method == "POST" and "build" in request.POST:
        form = _with_built_policy(request)
    elif request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("policy_")}
        try:
            services.make_offer(request.user, access_request, data | form.policy_data())
        except ValidationError as exc:
            _show_policy_errors(form, exc)
        else:
            messages.success(request, _("Your offer was sent to the SME."))
            return redirect("access:request", pk=pk)
    return render(request, "access/offer_form.html", {"form": form, "req": access_request})


def _with_built_policy(request: AuthenticatedRequest) -> OfferForm:
    """Re-render the offer form with the JSON-LD built from the chosen templates."""
    data = request.POST.copy()
    data["policy_json"] = ""
    form = OfferForm(data)
    form.is_valid()
    try:
        built = usage_policy.build_from_templates(form.policy_data())
    except (ValueError, KeyError) as exc:
        form.add_error("templates", str(exc))
        return form
    data["policy_json"] = json.dumps(usage_policy.to_jsonld(built), ensure_ascii=False, indent=2)
    return OfferForm(data)


def _show_policy_errors(form: OfferForm, exc: ValidationError) -> None:
    """Service errors on `policy` belong to the JSON-LD box of the editor."""
    if hasattr(exc, "error_dict") and "policy" in exc.error_dict:
        for error in exc.error_dict.pop("policy"):
            form.add_error("policy_json", error)
        if not exc.error_dict:
            return
    apply_service_errors(form, exc)


@login_required
def counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The SME answers an offer with other terms."""
    access_request = selectors.request_for_party(request.user, pk)
    if _side(request, access_request) is not workflow.Actor.CONSUMER:
        raise PermissionDenied(_("This step belongs to the requesting SME."))
    current = access_request.current_offer
    initial = (
        {
            "price": current.price,
            "quantity": current.quantity,
            "starts_on": current.starts_on,
            "ends_on": current.ends_on,
        }
        if current
        else {}
    )
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.counter_offer(request.user, access_request, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your counter-offer was sent to the provider."))
            return redirect("access:request", pk=pk)
    return render(request, "access/terms_form.html", {"form": form, "req": access_request})


@login_required
def reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The provider rejects the request with a statement of reasons."""
    access_request = selectors.request_for_party(request.user, pk)
    if _side(request, access_request) is not workflow.Actor.PROVIDER:
        raise PermissionDenied(_("This step belongs to the provider."))
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reject_request(request.user, access_request, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The request was rejected; the SME sees your reasons."))
            return redirect("access:request", pk=pk)
    return render(
        request,
        "access/statement_form.html",
        {
            "form": form,
            "title": _("Reject the request"),
            "back": reverse("access:request", args=[pk]),
            "submit": _("Reject with these reasons"),
        },
    )


@login_required
@require_POST
def step(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """The one-click steps: accept (SME), agree (provider), withdraw (SME)."""
    access_request = selectors.request_for_party(request.user, pk)
    if action == "accept":
        return act(
            request,
            lambda: services.accept_offer(request.user, access_request),
            _("You accepted the offer; the provider now confirms the agreement."),
            "access:request",
            pk,
        )
    if action == "agree":
        try:
            agreement = services.agree(request.user, access_request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("access:request", pk=pk)
        messages.success(request, _("The agreement is concluded."))
        return redirect("access:agreement", pk=agreement.pk)
    if action == "withdraw":
        return act(
            request,
            lambda: services.withdraw_request(request.user, access_request),
            _("You withdrew the request."),
            "access:request",
            pk,
        )
    raise Http404("unknown step")
