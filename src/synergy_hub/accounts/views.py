"""Account pages: signing up, the organisation profile, API tokens, approving sign-ups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts import services, throttling
from synergy_hub.accounts.forms import (
    OrganisationProfileForm,
    RejectForm,
    SignUpForm,
    TokenForm,
)
from synergy_hub.accounts.messages import sign_up_accepted_message
from synergy_hub.accounts.models import ApiToken
from synergy_hub.accounts.permissions import membership_of, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.accounts.selectors import organisation_for_viewer, pending_organisations
from synergy_hub.web.form_errors import apply_service_errors


def sign_up(request: HttpRequest) -> HttpResponse:
    """Register an organisation and its first user; an officer approves it.

    The answer is the same whether or not the e-mail address already has an account (its
    owner learns which by e-mail); attempts are limited per client address.
    """
    if request.user.is_authenticated and membership_of(request.user):
        return redirect("catalog:workspace")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        throttling.hit(throttling.SIGN_UP, throttling.client_address(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.register_organisation(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, sign_up_accepted_message())
            return redirect("accounts:login")
    return render(request, "accounts/sign_up.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the answer never tells whether the address exists.

    Limited per client address and per address asked for.
    """

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttling.hit(throttling.RESET_ADDRESS, throttling.client_address(request))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        throttling.hit(throttling.RESET_ACCOUNT, form.cleaned_data["email"].strip().lower())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password, giving the current one; wrong guesses are limited per user."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttling.check(throttling.PASSWORD_CHANGE, str(request.user.pk))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: PasswordChangeForm) -> HttpResponse:
        if form.has_error("old_password"):
            throttling.hit(throttling.PASSWORD_CHANGE, str(self.request.user.pk))
        return super().form_invalid(form)


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
    """Personal API tokens: create (the secret is shown once) and revoke.

    Tokens are managed here, from a logged-in session, and never by a request that a token
    authenticated (see `services.create_api_token`).
    """
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.create_api_token(
                request.user,
                form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
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
