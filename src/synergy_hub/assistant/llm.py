"""The optional language model: an OpenAI-compatible chat-completions endpoint.

Configured by `SYNERGY_ASSISTANT_LLM_URL`, `…_KEY`, `…_MODEL` and `…_TIMEOUT` (off while the
URL is empty). It is asked for two things only: the fields of an `UnderstoodNeed` as JSON
(checked strictly against the catalog's vocabularies, the GB/T 2260 and GB/T 4754 tables),
and a short rephrasing of the reply. It never calls tools and never writes: the same tools
run and the same confirmation rule holds whatever read the words. Any timeout, HTTP error
or answer that is not the JSON asked for raises `LlmUnavailable`, and the caller falls
back to the offline reading and says so on the turn.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from synergy_hub.assistant.need_json import need_to_json
from synergy_hub.assistant.understanding.need import Quantity, UnderstoodNeed
from synergy_hub.catalog.vocabulary import ResourceType, Unit
from synergy_hub.eligibility import industries, regions

#: The most a model answer may hold (bytes); a longer one is treated as malformed.
MAX_ANSWER_BYTES = 64 * 1024
MAX_BUDGET = Decimal(10**12)
MAX_ITEMS = 10
MAX_TEXT = 500

FIELDS = (
    "resource_types",
    "region_codes",
    "industry_codes",
    "budget_max_yuan",
    "wanted_from",
    "wanted_until",
    "deadline",
    "quantities",
    "certifications",
    "constraints",
    "query",
    "language",
    "unit_price_max_yuan",
    "price_preference",
)


class LlmUnavailable(Exception):
    """The model gave no usable answer; `reason` is one of timeout, http, malformed."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class LlmSettings:
    url: str
    key: str
    model: str
    timeout: float


def configured() -> LlmSettings | None:
    """The endpoint from the settings, or None when the language model is off."""
    url = (getattr(settings, "SYNERGY_ASSISTANT_LLM_URL", "") or "").strip()
    if not url:
        return None
    if not url.rstrip("/").endswith("/chat/completions"):
        url = url.rstrip("/") + "/chat/completions"
    return LlmSettings(
        url=url,
        key=getattr(settings, "SYNERGY_ASSISTANT_LLM_KEY", ""),
        model=getattr(settings, "SYNERGY_ASSISTANT_LLM_MODEL", "") or "default",
        timeout=float(getattr(settings, "SYNERGY_ASSISTANT_LLM_TIMEOUT", 20)),
    )


def chat(endpoint: LlmSettings, messages: list[dict[str, str]], *, as_json: bool) -> str:
    """One chat completion: the content of the first choice's message."""
    if not endpoint.url.startswith(("http://", "https://")):
        raise LlmUnavailable("http", "only http and https endpoints are called")
    body: dict[str, Any] = {"model": endpoint.model, "messages": messages, "temperature": 0}
    if as_json:
        body["response_format"] = {"type": "json_object"}
    headers = {"Content-Type": "application/json"}
    if endpoint.key:
        headers["Authorization"] = f"Bearer {endpoint.key}"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        endpoint.url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:  # noqa: S310
            raw = response.read(MAX_ANSWER_BYTES + 1)
    except TimeoutError as exc:
        raise LlmUnavailable("timeout", str(exc)) from exc
    except urllib.error.HTTPError as exc:
        raise LlmUnavailable("http", f"HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise LlmUnavailable("timeout", str(exc.reason)) from exc
        raise LlmUnavailable("http", str(exc.reason)) from exc
    except OSError as exc:
        raise LlmUnavailable("http", str(exc)) from exc
    if len(raw) > MAX_ANSWER_BYTES:
        raise LlmUnavailable("malformed", "answer too long")
    try:
        answer = json.loads(raw)
        content = answer["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LlmUnavailable("malformed", "not a chat completion") from exc
    if not isinstance(content, str):
        raise LlmUnavailable("malformed", "content is not text")
    return content


_INSTRUCTIONS = (
    "You read an SME's problem statement (Chinese, English or both) for an open-resource "
    "catalog. Answer with ONE JSON object and nothing else, with these keys (omit unknown "
    "ones): resource_types (list, from: {types}), region_codes (list of 6-digit GB/T 2260 "
    "codes, most specific first), industry_codes (list of GB/T 4754 codes: a section letter "
    "or a 2-digit division), budget_max_yuan (number), wanted_from, wanted_until, deadline "
    '(YYYY-MM-DD; today is {today}), quantities (list of {{"amount": number, "unit": '
    "one of {units}}}), certifications (list of scheme names such as CE, CCC, FCC), "
    "constraints (list of short texts), query (search words for the catalog), language "
    "(zh, en or mixed), unit_price_max_yuan (number: a ceiling per unit), "
    'price_preference ("lower" when cheaper offers are asked for, else omitted). If a '
    "previous need is given, the statement refines it: return the whole updated need."
)


def _fail(field: str) -> LlmUnavailable:
    return LlmUnavailable("malformed", f"field {field}")


def _strings(data: dict[str, Any], field: str, allowed: Any = None) -> tuple[str, ...]:
    value = data.get(field, [])
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise _fail(field)
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_TEXT:
            raise _fail(field)
        if allowed is not None and not allowed(item.strip()):
            raise _fail(field)
        out.append(item.strip())
    return tuple(dict.fromkeys(out))


def _date(data: dict[str, Any], field: str) -> date | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise _fail(field)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _fail(field) from exc


def _amount(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(field)
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise _fail(field) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise _fail(field)
    return amount


def need_from_answer(content: str, original: str) -> UnderstoodNeed:
    """The model's JSON read strictly into a need: any unknown key or value is refused."""
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise LlmUnavailable("malformed", "not JSON") from exc
    if not isinstance(data, dict) or set(data) - set(FIELDS):
        raise LlmUnavailable("malformed", "not an object of the need's fields")
    budget = data.get("budget_max_yuan")
    quantities = data.get("quantities", [])
    if not isinstance(quantities, list) or len(quantities) > MAX_ITEMS:
        raise _fail("quantities")
    read_quantities = []
    for item in quantities:
        if not isinstance(item, dict) or item.get("unit") not in Unit.values:
            raise _fail("quantities")
        amount = _amount(item.get("amount"), "quantities")
        if amount == 0:
            raise _fail("quantities")
        read_quantities.append(Quantity(amount=amount, unit=item["unit"]))
    query = data.get("query", "")
    language = data.get("language", "")
    if not isinstance(query, str) or len(query) > MAX_TEXT:
        raise _fail("query")
    if language not in ("", "zh", "en", "mixed"):
        raise _fail("language")
    preference = data.get("price_preference", "")
    if preference not in ("", "lower"):
        raise _fail("price_preference")
    unit_price = data.get("unit_price_max_yuan")
    wanted_from, wanted_until = _date(data, "wanted_from"), _date(data, "wanted_until")
    if wanted_from and wanted_until and wanted_until < wanted_from:
        raise _fail("wanted_until")
    need = UnderstoodNeed(
        resource_types=_strings(data, "resource_types", lambda t: t in ResourceType.values),
        region_codes=_strings(data, "region_codes", regions.is_valid_region),
        industry_codes=_strings(data, "industry_codes", industries.is_valid_industry),
        budget_max_yuan=None if budget is None else _amount(budget, "budget_max_yuan"),
        wanted_from=wanted_from,
        wanted_until=wanted_until,
        deadline=_date(data, "deadline"),
        quantities=tuple(read_quantities),
        certifications=_strings(data, "certifications"),
        constraints=_strings(data, "constraints"),
        query=query.strip() or original[:MAX_TEXT],
        language=language,
        evidence={"source": "language model"},
        unit_price_max_yuan=(
            None if unit_price is None else _amount(unit_price, "unit_price_max_yuan")
        ),
        price_preference=preference,
    )
    return need


def extract(
    endpoint: LlmSettings, text: str, previous: UnderstoodNeed | None, today: date
) -> UnderstoodNeed:
    """Ask the model for the need in a problem statement (LlmUnavailable when it fails)."""
    system = _INSTRUCTIONS.format(
        types=", ".join(ResourceType.values), units=", ".join(Unit.values), today=today
    )
    messages = [{"role": "system", "content": system}]
    if previous is not None:
        earlier = {k: v for k, v in need_to_json(previous).items() if k in FIELDS}
        messages.append(
            {"role": "user", "content": "Previous need: " + json.dumps(earlier, ensure_ascii=False)}
        )
    messages.append({"role": "user", "content": text})
    return need_from_answer(chat(endpoint, messages, as_json=True), text)


def rephrase(endpoint: LlmSettings, reply: str, language: str) -> str:
    """The reply said more naturally; the facts in it must stay (LlmUnavailable on failure)."""
    messages = [
        {
            "role": "system",
            "content": (
                "Rewrite the assistant reply below for a small-business owner in plain, "
                f"friendly {'Simplified Chinese' if language == 'zh' else 'English'}. Keep "
                "every number, name and the sentence about confirmation. Answer with the "
                "reply only."
            ),
        },
        {"role": "user", "content": reply},
    ]
    text = chat(endpoint, messages, as_json=False).strip()
    if not text or len(text) > 4 * len(reply) + 200:
        raise LlmUnavailable("malformed", "empty or runaway reply")
    return text
