"""Bilingual labels for the export: the same catalogue text in Chinese and English at once."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

ACCESS_TITLE = _("Access request")

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def in_both(text: Any) -> tuple[str, str]:
    """Render a lazily translated text as (Chinese, English) whatever the request's language."""
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh, en


def language_of(text: str) -> str:
    """Guess `zh` or `en` for an untagged text: any Chinese character makes it Chinese."""
    return "zh" if CJK.search(text) else "en"
