"""Locate the public data sets kept beside the checkout (`../shared/data`).

A user's clone may not have them: tests that need them skip with a clear reason.
`SYNERGY_SHARED_DATA` points elsewhere when the folder lives somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("SYNERGY_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def shared_data(*parts: str) -> Path:
    """Return the path inside the shared data folder, or skip the test when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"public data set not available: {path} (set SYNERGY_SHARED_DATA)")
    return path
