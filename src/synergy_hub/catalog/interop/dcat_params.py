"""Read the DCAT endpoints' query parameters, refusing bad ones with a message naming them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .dcat_export import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

_OFFSET_WITHOUT_PLUS = re.compile(r"(T[\d:.]+) (\d{2}:?\d{2})$")


class BadParameter(ValueError):
    """A query parameter the catalog cannot use; the message says which and why."""


@dataclass(frozen=True)
class CatalogParams:
    page: int
    page_size: int
    modified_since: datetime | None


def _positive(params: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(
            _("%(name)s must be a whole number, not “%(value)s”.")
            % {"name": name, "value": raw[:40]}
        ) from None
    if not 1 <= value <= maximum:
        raise BadParameter(
            _("%(name)s must be between 1 and %(max)d.") % {"name": name, "max": maximum}
        )
    return value


def parse_moment(raw: str) -> datetime:
    """An ISO 8601 date or date-time; a naive one is read in the site's time zone."""
    text = _OFFSET_WITHOUT_PLUS.sub(r"\1+\2", raw.strip())  # "+08:00" arrives as " 08:00"
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            _("modified_since must be an ISO 8601 date or date-time, not “%(value)s”.")
            % {"value": raw[:40]}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_catalog_params(params: Mapping[str, str]) -> CatalogParams:
    """Read `page`, `page_size` and `modified_since`."""
    since = params.get("modified_since", "").strip()
    return CatalogParams(
        page=_positive(params, "page", 1, 10**9),
        page_size=_positive(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        modified_since=parse_moment(since) if since else None,
    )
