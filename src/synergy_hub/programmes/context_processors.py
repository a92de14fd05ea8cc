"""The plan's live progress for any page that shows the targets (the home page's cards).

Given as a lazy value: the counts are read only by a template that uses them, so other
pages pay nothing. The catalog's home page shows it without importing this app.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from synergy_hub.programmes.selectors import kpi_counts


def plan_progress(request: HttpRequest) -> dict[str, Any]:
    return {"plan_progress": SimpleLazyObject(kpi_counts)}
