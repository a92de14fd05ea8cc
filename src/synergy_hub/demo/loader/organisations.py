"""The demo's organisations and people: the programme office, the publishers, the SMEs,
one log-in per role and the sign-ups awaiting a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from synergy_hub.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
    Tier,
    User,
)
from synergy_hub.accounts.uscc import generate_uscc
from synergy_hub.demo import content
from synergy_hub.demo.loader.common import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    RESOURCES_PER_LIST,
    DemoBuilderBase,
    aware,
)


@dataclass
class DemoLogins:
    """The accounts printed after loading, one per role."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)


class OrganisationsStep(DemoBuilderBase):
    """Adds the organisations and their users to the demo."""

    # --- organisations ----------------------------------------------------------------------

    def organisations(self) -> tuple[Organisation, list[Organisation], list[Organisation]]:
        """The programme office, the publishers (scaled with the catalog) and the SMEs."""
        office = Organisation.objects.create(
            kind=OrganisationKind.AUTHORITY,
            name_zh="平台经济融通发展工作专班",
            name_en="Platform Economy Collaboration Programme Office",
            uscc=self._uscc_for_authority(),
            region_id="110000",
            industry_id="91",
            status=OrganisationStatus.APPROVED,
            decided_at=aware(self.today - timedelta(days=330)),
            created_at=aware(self.today - timedelta(days=330)),
        )

        seeds = list(content.PUBLISHERS)
        wanted = max(len(seeds), self.resource_target // (RESOURCES_PER_LIST * 3 * 8))
        extra = wanted - len(seeds)
        for index in range(extra):
            base = seeds[index % len(content.PUBLISHERS)]
            number = index // len(content.PUBLISHERS) + 2
            seeds.append(
                content.OrganisationSeed(
                    base.kind,
                    f"{base.name_zh[:-6]}第{number}分公司",
                    f"{base.name_en.removesuffix(' Co., Ltd.')} Branch {number} Co., Ltd.",
                    self.rng.choice(self.prefectures).code,
                    base.industry,
                    base.employees // number,
                    base.revenue // number,
                    base.total_assets // number,
                    base.focus,
                )
            )
        publishers = [self._organisation(seed) for seed in seeds]
        Organisation.objects.bulk_create(publishers, batch_size=500)
        self.publisher_focus = {
            org.pk: seed.focus for org, seed in zip(publishers, seeds, strict=True)
        }
        # The publishers behind the operator's and the provider's demo log-ins (see users()).
        first_provider = next(
            (org for org in publishers if org.kind == OrganisationKind.PROVIDER), publishers[0]
        )
        self.open_publishers = {publishers[0].pk, first_provider.pk}

        smes: list[Organisation] = []
        bar = self.progress("SMEs", self.sme_target)
        for index in range(self.sme_target):
            word = content.SME_WORDS[index % len(content.SME_WORDS)]
            line = content.SME_LINES[
                (index // len(content.SME_WORDS) + index) % len(content.SME_LINES)
            ]
            region = self.prefectures[self.rng.randrange(len(self.prefectures))]
            city_zh = region.name_zh.removesuffix("市").removesuffix("地区")[:4]
            employees = int(
                self.rng.choice([6, 15, 40, 90, 180, 260, 450]) * self.rng.uniform(0.7, 1.3)
            )
            revenue = int(
                self.rng.choice([120, 400, 1500, 4000, 9000, 18000]) * self.rng.uniform(0.6, 1.4)
            )
            assets = int(revenue * self.rng.uniform(0.8, 1.6))
            seed = content.OrganisationSeed(
                "sme",
                f"{city_zh}{word[0]}{line[0]}",
                f"{region.name_en.split(' ')[0]} {word[1]} {line[1]}",
                region.code,
                line[2],
                employees,
                revenue,
                assets,
                (),
            )
            tier = self.rng.choices(
                [Tier.NONE, Tier.INNOVATIVE, Tier.SRDI, Tier.LITTLE_GIANT], weights=[60, 25, 12, 3]
            )[0]
            smes.append(self._organisation(seed, tier=tier))
            bar.update(1)
        bar.close()
        Organisation.objects.bulk_create(smes, batch_size=500)
        self.sme_domain = {
            org.pk: content.SME_LINES[(i // len(content.SME_WORDS) + i) % len(content.SME_LINES)][3]
            for i, org in enumerate(smes)
        }
        return office, publishers, smes

    def _uscc_for_authority(self) -> str:
        while True:
            code = generate_uscc(self.rng, "110000", department="1", organisation_type="1")
            if code not in self.used_usccs:
                self.used_usccs.add(code)
                return code

    # --- users ----------------------------------------------------------------------------

    def users(
        self, office: Organisation, publishers: list[Organisation], smes: list[Organisation]
    ) -> tuple[DemoLogins, dict[int, User]]:
        """One log-in per role, plus an editor for every publisher (lists need an author)."""
        logins = DemoLogins()
        officer = self._user(f"officer@{DEMO_DOMAIN}", "王敏 Wang Min")
        # Back-office access to read what the API shows officers, but no superuser: the
        # officer may not read parties' agreements, usage or needs there (decision 0016).
        officer.is_staff = True
        officer.is_superuser = False
        officer.save()
        Membership.objects.create(user=officer, organisation=office, role=Role.ADMIN)
        logins.rows.append(("programme officer", officer.email, DEMO_PASSWORD))

        authors: dict[int, User] = {}
        memberships = []
        provider_login_made = False
        for index, publisher in enumerate(publishers):
            if index == 0:
                email, label = f"operator@{DEMO_DOMAIN}", "platform operator"
            elif publisher.kind == OrganisationKind.PROVIDER and not provider_login_made:
                email, label = f"provider@{DEMO_DOMAIN}", "service provider"
                provider_login_made = True
            elif index == len(publishers) - 1:
                # One of the pilot reviewers (programmes.reviewers_for_demo).
                email, label = f"reviewer@{DEMO_DOMAIN}", "pilot reviewer"
            else:
                email, label = f"publisher{index:03d}@{DEMO_DOMAIN}", ""
            user = User(
                email=email, full_name=publisher.name_zh[:6] + "运营", password=self.password_hash
            )
            authors[publisher.pk] = user
            if label:
                logins.rows.append((label, email, DEMO_PASSWORD))
                self.login_users[label] = user
        User.objects.bulk_create(list(authors.values()), batch_size=500)
        for publisher_pk, user in authors.items():
            memberships.append(Membership(user=user, organisation_id=publisher_pk, role=Role.ADMIN))
        sme_user = self._user(f"sme@{DEMO_DOMAIN}", "李娜 Li Na")
        memberships.append(Membership(user=sme_user, organisation=smes[0], role=Role.ADMIN))
        Membership.objects.bulk_create(memberships, batch_size=500)
        logins.rows.append(("SME user", sme_user.email, DEMO_PASSWORD))
        authors[smes[0].pk] = sme_user
        self.officer = officer
        return logins, authors

    def pending_signups(self) -> None:
        """Two registrations waiting for the officer's decision."""
        for index, (zh, en, region, industry, employees, revenue) in enumerate(
            [
                (
                    "杭州云织科技有限公司",
                    "Hangzhou Yunzhi Technology Co., Ltd.",
                    "330100",
                    "18",
                    35,
                    900,
                ),
                (
                    "佛山智造模具有限公司",
                    "Foshan Zhizao Mould Co., Ltd.",
                    "440600",
                    "35",
                    120,
                    5200,
                ),
            ]
        ):
            seed = content.OrganisationSeed(
                "sme", zh, en, region, industry, employees, revenue, revenue, ()
            )
            org = self._organisation(seed)
            org.status = OrganisationStatus.PENDING
            org.decided_at = None
            org.created_at = aware(self.today - timedelta(days=index + 1))
            org.save()
            user = self._user(f"signup{index + 1}@{DEMO_DOMAIN}", en.split(" ")[1])
            Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)
