"""In a browser: an SME requests a resource, the provider offers terms with a usage policy,
both agree, and the provider meters a use that the policy permits and one it denies."""

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


def test_request_offer_agree_use(browser: Any, live_server: Any) -> None:
    platform = factories.organisation(name_zh="云启数智科技有限公司", name_en="Yunqi Digital")
    sme = factories.organisation(OrganisationKind.SME, name_en="Hangzhou Gear Co")  # in 330100
    factories.user(platform, Role.EDITOR, email="operator@example.org", password=PASSWORD)
    factories.user(sme, Role.ADMIN, email="owner@example.org", password=PASSWORD)
    author = factories.user(platform, Role.EDITOR)
    published = factories.openness_list(
        platform, factories.batch(1), author, state=ListState.PUBLISHED
    )
    resource = factories.resource(published, capacity=Decimal(1000), capacity_period="month")
    base = live_server.url
    today = timezone.localdate()

    context = browser.new_context(locale="en-US")
    page = context.new_page()

    # The SME requests 10 GPU-hours from its resource page.
    log_in(page, base, "owner@example.org")
    page.goto(f"{base}/resources/{resource.pk}/")
    page.click("[data-testid=request-access]")
    page.fill("textarea[name=purpose]", "Train a gear-defect detection model")
    page.select_option("select[name=purpose_code]", "research")
    page.fill("input[name=quantity]", "10")
    page.fill("input[name=starts_on]", str(today))
    page.fill("input[name=ends_on]", str(today + timedelta(days=29)))
    page.click("[data-testid=send-request]")
    page.wait_for_selector("[data-testid=request-state] .state-requested")
    request_url = page.url
    log_out(page)

    # The provider offers terms with a policy: research only, in Guangdong only.
    log_in(page, base, "operator@example.org")
    page.click("[data-testid=nav-access]")
    page.click("[data-testid=incoming] a")
    page.click("[data-testid=make-offer]")
    page.fill("input[name=price]", "9.60")
    page.check("input[name=templates][value=research_only]")
    page.select_option("select[name=policy_purpose]", "research")
    page.check("input[name=templates][value=region_limited]")
    page.fill("input[name=policy_regions]", "440000")
    page.press("input[name=policy_regions]", "Tab")
    page.wait_for_selector("[data-testid=policy-preview] >> text=Guangdong")
    assert "广东省" in page.inner_text("[data-testid=policy-preview]")
    page.click("[data-testid=send-offer]")
    page.wait_for_selector("[data-testid=request-state] .state-offered")
    log_out(page)

    # The SME reads the policy in plain language and accepts.
    log_in(page, base, "owner@example.org")
    page.goto(request_url)
    assert "Guangdong" in page.inner_text("[data-testid=policy-text]")
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=request-state] .state-accepted")
    log_out(page)

    # The provider confirms; the agreement is active and uses are metered against it.
    log_in(page, base, "operator@example.org")
    page.goto(request_url)
    page.click("[data-testid=agree]")
    page.wait_for_selector("[data-testid=agreement-state] .state-active")
    page.fill("[data-testid=record-use] input[name=quantity]", "2")
    page.fill("[data-testid=record-use] input[name=region]", "440300")
    page.click("[data-testid=save-use]")
    page.wait_for_selector(".message.success")
    assert page.inner_text("[data-testid=usage-summary]").strip() == "2 / 10"
    page.fill("[data-testid=record-use] input[name=quantity]", "1")
    page.click("[data-testid=save-use]")  # from the SME's own region, Hangzhou
    denial = page.inner_text(".message.error")
    assert "condition 2 of permission 1" in denial and "330100" in denial
    agreement_url = page.url
    log_out(page)

    # The SME sees the same usage against the agreement, the denial and its rule.
    log_in(page, base, "owner@example.org")
    page.goto(agreement_url)
    assert page.inner_text("[data-testid=usage-summary]").strip() == "2 / 10"
    log = page.inner_text("[data-testid=usage-log]")
    assert "Denied" in log and "condition 2 of permission 1" in log
    context.close()
