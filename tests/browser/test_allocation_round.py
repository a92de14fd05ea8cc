"""In a browser, in both languages: a provider opens an allocation round, three SMEs
request, the round closes, and each SME reads its allocation and its statement."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.browser.test_publish_flow import PASSWORD, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("locale", "allocated", "full", "capacity"),
    [
        ("en-US", "Allocated: {granted} of {quantity} units.", "whole quantity", "Capacity bound"),
        ("zh-CN", "已分配：{quantity} 个单位中的 {granted} 个。", "全部数量", "容量约束"),
    ],
)
def test_open_request_close_and_read_the_statements(
    browser: Any, live_server: Any, locale: str, allocated: str, full: str, capacity: str
) -> None:
    platform = factories.organisation(name_zh="云启数智科技有限公司", name_en="Yunqi Digital")
    factories.user(platform, Role.ADMIN, email="admin@example.org", password=PASSWORD)
    published = factories.openness_list(
        platform, factories.batch(1), factories.user(platform), state=ListState.PUBLISHED
    )
    lab = factories.resource(
        published,
        resource_type="laboratory",
        title_en="Materials lab",
        title_zh="材料实验室",
        unit="lab_day",
        capacity=Decimal(10),
        capacity_period="day",
    )
    smes = [
        ("micro@example.org", "micro", 6),  # weight 1 + 3 + 1 = 5: served in full
        ("small@example.org", "small", 6),  # weight 4: the rest, 4 of 6
        ("medium@example.org", "medium", 4),  # weight 3: nothing left
    ]
    for email, size, _quantity in smes:
        org = factories.organisation(OrganisationKind.SME, size_class=size, name_en=size)
        factories.user(org, Role.ADMIN, email=email, password=PASSWORD)
    day = str(timezone.localdate() + timedelta(days=2))
    base = live_server.url
    page = browser.new_context(locale=locale).new_page()

    log_in(page, base, "admin@example.org")
    page.goto(f"{base}/access/rounds/")
    page.click("[data-testid=open-round]")
    page.fill("input[name=title]", "Lab days")
    page.check(f"input[name=resources][value='{lab.pk}']")
    page.fill("input[name=starts_on]", day)
    page.fill("input[name=ends_on]", day)
    page.select_option("select[name=fairness]", "proportional")
    page.click("[data-testid=open-round-submit]")
    page.wait_for_selector("[data-testid=disclosure]")
    round_url = page.url
    log_out(page)

    statements = {}
    for email, _size, quantity in smes:
        log_in(page, base, email)
        page.goto(round_url)
        page.fill("input[name=quantity]", str(quantity))
        page.fill("textarea[name=purpose]", "fatigue tests")
        page.select_option("select[name=purpose_code]", "research")
        page.click("[data-testid=send-round-request]")
        page.wait_for_selector("[data-testid=statement-pending]")
        statements[email] = page.url
        log_out(page)

    log_in(page, base, "admin@example.org")
    page.goto(round_url)
    page.click("[data-testid=close-round]")
    page.wait_for_selector("[data-testid=solver]")
    assert "OPTIMAL" in page.inner_text("[data-testid=solver]")
    log_out(page)

    expected = {"micro@example.org": 6, "small@example.org": 4, "medium@example.org": 0}
    for email, _size, quantity in smes:
        log_in(page, base, email)
        page.goto(statements[email])
        granted = page.inner_text("[data-testid=granted]")
        assert allocated.format(granted=expected[email], quantity=quantity) in granted
        reasons = page.inner_text("[data-testid=statement]")
        assert (full if expected[email] == quantity else capacity) in reasons
        log_out(page)
