"""In a browser at 1,280 px: the navigation keeps to one line, pages do not overflow, the
agreement's policy wraps, and the resource form's pickers and access-mode fields work."""

from __future__ import annotations

import re
from typing import Any

import pytest

from synergy_hub import odrl
from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.access.conftest import agreed, policy_document
from tests.browser.test_publish_flow import PASSWORD, log_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280

NAV_LINES = """() => {
  const tops = new Set([...document.querySelectorAll('.header-row > *')]
    .filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().top)));
  const links = new Set([...document.querySelectorAll('.main-nav a')]
    .map(a => Math.round(a.getBoundingClientRect().top)));
  return {rows: tops.size, linkRows: links.size,
          height: document.querySelector('.site-header').getBoundingClientRect().height};
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _page(browser: Any, language: str) -> Any:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 900}, locale="en-US" if language == "en" else "zh-CN"
    )
    return context.new_page()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_navigation_keeps_to_one_line_for_every_role(
    browser: Any, live_server: Any, world: World, language: str
) -> None:
    """The SME, the platform editor and the officer have the most links."""
    for user in (world.sam, world.alice, world.officer):
        user.set_password(PASSWORD)
        user.save()
    page = _page(browser, language)
    base = live_server.url
    for user in (world.sam, world.alice, world.officer):
        log_in(page, base, user.email)
        page.goto(f"{base}/workspace/")
        lines = page.evaluate(NAV_LINES)
        assert lines["linkRows"] == 1, (user.email, lines)
        assert lines["height"] < 80, (user.email, lines)
        assert page.evaluate(OVERFLOW) <= 0
        page.context.clear_cookies()
    page.context.close()


def test_agreement_page_wraps_its_policy_at_1280(
    browser: Any, live_server: Any, world: World
) -> None:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    gpu = factories.resource(published)
    policy = policy_document(
        odrl.research_only(), odrl.region_limited(["440000", "330000"]), odrl.count_limited(10000)
    )
    agreement = agreed(world, gpu, policy)
    world.sam.set_password(PASSWORD)
    world.sam.save()
    page = _page(browser, "en")
    log_in(page, live_server.url, world.sam.email)
    page.goto(f"{live_server.url}/access/agreements/{agreement.pk}/")
    page.click("[data-testid=policy] details summary")  # open the JSON-LD
    assert page.evaluate(OVERFLOW) <= 0
    assert page.is_visible("[data-testid=rule-permission-1]")
    page.context.close()


def test_resource_form_picker_and_access_mode(browser: Any, live_server: Any) -> None:
    platform = factories.organisation(OrganisationKind.PLATFORM)
    editor = factories.user(platform, Role.EDITOR, email="editor@example.org", password=PASSWORD)
    draft = factories.openness_list(platform, factories.batch(), editor)
    page = _page(browser, "en")
    base = live_server.url
    log_in(page, base, "editor@example.org")
    page.goto(f"{base}/workspace/lists/{draft.pk}/resources/new/")
    assert page.evaluate(OVERFLOW) <= 0
    # The native selects are replaced by pickers; price shows for paid resources only.
    assert not page.is_visible("select[name=regions]")
    page.select_option("select[name=access_mode]", "open")
    assert not page.is_visible("input[name=price]")
    page.select_option("select[name=access_mode]", "paid")
    assert page.is_visible("input[name=price]")
    picker = page.locator("[data-field-wrap=regions] .picker")
    picker.locator(".picker-search").fill("Hangzhou")
    picker.locator("label:visible", has_text=re.compile(r"\bHangzhou")).first.locator(
        "input"
    ).check()
    assert "Hangzhou" in picker.locator(".picker-chips").inner_text().replace("Changzhou", "")
    industries = page.locator("[data-field-wrap=industries] .picker")
    industries.locator(".picker-search").fill("C")
    industries.locator("details:visible summary").first.click()
    industries.locator("label:visible input").first.check()
    page.select_option("select[name=resource_type]", "testing_certification")
    page.fill("input[name=title_en]", "Gear testing")
    page.fill("textarea[name=description_en]", "Accredited gear testing.")
    page.fill("input[name=price]", "800")
    page.select_option("select[name=unit]", index=1)
    page.click("[data-testid=save-resource]")
    page.wait_for_url(f"{base}/workspace/lists/{draft.pk}/")
    saved = Resource.objects.get(openness_list=draft)
    assert "330100" in {r.pk for r in saved.regions.all()}
    assert saved.industries.count() >= 1
    page.context.close()
