"""Pages where SME users record and update their needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.accounts.permissions import require_member
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors, services
from synergy_hub.catalog.forms import NeedForm
from synergy_hub.web.form_errors import apply_service_errors

SME_ONLY = frozenset({OrganisationKind.SME})


@login_required
def need_list(request: AuthenticatedRequest) -> HttpResponse:
    require_member(request.user, kinds=SME_ONLY, approved=False)
    return render(
        request, "catalog/needs/list.html", {"needs": selectors.needs_of_organisation(request.user)}
    )


@login_required
def new_need(request: AuthenticatedRequest) -> HttpResponse:
    require_member(request.user, kinds=SME_ONLY, approved=False)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_need(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your need was recorded."))
            return redirect("catalog:needs")
    return render(request, "catalog/needs/form.html", {"form": form})


@login_required
def edit_need(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_owner(request.user, pk)
    initial = services.need_snapshot(need) | {"description": need.description}
    form = NeedForm(request.POST or None, initial=initial, with_status=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need(request.user, need, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your need was saved."))
            return redirect("catalog:needs")
    return render(request, "catalog/needs/form.html", {"form": form, "need": need})
