"""Every change the assistant makes: take a turn, confirm a draft, delete a conversation.

`take_turn` reads the problem statement (the offline pipeline, or the optional language
model with the offline pipeline as its fallback), runs the tools (`assistant.tools`: the
hub's own search, eligibility, fee, capacity reads and two drafting steps), and stores the
turn with every tool call and the drafts. It creates no need and no access request: only
`confirm_draft`, on the owner's explicit confirmation, does, through the catalog's need
service and the access request service, which check every rule again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from synergy_hub.access import services as access_services
from synergy_hub.accounts.models import OrganisationKind, User
from synergy_hub.accounts.permissions import require_member
from synergy_hub.assistant import explain, llm, tools
from synergy_hub.assistant.models import Conversation, Draft, Turn
from synergy_hub.assistant.need_json import need_from_json, need_to_json, plain
from synergy_hub.assistant.understanding.need import UnderstoodNeed
from synergy_hub.assistant.understanding.pipeline import understand
from synergy_hub.assistant.vocabulary import DraftKind, DraftState, Reader, Speaker
from synergy_hub.audit.services import record
from synergy_hub.catalog import services as catalog_services
from synergy_hub.validation import FieldErrors

logger = logging.getLogger(__name__)

SME_ONLY = frozenset({OrganisationKind.SME})
#: Characters a problem statement may have.
MAX_TEXT = 2000
#: Turns a conversation may hold; a new conversation starts after that.
MAX_TURNS = 200
#: Fields of a drafted access request the user may change when confirming.
REQUEST_FIELDS = (
    "quantity",
    "starts_on",
    "ends_on",
    "purpose",
    "purpose_code",
    "intended_use",
    "note",
)
NEED_FIELDS = (
    "title",
    "description",
    "resource_types",
    "region",
    "budget",
    "wanted_from",
    "wanted_until",
)


@dataclass(frozen=True)
class Reading:
    need: UnderstoodNeed
    read_by: str
    notes: tuple[str, ...]


def _fallback_note(reason: str) -> str:
    if reason == "timeout":
        return _(
            "The language model did not answer in time; I read your words with the offline rules."
        )
    if reason == "malformed":
        return _(
            "The language model's answer was not usable; I read your words with the offline rules."
        )
    return _("The language model could not be reached; I read your words with the offline rules.")


def read_statement(
    text: str, previous: UnderstoodNeed | None, today: date, log: tools.ToolLog
) -> Reading:
    """The need in the words: the language model when configured, else (or on failure) offline."""
    endpoint = llm.configured()
    if endpoint is not None:
        try:
            need = llm.extract(endpoint, text, previous, today)
        except llm.LlmUnavailable as exc:
            logger.warning("assistant language model unavailable: %s", exc)
            note = _fallback_note(exc.reason)
            need = understand(text, previous=previous, today=today)
            log.add("understand", {"text": text[:200], "reader": Reader.OFFLINE}, note)
            return Reading(need, Reader.OFFLINE, (note,))
        log.add(
            "understand",
            {"text": text[:200], "reader": Reader.LLM},
            _("Read by the language model."),
        )
        return Reading(need, Reader.LLM, ())
    need = understand(text, previous=previous, today=today)
    log.add(
        "understand",
        {"text": text[:200], "reader": Reader.OFFLINE},
        _("Read by the offline rules."),
    )
    return Reading(need, Reader.OFFLINE, ())


def _clean_text(text: Any) -> str:
    errors = FieldErrors()
    clean = errors.text("text", text, max_length=MAX_TEXT, required=True)
    errors.raise_if_any()
    return str(clean)


def _reply_language(need: UnderstoodNeed) -> str:
    if need.language.startswith("zh"):
        return "zh-hans"
    if need.language.startswith("en"):
        return "en"
    return translation.get_language() or "en"


def take_turn(
    user: User,
    text: str,
    conversation: Conversation | None = None,
    *,
    edited: UnderstoodNeed | None = None,
    today: date | None = None,
) -> Turn:
    """Answer one message: understand it, run the tools, explain, draft; send nothing.

    `edited` is the "what I understood" card as the user corrected it: it replaces the
    reading of `text`. The answer turn is returned; the conversation is created with the
    first turn.
    """
    membership = require_member(user, kinds=SME_ONLY)
    organisation = membership.organisation
    if conversation is not None and conversation.owner_id != user.pk:
        raise PermissionDenied(_("This conversation is not yours."))
    text = _clean_text(text)
    today = today or timezone.localdate()
    previous = None
    if conversation is not None:
        last = conversation.turns.filter(speaker=Speaker.ASSISTANT).order_by("-position").first()
        previous = need_from_json(last.need) if last else None
        if conversation.turns.count() >= MAX_TURNS:
            raise ValidationError(
                {
                    "conversation": ValidationError(
                        _("This conversation is full: start a new one."), code="full"
                    )
                }
            )
    log = tools.ToolLog()
    if edited is not None:
        reading = Reading(edited, Reader.EDITED, ())
        log.add(
            "understand", {"reader": Reader.EDITED}, _("Your corrections were used as they are.")
        )
    else:
        reading = read_statement(text, previous, today, log)
    need = reading.need
    # Drafts describe the problem in the words it was first told; follow-ups only refine it.
    problem = text if conversation is None else _first_words(conversation, text)
    with translation.override(_reply_language(need)):
        items = tools.search(log, tools.search_request(need, problem), organisation)
        results = []
        request_drafts = []
        for item in items:
            found = tools.eligibility(log, item.resource, organisation)
            price = tools.fees(log, item.resource, need)
            room = tools.capacity_in_period(log, item.resource, need, today)
            results.append(explain.result_view(item, need, found, price, room))
            if found.status != "not_eligible":
                payload = tools.draft_request(log, item.resource, need, problem, today)
                request_drafts.append((item.resource, payload))
        need_payload = tools.draft_need(log, need, problem)
        notes = list(reading.notes)
        reply = explain.summary(need, results, notes)
        reply = _rephrased(reply, need, log, notes)
        understood = explain.understood_lines(need)
    with transaction.atomic(durable=True):
        if conversation is None:
            conversation = Conversation.objects.create(
                owner=user, organisation=organisation, title=" ".join(text.split())[:80]
            )
        else:
            conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        position = (conversation.turns.aggregate(last=Max("position"))["last"] or 0) + 1
        Turn.objects.create(
            conversation=conversation, position=position, speaker=Speaker.USER, text=text
        )
        answer = Turn.objects.create(
            conversation=conversation,
            position=position + 1,
            speaker=Speaker.ASSISTANT,
            text=reply,
            need=need_to_json(need) | {"understood": understood},
            read_by=reading.read_by,
            tool_calls=log.calls,
            results=results,
            notes=notes,
        )
        for resource, payload in request_drafts:
            Draft.objects.create(
                conversation=conversation,
                turn=answer,
                kind=DraftKind.ACCESS_REQUEST,
                resource=resource,
                payload=payload,
            )
        Draft.objects.create(
            conversation=conversation, turn=answer, kind=DraftKind.NEED, payload=need_payload
        )
        conversation.updated_at = timezone.now()
        conversation.save(update_fields=["updated_at"])
        record(
            actor=user,
            action="assistant.turn.taken",
            obj=answer,
            organisation_id=organisation.pk,
            after={
                "conversation": conversation.pk,
                "position": answer.position,
                "results": len(results),
            },
        )
    return answer


def _first_words(conversation: Conversation, fallback: str) -> str:
    """The conversation's opening statement: what a draft made from corrections describes."""
    first = conversation.turns.filter(speaker=Speaker.USER).order_by("position").first()
    return first.text if first else fallback


def _rephrased(reply: str, need: UnderstoodNeed, log: tools.ToolLog, notes: list[str]) -> str:
    endpoint = llm.configured()
    if endpoint is None:
        return reply
    language = "zh" if (translation.get_language() or "").startswith("zh") else "en"
    try:
        text = llm.rephrase(endpoint, reply, language)
    except llm.LlmUnavailable as exc:
        note = _(
            "The language model could not phrase the answer; it is given as the rules wrote it."
        )
        log.add("phrase", {"reader": Reader.LLM}, note)
        notes.append(note)
        logger.warning("assistant language model could not phrase: %s", exc)
        return reply
    log.add("phrase", {"reader": Reader.LLM}, _("Phrased by the language model."))
    return text


def confirm_draft(user: User, draft: Draft, changes: dict[str, Any] | None = None) -> Draft:
    """Send a drafted access request or save a drafted need, as its owner confirmed.

    The access request service and the need service check every rule again (eligibility,
    period, quantity) in their own transaction; a refusal leaves the draft pending and
    names the field. The draft is claimed before the service runs, so it is sent once.
    """
    require_member(user, kinds=SME_ONLY)
    if draft.conversation.owner_id != user.pk:
        raise PermissionDenied(_("This draft is not yours."))
    allowed = REQUEST_FIELDS if draft.kind == DraftKind.ACCESS_REQUEST else NEED_FIELDS
    data = dict(draft.payload) | {
        key: value for key, value in (changes or {}).items() if key in allowed and value is not None
    }
    if draft.kind == DraftKind.ACCESS_REQUEST and draft.resource is None:
        raise ValidationError(
            {"resource": ValidationError(_("The resource is no longer published."), code="gone")}
        )
    # Claim the draft first: a second click (or a second tab) finds it taken and sends nothing.
    with transaction.atomic(durable=True):
        claimed = Draft.objects.filter(pk=draft.pk, state=DraftState.PENDING).update(
            state=DraftState.SENDING
        )
    if not claimed:
        raise ValidationError(
            {"draft": ValidationError(_("This draft was already sent."), code="already_sent")}
        )
    created_request = None
    created_need = None
    try:
        if draft.kind == DraftKind.ACCESS_REQUEST:
            assert draft.resource is not None
            created_request = access_services.request_access(user, draft.resource, data)
        else:
            created_need = catalog_services.create_need(user, data)
    except BaseException:
        Draft.objects.filter(pk=draft.pk, state=DraftState.SENDING).update(state=DraftState.PENDING)
        raise
    with transaction.atomic(durable=True):
        Draft.objects.filter(pk=draft.pk).update(
            state=DraftState.SENT,
            confirmed_at=timezone.now(),
            payload=plain(data),
            access_request=created_request,
            need=created_need,
        )
        draft.refresh_from_db()
        record(
            actor=user,
            action="assistant.draft.confirmed",
            obj=draft,
            organisation_id=draft.conversation.organisation_id,
            after={
                "kind": draft.kind,
                "access_request": created_request.pk if created_request else None,
                "need": created_need.pk if created_need else None,
            },
        )
    return draft


def delete_conversation(user: User, conversation: Conversation) -> None:
    """Delete the conversation with its turns and pending drafts (sent ones stay sent)."""
    if conversation.owner_id != user.pk:
        raise PermissionDenied(_("This conversation is not yours."))
    with transaction.atomic(durable=True):
        record(
            actor=user,
            action="assistant.conversation.deleted",
            obj=conversation,
            organisation_id=conversation.organisation_id,
            after={"turns": conversation.turns.count()},
        )
        conversation.delete()
