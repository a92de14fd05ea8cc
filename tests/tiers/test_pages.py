"""The SME's tier page: enter indicators, see tier, breakdown, path and what could help."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from synergy_hub.tiers import services
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation
from tests.conftest import World
from tests.pages import client_for, published_gpu_list
from tests.permissions import LOGIN, assert_page_refused
from tests.tiers.test_services import SRDI_2024, SRDI_2025, enter_srdi_sme

PAGE = "/workspace/tier/"


def _form(**values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"year": 2025}
    for code, value in values.items():
        data[code] = ("yes" if value else "no") if isinstance(value, bool) else value
    return data


def test_an_sme_enters_a_year_and_sees_its_tier_and_the_path(world: World) -> None:
    services.save_indicators(world.sam, 2024, SRDI_2024)
    client = client_for(world.sam, "en")
    response = client.post(
        f"{PAGE}?rule_set=cn-2022",
        _form(
            revenue="90",
            main_business_share="85",
            rd_spend="3.6",
            rd_staff_share="20",
            class_i_ip="1",
            ip_level="class_i",
            years_in_niche="4",
            niche_market_share="5",
            global_market_rank="40",
            debt_to_asset="50",
            equity_financing_3y="0",
            strategic_emerging=True,
            srdi_score="70",
        ),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "SRDI SME" in page
    assert "Path to &quot;little giant&quot;" in page
    assert "National niche market share 5 %: 5 percentage points short of 10 %" in page
    assert IndicatorYear.objects.get(year=2025).values["srdi_score"] == "70"


def test_the_page_in_chinese(world: World) -> None:
    enter_srdi_sme(world)
    page = client_for(world.sam).get(f"{PAGE}?year=2025&rule_set=cn-2022").content.decode()
    assert "专精特新中小企业" in page and "小巨人" in page
    assert "百万元" in page  # units on the form


def test_a_bad_value_is_shown_on_the_form_and_nothing_saved(world: World) -> None:
    response = client_for(world.sam, "en").post(PAGE, _form(debt_to_asset="-5"))
    assert response.status_code == 200
    assert "debt_to_asset" in response.context["form"].errors
    assert not IndicatorYear.objects.exists()


def test_missing_indicators_list_what_to_enter(world: World) -> None:
    services.save_indicators(world.sam, 2025, {"revenue": "10"})
    page = client_for(world.sam, "en").get(f"{PAGE}?year=2025&rule_set=cn-2022")
    assert 'data-testid="tier-to-enter"' in page.content.decode()


def test_what_could_help_suggests_catalog_resources(world: World) -> None:
    published_gpu_list(world)
    services.save_indicators(world.sam, 2024, SRDI_2024)
    services.save_indicators(world.sam, 2025, SRDI_2025 | {"rd_spend": "2.16"})
    page = client_for(world.sam, "en").get(f"{PAGE}?year=2025&rule_set=cn-2022")
    suggestions = page.context["suggestions"]
    assert suggestions, "an R&D shortfall suggests resources"
    assert any("GPU" in str(item.resource.title) for s in suggestions for item in s["items"])


def test_keeping_the_evaluation_from_the_page(world: World) -> None:
    enter_srdi_sme(world)
    response = client_for(world.sam, "en").post(
        "/workspace/tier/keep/", {"year": 2025, "rule_set": "cn-2022"}
    )
    assert response.status_code == 302
    assert TierEvaluation.objects.get().tier == "srdi_sme"


def test_the_page_is_for_sme_members_only(world: World) -> None:
    assert_page_refused(world, "GET", PAGE, anonymous=LOGIN, platform_operator=403, officer=403)
    assert_page_refused(
        world,
        "POST",
        "/workspace/tier/keep/",
        {"year": 2025},
        anonymous=LOGIN,
        platform_operator=403,
    )


def test_the_page_reads_all_years_in_constant_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """More years entered must not mean more queries (one read for all of them)."""
    enter_srdi_sme(world)
    client = client_for(world.sam, "en")
    client.get(f"{PAGE}?year=2025&rule_set=cn-2022")  # warm the session and the index
    with CaptureQueriesContext(connection) as two_years:
        client.get(f"{PAGE}?year=2025&rule_set=cn-2022")
    for year in range(2015, 2024):
        services.save_indicators(world.sam, year, SRDI_2024)
    with django_assert_max_num_queries(len(two_years.captured_queries)):
        client.get(f"{PAGE}?year=2025&rule_set=cn-2022")
