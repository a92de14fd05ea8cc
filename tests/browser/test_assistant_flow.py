"""In a browser, in both languages: an SME owner describes a problem to the assistant, sees
what it understood, the matched resources with eligibility and the tools it ran, and sends
the drafted access request with one click, all without a page reload."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from synergy_hub.access.models import AccessRequest
from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.models import Need
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.browser.test_publish_flow import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("locale", "problem", "understood", "sent"),
    [
        (
            "en-US",
            "We are a small factory in Ningbo making lithium battery casings. We export to "
            "Germany and need CE testing, budget under 50,000 yuan.",
            "What I understood",
            "Request sent.",
        ),
        (
            "zh-CN",
            "我们是宁波一家做锂电池外壳的小厂，产品要出口德国，需要做CE检测，预算5万以内",
            "我的理解",
            "申请已发送。",
        ),
    ],
)
def test_from_a_problem_statement_to_a_sent_access_request(
    browser: Any, live_server: Any, locale: str, problem: str, understood: str, sent: str
) -> None:
    lab = factories.organisation(
        OrganisationKind.PROVIDER, name_zh="甬检检测认证中心", name_en="Yongjian Testing Centre"
    )
    sme = factories.organisation(OrganisationKind.SME, name_en="Ningbo Casing Co")
    factories.user(sme, Role.ADMIN, email="owner@example.org", password=PASSWORD)
    published = factories.openness_list(
        lab, factories.batch(1), factories.user(lab), state=ListState.PUBLISHED
    )
    ce = factories.resource(
        published,
        resource_type="testing_certification",
        title_zh="出口欧盟CE认证检测服务",
        title_en="CE marking testing for exports to the EU",
        description_zh="面向浙江中小企业的CE检测、EMC和低电压指令测试，出具欧盟认可报告。",
        description_en="CE testing (EMC, LVD) for SMEs in Zhejiang exporting to Europe.",
        keywords=["CE", "检测", "认证", "testing", "certification", "export"],
        regions=["330000"],
        unit="test_slot",
        price=Decimal("8000.00"),
        sme_discount_percent=30,
        capacity=Decimal(20),
        capacity_period="month",
    )
    factories.resource(published)  # GPU compute: not what this SME needs
    base = live_server.url
    context = browser.new_context(locale=locale)
    page = context.new_page()
    log_in(page, base, "owner@example.org")

    page.click("[data-testid=nav-assistant]")
    page.wait_for_url(f"{base}/workspace/assistant/")
    page.evaluate("window.notReloaded = true")
    page.fill("textarea[name=text]", problem)
    page.click("[data-testid=assistant-send]")
    page.wait_for_selector("[data-testid=turn-answer]", timeout=60_000)

    answer = page.locator("[data-testid=turn-answer]").first
    assert understood in answer.locator("[data-testid=understood]").inner_text()
    assert answer.locator("[data-testid=assistant-result]").count() >= 1
    first = answer.locator("[data-testid=assistant-result]").first
    assert ce.title_zh in first.inner_text() or ce.title_en in first.inner_text()
    assert first.locator("[data-testid=eligibility]").get_attribute("data-status") == "eligible"
    assert answer.locator("[data-testid=tool-calls] li").count() >= 5
    assert not AccessRequest.objects.exists() and not Need.objects.exists()
    assert page.input_value("textarea[name=text]") == ""

    first.locator("[data-testid=confirm-access_request]").click()
    page.wait_for_selector("[data-testid=draft-sent]")
    assert sent in page.inner_text("[data-testid=draft-sent]")
    assert page.evaluate("window.notReloaded") is True  # the page was never reloaded
    request = AccessRequest.objects.get()
    assert request.resource == ce and request.consumer == sme

    page.click("[data-testid=draft-sent] a")
    page.wait_for_url(f"{base}/access/requests/{request.pk}/")
    context.close()
