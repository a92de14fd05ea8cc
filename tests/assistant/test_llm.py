"""The optional language model, against a local server that speaks the chat-completions
protocol: its answer is used when valid; a timeout, an HTTP error or a malformed answer
falls back to the offline reading, and the turn says so."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from synergy_hub.access.models import AccessRequest
from synergy_hub.assistant import llm, services
from synergy_hub.assistant.need_json import need_from_json
from synergy_hub.catalog.models import Need
from tests.assistant.conftest import EXAMPLE
from tests.conftest import World

GOOD_NEED = {
    "resource_types": ["testing_certification"],
    "region_codes": ["330200"],
    "industry_codes": ["C"],
    "budget_max_yuan": 50000,
    "quantities": [{"amount": 2, "unit": "test_slot"}],
    "certifications": ["CE"],
    "query": "CE 检测 出口 德国",
    "language": "zh",
}


@dataclass
class FakeModel:
    """What the fake endpoint answers next: a need, a reply, raw text, a status or a delay."""

    need: Any = field(default_factory=lambda: GOOD_NEED)
    reply: str = "您好！我找到了合适的检测服务。"
    raw: bytes | None = None
    status: int = 200
    delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)


def _handler(model: FakeModel) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            model.requests.append(body)
            model.headers.append(self.headers.get("Authorization", ""))
            if model.delay:
                time.sleep(model.delay)
            if model.status != 200:
                self.send_response(model.status)
                self.end_headers()
                return
            if model.raw is not None:
                payload = model.raw
            else:
                wants_json = "response_format" in body
                content = json.dumps(model.need) if wants_json else model.reply
                payload = json.dumps(
                    {
                        "id": "x",
                        "object": "chat.completion",
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": content}}
                        ],
                    }
                ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):
                self.wfile.write(payload)

    return Handler


@pytest.fixture
def fake_model(settings: Any) -> Iterator[FakeModel]:
    model = FakeModel()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(model))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SYNERGY_ASSISTANT_LLM_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.SYNERGY_ASSISTANT_LLM_KEY = "secret-key"
    settings.SYNERGY_ASSISTANT_LLM_MODEL = "qwen-local"
    settings.SYNERGY_ASSISTANT_LLM_TIMEOUT = 1
    yield model
    server.shutdown()
    server.server_close()


def test_off_by_default(settings: Any) -> None:
    settings.SYNERGY_ASSISTANT_LLM_URL = ""
    assert llm.configured() is None


def test_the_model_reads_the_need_and_phrases_the_reply(
    world: World, catalog: dict[str, Any], fake_model: FakeModel
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    assert turn.read_by == "llm" and not turn.notes
    need = need_from_json(turn.need)
    assert need is not None and need.region_codes == ("330200",)
    assert need.quantities[0].unit == "test_slot"
    assert turn.text == fake_model.reply
    assert {"understand", "search", "phrase"} <= {c["tool"] for c in turn.tool_calls}
    first = fake_model.requests[0]
    assert first["model"] == "qwen-local" and first["messages"][-1]["content"] == EXAMPLE
    assert fake_model.headers[0] == "Bearer secret-key"
    # The same tools and the same rule: the results are drafts, nothing was sent.
    assert any(r["resource_type"] == "testing_certification" for r in turn.results)
    assert not AccessRequest.objects.exists() and not Need.objects.exists()


def test_a_follow_up_gives_the_model_the_previous_need(
    world: World, catalog: dict[str, Any], fake_model: FakeModel
) -> None:
    first = services.take_turn(world.sam, EXAMPLE)
    services.take_turn(world.sam, "cheaper", first.conversation)
    follow_up = fake_model.requests[2]["messages"]
    assert any("Previous need" in message["content"] for message in follow_up)


@pytest.mark.parametrize(
    ("setup", "reason_words"),
    [
        ({"delay": 1.6}, "in time"),
        ({"status": 500}, "could not be reached"),
        ({"status": 401}, "could not be reached"),
        ({"raw": b"<html>not json</html>"}, "not usable"),
        ({"raw": b'{"choices": []}'}, "not usable"),
        ({"need": "just words, no object"}, "not usable"),
        ({"need": {**GOOD_NEED, "resource_types": ["spaceships"]}}, "not usable"),
        ({"need": {**GOOD_NEED, "region_codes": ["999999"]}}, "not usable"),
        ({"need": {**GOOD_NEED, "budget_max_yuan": -5}}, "not usable"),
        ({"need": {**GOOD_NEED, "wanted_from": "next month"}}, "not usable"),
        ({"need": {**GOOD_NEED, "password": "x"}}, "not usable"),
        ({"need": {**GOOD_NEED, "quantities": [{"amount": 1, "unit": "barrel"}]}}, "not usable"),
    ],
)
def test_any_failure_falls_back_to_the_offline_reading_and_says_so(
    world: World,
    catalog: dict[str, Any],
    fake_model: FakeModel,
    setup: dict[str, Any],
    reason_words: str,
) -> None:
    for name, value in setup.items():
        setattr(fake_model, name, value)
    turn = services.take_turn(world.sam, EXAMPLE)
    assert turn.read_by == "offline"
    assert any(reason_words in note for note in turn.notes), turn.notes
    need = need_from_json(turn.need)
    assert need is not None and "testing_certification" in need.resource_types
    assert turn.results  # every feature still works


def test_an_unreachable_endpoint_falls_back(
    world: World, catalog: dict[str, Any], settings: Any
) -> None:
    settings.SYNERGY_ASSISTANT_LLM_URL = "http://127.0.0.1:9/v1"  # discard port: refused
    settings.SYNERGY_ASSISTANT_LLM_TIMEOUT = 1
    turn = services.take_turn(world.sam, EXAMPLE)
    assert turn.read_by == "offline" and turn.notes


def test_a_failed_rephrasing_keeps_the_rules_reply(
    world: World, catalog: dict[str, Any], fake_model: FakeModel
) -> None:
    fake_model.reply = ""
    turn = services.take_turn(world.sam, EXAMPLE)
    assert turn.read_by == "llm"
    assert "confirm" in turn.text or "确认" in turn.text
    assert any("phrase" in call["tool"] for call in turn.tool_calls)
    assert turn.notes
