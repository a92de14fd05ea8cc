"""Account pages: signing up, the organisation profile, API tokens, approving sign-ups."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from synergy_hub.accounts import services, throttling, two_factor
from synergy_hub.accounts.forms import (
    CodeForm,
    EligibilityChangeForm,
    OrganisationProfileForm,
    RejectForm,
    SignUpForm,
    TokenForm,
)
from synergy_hub.accounts.messages import sign_up_accepted_message
from synergy_hub.accounts.models import ApiToken, EligibilityChange, Organisation, User
from synergy_hub.accounts.permissions import membership_of, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.accounts.selectors import (
    eligibility_change_for_viewer,
    eligibility_changes_visible_to,
    organisation_for_viewer,
    pending_eligibility_changes,
    pending_organisations,
)
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
    form = OrganisationProfileForm(request.POST or None, initial=initial, organisation=organisation)
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
    _officer_decision(request, services.decide_organisation, organisation, organisation, action)
    return redirect("accounts:review_organisations")


# --- the second factor ------------------------------------------------------------------------

#: The session key holding a user who gave the right password and still owes a code.
PENDING_LOGIN = "synergy_pending_login"
#: How long the code step waits after the password, in seconds.
PENDING_LOGIN_SECONDS = 5 * 60


class LoginView(auth_views.LoginView):
    """Log in with e-mail and password; with a second factor enabled, then with a code.

    The password step is throttled and locked out as before (django-axes); for an account
    with an authenticator it does not log in, it remembers the user for five minutes and
    asks for a code (`login_code`).
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.is_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:login_code")


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the authenticator, or a recovery code.

    Wrong codes count against the user (`throttling.SECOND_FACTOR`) and, like passwords,
    against the client address (`throttling.LOGIN`, in the middleware).
    """
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - float(pending["at"]) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN, None)
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttling.check(throttling.SECOND_FACTOR, str(user.pk))
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is None:
            throttling.hit(throttling.SECOND_FACTOR, str(user.pk))
            form.add_error("code", _("This code is not valid. Try the current one."))
        else:
            del request.session[PENDING_LOGIN]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = resolve_url(settings.LOGIN_REDIRECT_URL)
            return redirect(target)
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
def two_factor_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Turn the second factor on (scan, confirm with a code, note the recovery codes) or off."""
    user = request.user
    enabled = two_factor.is_enabled(user)
    form = CodeForm(request.POST or None)
    recovery_codes: list[str] | None = None
    if request.method == "POST" and form.is_valid():
        throttling.check(throttling.SECOND_FACTOR, str(user.pk))
        try:
            if enabled:
                two_factor.disable(user, form.cleaned_data["code"])
            else:
                recovery_codes = two_factor.confirm(user, form.cleaned_data["code"])
        except ValidationError as exc:
            throttling.hit(throttling.SECOND_FACTOR, str(user.pk))
            apply_service_errors(form, exc)
        else:
            if enabled:
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:two_factor")
            enabled = True
            form = CodeForm()
    context: dict[str, Any] = {"enabled": enabled, "form": form, "recovery_codes": recovery_codes}
    if not enabled:
        device = two_factor.pending_device(user)
        context["qr_svg"] = mark_safe(  # noqa: S308 - segno's own SVG of our own URL
            segno.make(device.config_url, error="m").svg_inline(scale=4, title="")
        )
        context["manual_key"] = two_factor.manual_key(device)
    return render(request, "accounts/two_factor.html", context)


# --- size class and tier changes (decision 0017) --------------------------------------------


@login_required
def request_eligibility_change(request: AuthenticatedRequest) -> HttpResponse:
    """An organisation's administrators ask for new figures or a new tier, with evidence;
    the current size class and tier apply until a programme officer approves.
    """
    membership = membership_of(request.user)
    if membership is None:
        return redirect("accounts:sign_up")
    organisation = membership.organisation
    initial = {
        "region": organisation.region_id,
        "industry": organisation.industry_id,
        "employees": organisation.employees,
        "revenue": organisation.revenue,
        "total_assets": organisation.total_assets,
        "tier": organisation.tier,
    }
    form = EligibilityChangeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
        if not data.get("region"):
            data.pop("region", None)
        try:
            services.request_eligibility_change(
                request.user, organisation, data, form.cleaned_data["evidence"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your request was sent to the programme office for review.")
            )
            return redirect("accounts:request_eligibility_change")
    return render(
        request,
        "accounts/eligibility_change.html",
        {
            "organisation": organisation,
            "form": form,
            "requests": eligibility_changes_visible_to(request.user).filter(
                organisation=organisation
            ),
        },
    )


@login_required
def eligibility_changes(request: AuthenticatedRequest) -> HttpResponse:
    """Size class and tier changes waiting for a programme officer."""
    require_officer(request.user)
    return render(
        request,
        "accounts/review_eligibility_changes.html",
        {"changes": pending_eligibility_changes(request.user), "reject_form": RejectForm()},
    )


@login_required
def eligibility_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The evidence of a change request, for officers and the organisation's administrators,
    always as a download (never shown inline in the hub's own origin).
    """
    change = eligibility_change_for_viewer(request.user, pk)
    content = EligibilityChange.objects.values_list("evidence", flat=True).get(pk=change.pk)
    response = HttpResponse(bytes(content), content_type=change.evidence_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=change.evidence_name)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def decide_eligibility_change(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    require_officer(request.user)
    change = eligibility_change_for_viewer(request.user, pk)
    _officer_decision(
        request, services.decide_eligibility_change, change, change.organisation, action
    )
    return redirect("accounts:eligibility_changes")


def _officer_decision(
    request: AuthenticatedRequest,
    decide: Callable[..., Any],
    subject: Any,
    organisation: Organisation,
    action: str,
) -> None:
    """Approve or reject `subject` with the posted reason; the outcome as a page message."""
    try:
        decide(
            request.user,
            subject,
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
