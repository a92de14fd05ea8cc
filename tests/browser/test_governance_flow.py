"""In a browser, in both languages: a platform publishes a fee change (a date inside the
notice period is refused naming the rule), the SME sees the notice and objects, files a
complaint, the platform answers it, and the public statistics count it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from synergy_hub.access import services as access_services
from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.governance.models import Complaint, FeeNotice
from tests import factories
from tests.access.conftest import terms
from tests.browser.test_publish_flow import PASSWORD, log_in, log_out, open_user_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "en-US": {"notice": "Commission goes to 4%", "published": "Affected SMEs were notified"},
    "zh-CN": {"notice": "佣金调整为4%", "published": "受影响的中小企业已收到通知"},
}


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_fee_change_notice_objection_complaint_and_statistics(
    browser: Any, live_server: Any, locale: str
) -> None:
    texts = TEXTS[locale]
    platform = factories.organisation(name_zh="云启数智科技有限公司", name_en="Yunqi Digital")
    sme = factories.organisation(OrganisationKind.SME, name_en="Hangzhou Gear Co")
    operator = factories.user(
        platform, Role.EDITOR, email="operator@example.org", password=PASSWORD
    )
    owner = factories.user(sme, Role.ADMIN, email="owner@example.org", password=PASSWORD)
    published = factories.openness_list(
        platform, factories.batch(1), operator, state=ListState.PUBLISHED
    )
    resource = factories.resource(published, capacity=Decimal(1000), capacity_period="month")
    access_services.request_access(owner, resource, terms())
    base = live_server.url
    context = browser.new_context(locale=locale)
    page = context.new_page()

    # The platform drafts a fee change and publishes it: too early first, then in time.
    log_in(page, base, "operator@example.org")
    page.goto(f"{base}/governance/fees/")
    page.click("[data-testid=new-fee-schedule]")
    page.select_option("select[name=jurisdiction]", "PRC")
    page.fill("textarea[name=summary_zh]", "佣金调整为4%")
    page.fill("textarea[name=summary_en]", "Commission goes to 4%")
    page.select_option("select[name=kind]", "commission")
    page.select_option("select[name=basis]", "percentage")
    page.fill("input[name=rate]", "4")
    page.fill("input[name=sme_discount_percent]", "20")
    page.click("[data-testid=save-draft]")
    page.wait_for_selector("[data-testid=publish]")
    page.fill("input[name=effective_from]", _local(timezone.now() + timedelta(days=3)))
    page.click("[data-testid=publish]")
    page.wait_for_selector(".message.error")
    assert "E-Commerce Law Art. 34" in page.inner_text(".message.error")
    page.fill("input[name=effective_from]", _local(timezone.now() + timedelta(days=8)))
    page.click("[data-testid=publish]")
    page.wait_for_selector(".message.success")
    assert texts["published"] in page.inner_text(".message.success")
    log_out(page)

    # The SME reads what changes and when, and objects.
    log_in(page, base, "owner@example.org")
    open_user_menu(page)
    page.click("[data-testid=nav-fee-notices]")
    assert texts["notice"] in page.inner_text("[data-testid=notice]")
    page.select_option("select[name=response]", "objected")
    page.fill("textarea[name=text]", "A 4% commission is too high for a micro firm.")
    page.click("[data-testid=send-answer]")
    page.wait_for_selector("[data-testid=notice-answer]")
    assert FeeNotice.objects.get().response == "objected"

    # The SME files a complaint.
    open_user_menu(page)
    page.click("[data-testid=nav-complaints]")
    page.click("[data-testid=new-complaint]")
    page.select_option("select[name=platform]", str(platform.pk))
    page.select_option("select[name=category]", "traffic")
    page.fill("input[name=subject]", "Traffic cut after we declined a promotion")
    page.fill("textarea[name=description]", "Our listing vanished from search for two weeks.")
    page.click("[data-testid=file-complaint]")
    page.wait_for_selector("[data-testid=complaint-state]")
    complaint_url = page.url
    log_out(page)

    # The platform acknowledges and decides.
    log_in(page, base, "operator@example.org")
    page.goto(complaint_url)
    page.click("[data-testid=acknowledge]")
    page.wait_for_selector("[data-testid=send-decision]")
    page.select_option("select[name=outcome]", "partly")
    page.fill("textarea[name=reasons]", "Traffic restored; the promotion was never a condition.")
    page.click("[data-testid=send-decision]")
    page.wait_for_selector("[data-testid=complaint-outcome]")
    assert Complaint.objects.get().outcome == "partly"
    log_out(page)

    # The public statistics count it.
    page.goto(f"{base}/governance/complaints/statistics/")
    assert page.inner_text("[data-testid=platform-statistics] [data-testid=total]") == "1"
    context.close()
