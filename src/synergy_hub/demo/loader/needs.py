"""The demo SMEs' needs, in their own words."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog.models import Need
from synergy_hub.demo import content
from synergy_hub.demo.loader.common import DemoBuilderBase, aware

DEMO_SME_NEEDS = 4


class NeedsStep(DemoBuilderBase):
    """Adds the SMEs' needs to the demo."""

    def needs(self, smes: list[Organisation], authors: dict[int, User]) -> int:
        """SME needs in their own words, mostly Chinese, some English."""
        author = authors[smes[0].pk]
        domains = {d[0]: d for d in content.DOMAINS}
        rows = []
        bar = self.progress("needs", self.need_target)
        # The demo SME states several needs of its own, so its needs page is not empty.
        owners = [smes[0]] * min(DEMO_SME_NEEDS, self.need_target)
        owners += [smes[i % len(smes)] for i in range(1, self.need_target - len(owners) + 1)]
        for sme in owners:
            domain = domains[self.sme_domain[sme.pk]]
            resource_type, zh, en = self.rng.choice(content.NEED_PHRASES)
            chinese = self.rng.random() < 0.7
            context_zh, context_en = self.rng.choice(content.NEED_CONTEXTS)
            city_zh, city_en = self._city(sme)
            more = {"n": sme.employees, "city": city_zh if chinese else city_en}
            text = (
                zh.format(d=domain[1]) + "。" + context_zh.format(**more)
                if chinese
                else en.format(d=domain[2]) + ". " + context_en.format(**more)
            )
            title = zh.format(d=domain[1]) if chinese else en.format(d=domain[2])
            start = self.today + timedelta(days=self.rng.randint(0, 60))
            rows.append(
                Need(
                    organisation=sme,
                    created_by=author,
                    title=title[:40] if chinese else title[:80],
                    description=text,
                    resource_types=[resource_type],
                    region_id=sme.region_id if self.rng.random() < 0.5 else None,
                    budget=Decimal(self.rng.choice([5000, 20000, 50000, 100000, 300000]))
                    if self.rng.random() < 0.7
                    else None,
                    wanted_from=start,
                    wanted_until=start + timedelta(days=self.rng.choice([30, 90, 180])),
                    created_at=aware(self.today - timedelta(days=self.rng.randint(0, 90))),
                )
            )
            bar.update(1)
        bar.close()
        Need.objects.bulk_create(rows, batch_size=1000)
        return len(rows)
