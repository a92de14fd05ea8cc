"""In a browser, in both languages: an SME applies with a partner platform, an officer
assigns three reviewers, they score, the officer runs the selection, the public page shows
the result and the KPI chart moves."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.programmes import services
from tests import factories
from tests.browser.test_publish_flow import PASSWORD, log_in, log_out
from tests.programmes.conftest import call_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("locale", "selected_word"), [("en-US", "Selected"), ("zh-CN", "已入选")])
def test_apply_review_select_publish(
    browser: Any, live_server: Any, locale: str, selected_word: str
) -> None:
    office = factories.organisation(OrganisationKind.AUTHORITY, name_en="Office")
    officer = factories.user(office, email="officer@example.org", password=PASSWORD)
    platform = factories.organisation(name_zh="云启数智科技有限公司", name_en="Yunqi Digital")
    sme = factories.organisation(OrganisationKind.SME, name_en="Hangzhou Gear Co")
    factories.user(sme, Role.ADMIN, email="owner@example.org", password=PASSWORD)
    author = factories.user(platform, Role.EDITOR)
    published = factories.openness_list(
        platform, factories.batch(1), author, state=ListState.PUBLISHED
    )
    gpu = factories.resource(published)
    reviewers = []
    for name in ("ada", "ben", "cai"):
        university = factories.organisation(OrganisationKind.PROVIDER, name_en=f"{name} Univ")
        reviewers.append(factories.user(university, email=f"{name}@example.org", password=PASSWORD))
    services.seed_plan_targets(factories.programme())
    call = services.open_call(
        officer, services.create_call(officer, factories.programme(), call_data())
    )
    base = live_server.url
    context = browser.new_context(locale=locale)
    page = context.new_page()

    page.goto(f"{base}/programmes/kpi/")
    assert page.inner_text("[data-testid=kpi-pilot_projects-current]") == "0"

    # The SME applies with the platform as partner, using its published GPU pool.
    log_in(page, base, "owner@example.org")
    page.goto(f"{base}/programmes/calls/{call.pk}/")
    page.click("[data-testid=apply]")
    page.fill("input[name=title]", "Gear defect detection pilot")
    page.fill("textarea[name=scenario]", "Train a defect model on the platform's GPUs.")
    page.select_option("select[name=pillar]", "innovation")
    page.fill("input[name=budget]", "800000")
    page.select_option("select[name=partners]", str(platform.pk))
    page.select_option("select[name=resources]", str(gpu.pk))
    page.fill("input[name=milestone_title]", "Model in production")
    page.fill("input[name=milestone_due_on]", str(timezone.localdate() + timedelta(days=200)))
    page.click("[data-testid=submit-application]")
    page.wait_for_selector(".message.success")
    log_out(page)

    # The officer assigns three reviewers.
    log_in(page, base, "officer@example.org")
    page.goto(f"{base}/programmes/office/calls/{call.pk}/")
    for reviewer in reviewers:
        page.fill("[data-testid^=reviewer-]", reviewer.email)
        page.click("[data-testid=decision] button[type=submit]")
        page.wait_for_selector(".message.success")
    assert "0/3" in page.inner_text("[data-testid=decision]")
    log_out(page)

    # Each reviewer scores their own assignment.
    for reviewer in reviewers:
        log_in(page, base, reviewer.email)
        page.goto(f"{base}/programmes/reviews/")
        page.click("[data-testid=review-link]")
        page.fill("input[name=impact]", "9")
        page.fill("input[name=feasibility]", "8")
        page.click("[data-testid=submit-scores]")
        page.wait_for_selector(".message.success")
        log_out(page)

    # The officer closes the call and runs the selection.
    log_in(page, base, "officer@example.org")
    page.goto(f"{base}/programmes/office/calls/{call.pk}/")
    page.click("[data-testid=close-call]")
    page.wait_for_selector("[data-testid=run-selection]")
    page.click("[data-testid=run-selection]")
    page.wait_for_selector(".message.success")
    log_out(page)

    # The public results and the KPI chart show it.
    page.goto(f"{base}/programmes/calls/{call.pk}/")
    results = page.inner_text("[data-testid=results]")
    assert "Gear defect detection pilot" in results and selected_word in results
    page.goto(f"{base}/programmes/kpi/")
    assert page.inner_text("[data-testid=kpi-pilot_projects-current]") == "1"
    assert page.locator("[data-testid=kpi-pilot_projects] canvas").count() == 1
    context.close()
