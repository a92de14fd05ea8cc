"""Demo tier evaluations and an open allocation round, so those pages start populated.

The demo SME enters two years of indicators that make it an SRDI SME (not yet a little
giant), keeps the evaluation and asks the programme office to verify it; the demo provider
opens an allocation round over its bookable resources for next week and three SMEs ask for
units. Everything goes through the tiers and access services (audit events included), after
the loader's transaction, as the access demo does.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from synergy_hub.access import services as access_services
from synergy_hub.access.services.capacity import is_bookable
from synergy_hub.accounts.models import User
from synergy_hub.catalog.eligibility import eligibility_problems
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.selectors import published_resources
from synergy_hub.tiers import services as tier_services

#: Two years of an SRDI SME's indicators (money in 10,000 CNY, shares in %), the second
#: short of a little giant's R&D and market thresholds.
INDICATORS: dict[int, dict[str, Any]] = {
    -2: {"revenue": "6800", "main_business_share": "86", "rd_spend": "310"},
    -1: {
        "revenue": "8200",
        "main_business_share": "88",
        "rd_spend": "360",
        "rd_staff_share": "18",
        "class_i_ip": 2,
        "ip_level": "class_i",
        "years_in_niche": 5,
        "niche_market_share": "6",
        "global_market_rank": 35,
        "debt_to_asset": "48",
        "equity_financing_3y": 0,
        "strategic_emerging": True,
        "st_award_3y": False,
        "high_tech_certificate": True,
        "provincial_rd_institution": False,
        "srdi_score": 72,
    },
}
EVIDENCE = (
    "Summary of the {year} audit report: operating revenue 82 million CNY, "
    "R&D spend 3.6 million CNY."
)


def _pdf(text: str) -> bytes:
    """A one-page PDF that shows `text` (the evidence an SME would upload)."""
    stream = f"BT /F1 11 Tf 40 780 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def load_cultivation(
    rng: random.Random, sme_user: User, provider: User, requesters: list[User]
) -> dict[str, int]:
    """Create the demo's tier evaluation, its verification request and an open round."""
    counts = {"tier_evaluations": 0, "verification_requests": 0, "rounds": 0, "round_requests": 0}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        year = timezone.localdate().year
        for offset, values in sorted(INDICATORS.items()):
            tier_services.save_indicators(sme_user, year + offset, values)
        kept = tier_services.keep_evaluation(sme_user, year - 1)
        counts["tier_evaluations"] = 1
        if kept.tier:
            evidence = SimpleUploadedFile(
                f"audit-summary-{year - 1}.pdf",
                _pdf(EVIDENCE.format(year=year - 1)),
                content_type="application/pdf",
            )
            tier_services.request_verification(
                sme_user,
                kept.pk,
                evidence,
                f"{year - 1}年度指标，审计报告见附件。 / The {year - 1} figures, audited.",
            )
            counts["verification_requests"] = 1
        counts |= _round(rng, provider, requesters)
    return counts


def _round(rng: random.Random, provider: User, requesters: list[User]) -> dict[str, int]:
    """The provider's round over up to three bookable resources, a week from now."""
    organisation = provider.memberships.get().organisation
    # A round's resources share their unit and capacity period: the largest such group.
    groups: dict[tuple[str, str], list[Resource]] = {}
    for resource in (
        published_resources().filter(openness_list__publisher=organisation).order_by("pk")
    ):
        if is_bookable(resource):
            groups.setdefault((resource.unit, resource.capacity_period), []).append(resource)
    if not groups:
        return {"rounds": 0, "round_requests": 0}
    candidates = max(groups.values(), key=len)[:3]
    start = timezone.localdate() + timedelta(days=7)
    the_round = access_services.open_round(
        provider,
        {
            "title": "下周共享检测与实验档期 / Shared test and lab slots, next week",
            "resources": [resource.pk for resource in candidates],
            "starts_on": start,
            "ends_on": start + timedelta(days=4),
            "fairness": "proportional",
        },
    )
    asked = 0
    for user in requesters:
        organisation = user.memberships.get().organisation
        open_to = [r for r in candidates if not eligibility_problems(r, organisation)]
        if not open_to:
            continue
        chosen: Resource = rng.choice(open_to)
        capacity = int(chosen.capacity or 1)
        try:
            access_services.request_in_round(
                user,
                the_round,
                {
                    "resource": chosen.pk,
                    "quantity": max(1, capacity * rng.choice((2, 3, 4))),
                    "minimum": 0,
                    "purpose": "小批量样品检测 / testing a small batch of samples",
                    "purpose_code": "research",
                },
            )
        except ValidationError:
            continue  # a demo SME the round's rules refuse simply does not ask
        asked += 1
    return {"rounds": 1, "round_requests": asked}


__all__ = ["load_cultivation"]
