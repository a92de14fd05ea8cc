"""The policy editor: live preview in both languages, and a resource's default policy."""

from __future__ import annotations

import json
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.access import services, usage_policy
from synergy_hub.access.forms import PolicyEditorForm
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors as catalog_selectors
from synergy_hub.catalog import workflow as list_workflow
from synergy_hub.catalog.models import Resource


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The plain-language preview (zh and en) and the problems of the editor's policy (htmx)."""
    form = PolicyEditorForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return render(request, "access/_policy_preview.html", {"errors": errors})
    data = form.policy_data()
    result = usage_policy.preview(data.get("policy"), data)
    return render(request, "access/_policy_preview.html", {"preview": result})


def resource_policy(request: HttpRequest, pk: int) -> HttpResponse:
    """A resource's default usage policy: its publisher edits it while the list is editable;
    anyone who may read the published resource reads it before requesting access."""
    if not request.user.is_authenticated:
        return _read_only(request, catalog_selectors.public_resource(pk))
    try:
        resource = catalog_selectors.resource_for_publisher(request.user, pk)
    except Http404:
        return _read_only(request, catalog_selectors.public_resource(pk))
    return _editor(cast(AuthenticatedRequest, request), resource)


def _read_only(request: HttpRequest, resource: Resource) -> HttpResponse:
    if request.method != "GET":
        raise Http404("resource not found")
    return render(
        request,
        "access/resource_policy.html",
        {
            "resource": resource,
            "reader": True,
            "policy_text": usage_policy.describe_document(resource.usage_policy),
            "policy_sections": usage_policy.describe_sections(resource.usage_policy),
        },
    )


def _editor(request: AuthenticatedRequest, resource: Resource) -> HttpResponse:
    pk = resource.pk
    editable = list_workflow.is_editable(resource.openness_list.state)
    initial = {}
    if resource.usage_policy:
        initial["policy_json"] = json.dumps(resource.usage_policy, ensure_ascii=False, indent=2)
    form = PolicyEditorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_resource_policy(request.user, resource, form.policy_data())
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "policy" in exc.error_dict:
                for error in exc.error_dict["policy"]:
                    form.add_error("policy_json", error)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("The usage policy of the resource was saved."))
            return redirect("access:resource_policy", pk=pk)
    return render(
        request,
        "access/resource_policy.html",
        {
            "form": form,
            "resource": resource,
            "editable": editable,
            "policy_text": usage_policy.describe_document(resource.usage_policy),
            "policy_sections": usage_policy.describe_sections(resource.usage_policy),
        },
    )
