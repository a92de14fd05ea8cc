"""Pages where platform operators and providers draft, edit and submit openness lists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors, services, workflow
from synergy_hub.catalog.forms import ListForm, ResourceForm
from synergy_hub.catalog.models import Batch
from synergy_hub.web.form_errors import apply_service_errors


def _open_batches() -> Any:
    from django.utils import timezone

    today = timezone.localdate()
    return Batch.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("number")


@login_required
def my_lists(request: AuthenticatedRequest) -> HttpResponse:
    """Every version of every list of the user's organisation."""
    require_member(request.user, kinds=PUBLISHER_KINDS)
    return render(
        request,
        "catalog/publishing/my_lists.html",
        {"lists": selectors.lists_of_publisher(request.user), "open_batches": _open_batches()},
    )


@login_required
def new_list(request: AuthenticatedRequest) -> HttpResponse:
    """Draft a new openness list in an open batch."""
    require_member(request.user, kinds=PUBLISHER_KINDS)
    form = ListForm(request.POST or None, open_batches=_open_batches())
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_list(
                request.user, form.cleaned_data["batch"], form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Draft created. Now add its resources."))
            return redirect("catalog:edit_list", pk=created.pk)
    return render(request, "catalog/publishing/list_form.html", {"form": form})


@login_required
def edit_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A list of the user's organisation: its resources, title and the next step."""
    openness_list = selectors.list_for_publisher(request.user, pk)
    editable = workflow.is_editable(openness_list.state)
    form = ListForm(
        request.POST or None,
        initial={
            f: getattr(openness_list, f)
            for f in ("title_zh", "title_en", "summary_zh", "summary_en", "translations")
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_list(request.user, openness_list, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The list was saved."))
            return redirect("catalog:edit_list", pk=pk)
    return render(
        request,
        "catalog/publishing/edit_list.html",
        {
            "list": openness_list,
            "form": form,
            "editable": editable,
            "resources": openness_list.resources.prefetch_related("regions").order_by(
                "position", "pk"
            ),
            "history": selectors.list_history(openness_list, request.user),
        },
    )


@login_required
@require_POST
def submit_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    openness_list = selectors.list_for_publisher(request.user, pk)
    try:
        services.submit_list(request.user, openness_list)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The list was submitted to the programme office for review."))
    return redirect("catalog:edit_list", pk=pk)


@login_required
@require_POST
def new_version(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    openness_list = selectors.list_for_publisher(request.user, pk)
    try:
        draft = services.create_new_version(request.user, openness_list)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("catalog:edit_list", pk=pk)
    messages.success(
        request,
        _(
            "Version %(version)d is a new draft. The published version stays visible "
            "until this one is published."
        )
        % {"version": draft.version},
    )
    return redirect("catalog:edit_list", pk=draft.pk)


def _resource_form_page(
    request: HttpRequest, form: ResourceForm, openness_list: Any, resource: Any = None
) -> HttpResponse:
    return render(
        request,
        "catalog/publishing/resource_form.html",
        {"form": form, "list": openness_list, "resource": resource},
    )


@login_required
def add_resource(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    openness_list = selectors.list_for_publisher(request.user, pk)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_resource(request.user, openness_list, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The resource was added."))
            return redirect("catalog:edit_list", pk=pk)
    return _resource_form_page(request, form, openness_list)


@login_required
def edit_resource(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_for_publisher(request.user, pk)
    initial = services.editable_resource_values(resource)
    initial["keywords"] = ", ".join(initial["keywords"])
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource(request.user, resource, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The resource was saved."))
            return redirect("catalog:edit_list", pk=resource.openness_list_id)
    return _resource_form_page(request, form, resource.openness_list, resource)


@login_required
@require_POST
def remove_resource(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_for_publisher(request.user, pk)
    list_pk = resource.openness_list_id
    try:
        services.remove_resource(request.user, resource)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The resource was removed."))
    return redirect("catalog:edit_list", pk=list_pk)
