"""In a browser: the pages work under the content security policy, which blocks nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.pages import published_gpu_and_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_htmx_filters_and_login_run_without_a_policy_violation(
    browser: Any, live_server: Any, world: Any
) -> None:
    published_gpu_and_dataset(world)
    factories.user(email="reader@example.org", password=PASSWORD)
    base = live_server.url
    page = browser.new_context(locale="en-GB").new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{base}/resources/")
    assert page.evaluate("typeof htmx") == "object"  # the static script ran
    with page.expect_response(
        lambda r: "/resources/?" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.select_option("select[name=type]", "dataset")
    page.wait_for_selector("#results")
    assert "type=dataset" in page.url  # htmx pushed the filtered address

    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "reader@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/workspace/")
    page.goto(f"{base}/workspace/password/")
    page.goto(f"{base}/admin/login/")
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .information-container")  # the API docs rendered
    assert violations == []


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_charts_draw_from_their_tables_without_a_policy_violation(
    browser: Any, live_server: Any, world: Any, locale: str
) -> None:
    """The vendored Chart.js redraws each table as a canvas; the table stays beside it."""
    factories.programme()  # the plan's programme: its targets come with it
    page = browser.new_context(locale=locale).new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/programmes/kpi/")
    page.wait_for_selector("figure.chart[data-chart-drawn] canvas")
    figures = page.locator("figure.chart:has(tbody tr)").count()  # an empty one stays an SVG
    assert figures > 0
    assert page.locator("figure.chart[data-chart-drawn] canvas").count() == figures
    assert page.locator("figure.chart .chart-svg[hidden]").count() == figures
    assert page.locator("figure.chart[data-chart-drawn] table.chart-data").count() == figures
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=plan-progress-chart] canvas")
    assert problems == []
