"""Signing up, the workspace dashboard, the organisation profile and API tokens."""

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
from synergy_hub.accounts.models import ApiToken
from synergy_hub.accounts.permissions import membership_of
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors
from synergy_hub.web.forms import OrganisationForm, SignUpForm, TokenForm, apply_service_errors


def sign_up(request: HttpRequest) -> HttpResponse:
    """Register an organisation and its first user; an officer approves it."""
    if request.user.is_authenticated and membership_of(request.user):
        return redirect("web:workspace")
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
            return redirect("web:organisation_profile")
    return render(request, "web/sign_up.html", {"form": form})


@login_required
def workspace(request: AuthenticatedRequest) -> HttpResponse:
    """The start page after logging in: what this user can do next."""
    membership = membership_of(request.user)
    context = {
        "membership": membership,
        "my_lists": selectors.lists_of_publisher(request.user)[:10],
        "review_queue": selectors.review_queue(request.user)[:10],
        "needs": selectors.needs_of_organisation(request.user)[:10],
    }
    return render(request, "web/workspace.html", context)


@login_required
def organisation_profile(request: AuthenticatedRequest) -> HttpResponse:
    """The user's organisation with its computed size class; administrators edit it."""
    membership = membership_of(request.user)
    if membership is None:
        return redirect("web:sign_up")
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
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(request.user, organisation, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation profile was saved."))
            return redirect("web:organisation_profile")
    return render(
        request,
        "web/organisation_profile.html",
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
        "web/tokens.html",
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
    return redirect("web:tokens")
