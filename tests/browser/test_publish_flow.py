"""In a browser: an operator submits a list, an officer publishes it, the public sees it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from synergy_hub.accounts.models import OrganisationKind, Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/workspace/")


def open_user_menu(page: Any) -> None:
    """One's own pages and logging out sit in the user menu of the header."""
    if page.get_attribute("[data-testid=user-menu]", "open") is None:
        page.click("[data-testid=user-menu] summary")


def log_out(page: Any) -> None:
    open_user_menu(page)
    page.click("form[action='/logout/'] button")


def test_publish_flow_and_language_switch(browser: Any, live_server: Any) -> None:
    office = factories.organisation(OrganisationKind.AUTHORITY)
    platform = factories.organisation(name_zh="云启数智科技有限公司", name_en="Yunqi Digital")
    factories.user(office, Role.ADMIN, email="officer@example.org", password=PASSWORD)
    factories.user(platform, Role.EDITOR, email="operator@example.org", password=PASSWORD)
    batch = factories.batch(1)
    base = live_server.url

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()

    # The operator drafts a list, adds a resource and submits it.
    log_in(page, base, "operator@example.org")
    page.goto(f"{base}/workspace/lists/")
    page.click("[data-testid=new-list]")
    page.select_option("select[name=batch]", str(batch.pk))
    page.fill("input[name=title_zh]", "云启第一批开放清单")
    page.click("form.form button[type=submit]")
    page.click("[data-testid=add-resource]")
    page.select_option("select[name=resource_type]", "compute")
    page.select_option("select[name=pillar]", "innovation")
    page.fill("input[name=title_zh]", "GPU算力资源池")
    page.fill("textarea[name=description_zh]", "面向中小企业开放A800算力，按卡时计费。")
    page.select_option("select[name=access_mode]", "paid")
    page.fill("input[name=price]", "12")
    page.fill("input[name=sme_discount_percent]", "20")
    page.select_option("select[name=unit]", "gpu_hour")
    page.click("[data-testid=save-resource]")
    page.wait_for_selector("[data-testid=submit-list]")
    expect(page.locator("main")).to_contain_text("GPU算力资源池")
    page.click("[data-testid=submit-list]")
    expect(page.locator("[data-testid=list-state]")).to_have_text("已提交")
    log_out(page)

    # The officer reviews and publishes it.
    log_in(page, base, "officer@example.org")
    page.goto(f"{base}/workspace/review/")
    page.click("text=云启第一批开放清单")
    page.click("[data-testid=start-review]")
    page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=list-state]")).to_have_text("已发布")
    log_out(page)

    # The public sees it, and the language switch works.
    page.goto(f"{base}/lists/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.click("text=云启第一批开放清单")
    page.wait_for_url(f"{base}/lists/*/")
    expect(page.locator("main")).to_contain_text("GPU算力资源池")
    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Version history")
    page.click("[data-testid=language-zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    context.close()
