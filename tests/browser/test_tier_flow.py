"""In a browser, in both languages: an SME enters two years of indicators, sees that it is
an SRDI SME with what blocks "little giant", and follows a resource that could help."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.browser.test_publish_flow import PASSWORD, log_in, open_user_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = {"year": "2024", "revenue": "80", "main_business_share": "85", "rd_spend": "4"}
THIS_YEAR = {
    "year": "2025",
    "revenue": "90",
    "main_business_share": "85",
    "rd_spend": "3.6",
    "rd_staff_share": "20",
    "class_i_ip": "1",
    "years_in_niche": "4",
    "niche_market_share": "5",
    "global_market_rank": "40",
    "debt_to_asset": "50",
    "equity_financing_3y": "0",
    "srdi_score": "70",
}
CHOICES = {"ip_level": "class_i", "strategic_emerging": "yes", "high_tech_certificate": "no"}


def _enter(page: Any, values: dict[str, str], choices: dict[str, str]) -> None:
    form = "[data-testid=tier-form]"
    for name, value in values.items():
        page.fill(f"{form} input[name={name}]", value)
    for name, value in choices.items():
        page.select_option(f"{form} select[name={name}]", value)
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("[data-testid=tier-result]")


@pytest.mark.parametrize(
    ("locale", "tier", "blocker"),
    [
        ("en-US", "SRDI SME", "National niche market share 5 %: 5 percentage points short of 10 %"),
        ("zh-CN", "专精特新中小企业", "全国细分市场占有率 5 %：距 10 % 还差 5 个百分点"),
    ],
)
def test_an_sme_sees_its_tier_the_path_and_a_resource_that_helps(
    browser: Any, live_server: Any, locale: str, tier: str, blocker: str
) -> None:
    platform = factories.organisation(name_zh="云启数智科技有限公司", name_en="Yunqi Digital")
    sme = factories.organisation(OrganisationKind.SME, name_en="Hangzhou Gear Co")
    factories.user(sme, Role.ADMIN, email="owner@example.org", password=PASSWORD)
    published = factories.openness_list(
        platform, factories.batch(1), factories.user(platform), state=ListState.PUBLISHED
    )
    resource = factories.resource(published)  # a GPU computing pool: R&D compute
    base = live_server.url
    context = browser.new_context(locale=locale)
    page = context.new_page()
    log_in(page, base, "owner@example.org")

    open_user_menu(page)
    page.click("[data-testid=nav-tier]")
    _enter(page, LAST_YEAR, {})
    _enter(page, THIS_YEAR, CHOICES)

    assert tier in page.inner_text("[data-testid=tier-name]")
    assert blocker in page.inner_text("[data-testid=tier-blocking]")
    page.click(f"[data-testid=tier-suggestion] a[href='/resources/{resource.pk}/']")
    page.wait_for_url(f"{base}/resources/{resource.pk}/")
    context.close()
