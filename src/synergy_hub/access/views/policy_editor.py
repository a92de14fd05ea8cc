"""The policy editor: live preview in both languages, and a resource's default policy."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.access import services, usage_policy
from synergy_hub.access.forms import PolicyEditorForm
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors as catalog_selectors
from synergy_hub.catalog import workflow as list_workflow


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


@login_required
def resource_policy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The publisher's default usage policy of a resource (only while its list is editable)."""
    resource = catalog_selectors.resource_for_publisher(request.user, pk)
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
        },
    )
