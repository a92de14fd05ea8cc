"""Account pages: signing up, the organisation profile, API tokens, approving sign-ups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts import services
from synergy_hub.accounts.forms import (
    OrganisationProfileForm,
    RejectForm,
    SignUpForm,
    TokenForm,
)
from synergy_hub.accounts.models import ApiToken
from synergy_hub.accounts.permissions import membership_of, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.accounts.selectors import organisation_for_viewer, pending_organisations
from synergy_hub.web.form_errors import apply_service_errors


def sign_up(request: HttpRequest) -> HttpResponse:
    """Register an organisation and its first user; an officer approves it."""
    if request.user.is_authenticated and membership_of(request.user):
        return redirect("catalog:workspace")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _organisation = services.register_organisation(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your organisation is registered and awaits approval by the programme office."),
            )
            return redirect("accounts:organisation_profile")
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
def organisation_profile(request: AuthenticatedRequest) -> HttpResponse:
    """The user's organisation with its computed size class; administrators edit it."""
    membership = membership_of(request.user)
    if membership is None:
        return redirect("accounts:sign_up")
    organisation = membership.organisation
    initial = {
        "name_zh": organisation.name_zh,
        "name_en": organisation.name_en,
        "uscc": organisation.uscc,
        "region": organisation.region_id,
        "industry": organisation.industry_id,
        "employees": organisation.employees,
        "revenue": organisation.revenue,
        "total_assets": organisation.total_assets,
        "tier": organisation.tier,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "description_zh": organisation.description_zh,
        "description_en": organisation.description_en,
        "translations": organisation.translations,
    }
    form = OrganisationProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(request.user, organisation, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation profile was saved."))
            return redirect("accounts:organisation_profile")
    return render(
        request,
        "accounts/organisation_profile.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """Personal API tokens: create (the secret is shown once) and revoke."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.create_api_token(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(request.user, token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


@login_required
def organisations(request: AuthenticatedRequest) -> HttpResponse:
    """Sign-ups awaiting a decision."""
    require_officer(request.user)
    return render(
        request,
        "accounts/review_organisations.html",
        {"organisations": pending_organisations(request.user), "reject_form": RejectForm()},
    )


@login_required
@require_POST
def decide_organisation(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    require_officer(request.user)
    organisation = organisation_for_viewer(request.user, pk)
    try:
        services.decide_organisation(
            request.user,
            organisation,
            approve=action == "approve",
            reason=str(request.POST.get("reason", "")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Decision recorded for %(name)s.") % {"name": organisation.name}
        )
    return redirect("accounts:review_organisations")
