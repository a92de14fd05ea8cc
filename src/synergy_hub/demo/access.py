"""Demo access requests and agreements, so every access inbox starts with work in it.

The demo SME asks the demo operator and the demo provider for resources open to it, and
three other SMEs ask too: requests wait for an answer, offers wait for the SME, a counter
offer waits for the provider, one request is refused with reasons and one withdrawn, and
two agreements are in use with a metered history (one use denied by the policy).

Everything goes through the access services, so the rows, capacity bookings, audit events
and notifications are the ones real users would make. Those services run in durable
transactions of their own, so this step runs after the loader's transaction. The services
stamp the present; an agreement's history (when it was agreed, when it started, when each
use happened) is then dated back over the previous weeks so the usage log and its chart
have something to show — the audit log keeps the true load time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from synergy_hub.access import services
from synergy_hub.access.models import AccessRequest, Agreement, Offer
from synergy_hub.accounts.models import Membership, Organisation, Role, User
from synergy_hub.catalog.eligibility import eligibility_problems
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.selectors import published_resources

#: Purposes SMEs state, in their words: (purpose code, text, intended use).
PURPOSES: tuple[tuple[str, str, str], ...] = (
    (
        "research",
        "新产品研发验证 / validating a new product design",
        "仅用于本公司研发测试，不对外提供。 / Only for our own R&D tests, never passed on.",
    ),
    (
        "commercial",
        "量产前的质量把关 / quality checks before volume production",
        "检测结果用于向客户出具质量说明。 / Results back our quality statement to customers.",
    ),
    (
        "internal",
        "提升内部生产效率 / making our own production more efficient",
        "在本公司产线内部使用。 / Used inside our own production line only.",
    ),
)
REASONS = {
    "facts": "申请期间该设备已全部排满，无法保证检测周期。 / The requested period is fully booked.",
    "ground": "开放清单使用条件第3条：按排期先后受理。 / "
    "List terms, clause 3: first come, first served.",
    "redress": "可改选下月档期重新申请，或通过平台投诉渠道申诉。 / Ask for next month's slots, "
    "or complain through the hub.",
}


@dataclass
class AccessDemo:
    """Who takes part: the demo SME and its peers, the operator and the provider."""

    rng: random.Random
    sme_users: list[User]
    operator: User
    provider: User
    units: dict[int, int] = field(default_factory=dict)  # the most one use takes, by resource

    def _resources(self, publisher_id: int, consumer: Organisation) -> list[Resource]:
        found = (
            published_resources()
            .filter(openness_list__publisher_id=publisher_id)
            .select_related("openness_list")
            .prefetch_related("regions", "industries")
            .order_by("pk")
        )
        return [r for r in found if not eligibility_problems(r, consumer)]

    def _request(
        self, user: User, resource: Resource, *, quantity: int, days: int, research: bool = False
    ) -> AccessRequest:
        code, purpose, intended = PURPOSES[0] if research else self.rng.choice(PURPOSES)
        today = timezone.localdate()
        if resource.capacity is not None:  # ask for what the slots can give
            quantity = max(1, min(quantity, int(resource.capacity) // 4))
        return services.request_access(
            user,
            resource,
            {
                "purpose": purpose,
                "purpose_code": code,
                "intended_use": intended,
                "quantity": str(quantity),
                "starts_on": today,
                "ends_on": today + timedelta(days=days),
                "note": "",
            },
        )

    def _offer(self, user: User, request: AccessRequest, **extra: Any) -> None:
        first = request.offers.order_by("sequence").first()
        assert first is not None
        price = first.price if first.price is not None else request.resource.price
        services.make_offer(
            user,
            request,
            {
                "price": str(price) if price is not None else "",
                "quantity": str(first.quantity),
                "starts_on": first.starts_on,
                "ends_on": first.ends_on,
                "note": "可按此条件开通。 / We can open it on these terms.",
                **extra,
            },
        )

    def _agreement(
        self, sme: User, provider: User, resource: Resource, policy: dict[str, Any]
    ) -> Agreement:
        request = self._request(sme, resource, quantity=400, days=60, research=True)
        self.units[resource.pk] = max(1, int(request.offers.get().quantity) // 40)
        self._offer(provider, request, **policy)
        services.accept_offer(sme, request)
        return services.agree(provider, request)

    def _history(self, agreement: Agreement, provider: User, days: int) -> int:
        """Date the agreement back `days` days and meter a use on most days since."""
        now = timezone.now()
        started = timezone.localtime(now - timedelta(days=days)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        agreed = started - timedelta(days=2)
        AccessRequest.objects.filter(pk=agreement.access_request_id).update(
            created_at=agreed - timedelta(days=3), updated_at=agreed
        )
        Offer.objects.filter(access_request_id=agreement.access_request_id).update(
            created_at=agreed - timedelta(days=1)
        )
        Agreement.objects.filter(pk=agreement.pk).update(starts_at=started, created_at=agreed)
        uses = 0
        for day in range(days):
            if self.rng.random() < 0.25:
                continue
            at: datetime = started + timedelta(days=day, hours=self.rng.randint(9, 18))
            services.record_use(
                provider,
                Agreement.objects.get(pk=agreement.pk),
                {
                    "quantity": str(self.rng.randint(1, self.units[agreement.resource_id])),
                    "occurred_at": at,
                },
            )
            uses += 1
        return uses

    def build(self) -> dict[str, int]:
        sme, *others = self.sme_users
        consumer = sme.memberships.get().organisation
        operator_org = self.operator.memberships.get().organisation_id
        provider_org = self.provider.memberships.get().organisation_id
        from_provider = self._resources(provider_org, consumer)
        from_operator = self._resources(operator_org, consumer)
        if len(from_provider) < 6 or len(from_operator) < 4 or len(others) < 3:
            return {"access requests": 0, "agreements": 0, "metered uses": 0}
        peer_a, peer_b, peer_c = others[:3]

        def roomiest(found: list[Resource]) -> Resource:
            best = max(found, key=lambda r: r.capacity if r.capacity is not None else 10**9)
            found.remove(best)
            return best

        # The agreements take the resources with the most capacity; requests the others.
        for_provider, for_operator = roomiest(from_provider), roomiest(from_operator)
        p = iter(from_provider)
        o = iter(from_operator)

        # The provider's inbox: two new requests, a counter offer to answer; an offer waits
        # for an SME; one refused with reasons, one withdrawn.
        self._request(sme, next(p), quantity=12, days=30)
        self._request(peer_a, next(p), quantity=5, days=14)
        countered = self._request(sme, next(p), quantity=20, days=45)
        self._offer(self.provider, countered)
        first = countered.offers.order_by("sequence").first()
        assert first is not None
        services.counter_offer(
            sme,
            countered,
            {
                "price": str(first.price or ""),
                "quantity": str(max(1, int(first.quantity) * 3 // 4)),
                "starts_on": first.starts_on,
                "ends_on": first.ends_on,
                "note": "数量减少一些，可否按原价？ / A little less, at the same price?",
            },
        )
        waiting = self._request(peer_b, next(p), quantity=8, days=30)
        self._offer(self.provider, waiting)
        refused = self._request(peer_c, next(p), quantity=30, days=20)
        services.reject_request(self.provider, refused, REASONS)
        withdrawn = self._request(peer_a, next(p), quantity=3, days=10)
        services.withdraw_request(peer_a, withdrawn)

        # The demo SME: an offer from the operator to accept, one accepted and waiting for
        # the operator's agreement, and a request of a peer in the operator's inbox.
        offered = self._request(sme, next(o), quantity=10, days=30)
        self._offer(self.operator, offered)
        accepted = self._request(sme, next(o), quantity=6, days=20)
        self._offer(self.operator, accepted)
        services.accept_offer(sme, accepted)
        self._request(peer_b, next(o), quantity=25, days=60)

        # Two agreements in use: the operator's with conditions (research only, no passing
        # on), the provider's with the resource's default policy; one use refused.
        conditions = {"templates": ["research_only", "no_redistribution"], "purpose": "research"}
        with_conditions = self._agreement(sme, self.operator, for_operator, conditions)
        uses = self._history(with_conditions, self.operator, 24)
        services.record_use(
            self.operator,
            with_conditions,
            {"action": "distribute", "quantity": "1", "note": "转给合作方 / passed to a partner"},
        )
        plain = self._agreement(sme, self.provider, for_provider, {})
        uses += self._history(plain, self.provider, 12) + 1
        return {
            "access requests": AccessRequest.objects.count(),
            "agreements": Agreement.objects.count(),
            "metered uses": uses,
        }


def sme_users(
    smes: list[Organisation], demo_user: User, password_hash: str, domain: str
) -> list[User]:
    """The demo SME's user and one administrator for each of three other SMEs."""
    users = [demo_user]
    for number, organisation in enumerate(smes[1:4], start=2):
        user = User.objects.create(
            email=f"sme{number}@{domain}",
            full_name=organisation.name_zh[:4] + "负责人",
            password=password_hash,
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
        users.append(user)
    return users


def load_access(
    rng: random.Random, users: list[User], operator: User, provider: User
) -> dict[str, int]:
    """Create the demo's access requests and agreements; returns their counts.

    The demo accounts' addresses are invented: the notifications are kept in the site and
    no e-mail is sent for them.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return AccessDemo(rng, users, operator, provider).build()


__all__ = ["load_access", "sme_users"]
