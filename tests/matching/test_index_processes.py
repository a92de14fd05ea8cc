"""Several server processes share one index folder: a publication in one is searchable in all.

Each worker of the production server holds the index it loaded; every search compares the
folder's CURRENT file with it and loads the new generation another process published.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from synergy_hub.matching.engine.retrieval import HybridRetriever
from synergy_hub.matching.index import IndexStore

ROOT = Path(__file__).resolve().parents[2]
CATALOG = [
    ("cloud", "cloud computing platform for small enterprises"),
    ("data", "data analysis services and dashboards"),
]
PUBLISH_IN_ANOTHER_PROCESS = """
import sys
import django
django.setup()
from pathlib import Path
from synergy_hub.matching.index import IndexStore
IndexStore(Path(sys.argv[1]), None).apply({"solar": "solar panel maintenance robots"}, set())
"""


def test_a_generation_published_by_another_process_is_searched_at_once(tmp_path: Path) -> None:
    IndexStore(tmp_path, None)._publish(HybridRetriever.build(CATALOG))
    worker = IndexStore(tmp_path, None)
    assert not worker.retriever().search("solar panel", k=5)

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "synergy_hub.config.settings",
    }
    subprocess.run(
        [sys.executable, "-c", PUBLISH_IN_ANOTHER_PROCESS, str(tmp_path)],
        env=env,
        check=True,
        timeout=120,
    )
    published = time.monotonic()

    hits = worker.retriever().search("solar panel", k=5)
    assert [hit.doc_id for hit in hits] == ["solar"]
    assert time.monotonic() - published < 5
    assert {hit.doc_id for hit in worker.retriever().search("cloud computing", k=5)} >= {"cloud"}
