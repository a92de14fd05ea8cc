"""The assistant page in the SME workspace: htmx posts a message and appends the answer.

Every view is thin: it reads a form, calls one service, and renders a part of the page
(the whole page when htmx is not there). Conversations are looked up through their owner.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.permissions import require_member
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.assistant import selectors, services
from synergy_hub.assistant.editing import need_from_card
from synergy_hub.assistant.forms import MessageForm, NeedCardForm, card_choices, card_initial
from synergy_hub.assistant.models import Conversation, Draft, Turn
from synergy_hub.assistant.vocabulary import DraftKind, Speaker
from synergy_hub.web.form_errors import apply_service_errors


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def turn_view(turn: Turn, choices: tuple[list[Any], list[Any]] | None = None) -> dict[str, Any]:
    """What the page shows of one turn: its card form and its drafts by result."""
    view: dict[str, Any] = {"turn": turn}
    if turn.speaker == Speaker.ASSISTANT:
        drafts = list(turn.drafts.all())
        by_resource = {d.resource_id: d for d in drafts if d.kind == DraftKind.ACCESS_REQUEST}
        view["card"] = NeedCardForm(
            initial=card_initial(turn.need), prefix=f"t{turn.pk}", choices=choices
        )
        view["results"] = [
            {**result, "draft": by_resource.get(result["resource"])} for result in turn.results
        ]
        view["need_draft"] = next((d for d in drafts if d.kind == DraftKind.NEED), None)
        view["understood"] = turn.need.get("understood", [])
    return view


def _page(request: AuthenticatedRequest, conversation: Conversation | None) -> HttpResponse:
    choices = card_choices()
    turns = (
        list(conversation.turns.prefetch_related("drafts").order_by("position"))
        if conversation
        else []
    )
    return render(
        request,
        "assistant/page.html",
        {
            "conversation": conversation,
            "conversations": selectors.own_conversations(request.user)[:30],
            "turns": [turn_view(turn, choices) for turn in turns],
            "form": MessageForm(),
        },
    )


@login_required
def assistant_page(request: AuthenticatedRequest) -> HttpResponse:
    """A new conversation, with the list of the user's earlier ones."""
    require_member(request.user, kinds=services.SME_ONLY)
    return _page(request, None)


@login_required
def conversation_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One of the user's conversations (404 for anyone else's)."""
    conversation = selectors.conversation_for_owner(request.user, pk)
    require_member(request.user, kinds=services.SME_ONLY)
    return _page(request, conversation)


def _answer(request: AuthenticatedRequest, turn: Turn, *, new: bool) -> HttpResponse:
    url = reverse("assistant:conversation", args=[turn.conversation_id])
    if not _is_htmx(request):
        return redirect(url)
    user_turn = turn.conversation.turns.get(position=turn.position - 1)
    response = render(
        request,
        "assistant/_exchange.html",
        {
            "turns": [turn_view(user_turn), turn_view(turn)],
            "conversation": turn.conversation,
            "form": MessageForm(),
            "oob": True,
        },
    )
    if new:
        response["HX-Push-Url"] = url
    return response


def _refused(
    request: AuthenticatedRequest, form: Any, conversation: Conversation | None
) -> HttpResponse:
    if not _is_htmx(request):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(
            reverse("assistant:conversation", args=[conversation.pk])
            if conversation
            else reverse("assistant:page")
        )
    return render(request, "assistant/_errors.html", {"form": form}, status=422)


@login_required
@require_POST
def send(request: AuthenticatedRequest) -> HttpResponse:
    """A message: a new conversation, or a follow-up in the one named (the user's own)."""
    raw = request.POST.get("conversation", "")
    conversation = (
        selectors.conversation_for_owner(request.user, int(raw)) if raw.isdigit() else None
    )
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            turn = services.take_turn(request.user, form.cleaned_data["text"], conversation)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _answer(request, turn, new=conversation is None)
    return _refused(request, form, conversation)


@login_required
@require_POST
def rerun(request: AuthenticatedRequest, pk: int, turn: int) -> HttpResponse:
    """Search again with the "what I understood" card as the user corrected it."""
    conversation = selectors.conversation_for_owner(request.user, pk)
    answered = conversation.turns.filter(pk=turn, speaker=Speaker.ASSISTANT).first()
    if answered is None:
        raise Http404("turn not found")
    form = NeedCardForm(request.POST, prefix=f"t{answered.pk}")
    if form.is_valid():
        try:
            edited = need_from_card(form.card())
            new_turn = services.take_turn(
                request.user, _("Search again with my corrections."), conversation, edited=edited
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _answer(request, new_turn, new=False)
    return _refused(request, form, conversation)


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Send the drafted request or save the drafted need: the one click that writes."""
    draft: Draft = selectors.draft_for_owner(request.user, pk)
    error = ""
    try:
        draft = services.confirm_draft(request.user, draft)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("assistant:conversation", draft.conversation_id)
    return render(request, "assistant/_draft.html", {"draft": draft, "error": error})


@login_required
@require_POST
def delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Delete the conversation with its turns."""
    conversation = selectors.conversation_for_owner(request.user, pk)
    services.delete_conversation(request.user, conversation)
    messages.success(request, _("The conversation was deleted."))
    return redirect("assistant:page")
