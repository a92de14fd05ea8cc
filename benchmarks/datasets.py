"""Where benchmarks find the public data sets (`../shared/data` beside the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("SYNERGY_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
