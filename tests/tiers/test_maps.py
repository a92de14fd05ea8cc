"""Officers' tier map (verified tiers by province and industry, page and CSV) and the single
champion candidates computed from the entered indicators."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from synergy_hub.accounts.models import OrganisationKind, OrganisationStatus
from synergy_hub.tiers import maps
from synergy_hub.tiers.models import IndicatorYear
from tests import factories
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import LOGIN, assert_page_refused

CHAMPION = {"main_business_share": "80", "global_market_rank": 2, "years_in_niche": 12}


def _sme(**fields: Any) -> Any:
    return factories.organisation(OrganisationKind.SME, **fields)


@pytest.fixture
def smes(world: World) -> dict[str, Any]:
    """Verified tiers in two provinces and two industry sections, one SME not yet approved."""
    return {
        "gz_giant": _sme(region_id="440100", industry_id="39", tier="little_giant"),
        "sz_srdi": _sme(region_id="440300", industry_id="39", tier="srdi"),
        "hz_srdi": _sme(region_id="330100", industry_id="65", tier="srdi"),
        "pending": _sme(
            region_id="440300", industry_id="39", tier="srdi", status=OrganisationStatus.PENDING
        ),
    }


def test_the_map_counts_verified_tiers_by_province_and_by_industry(
    world: World, smes: dict[str, Any]
) -> None:
    by_province = {row.code: row for row in maps.tier_map("province")}
    guangdong, zhejiang = by_province["440000"], by_province["330000"]
    assert guangdong.counts["little_giant"] == 1 and guangdong.counts["srdi"] == 1
    assert guangdong.total == 2  # the SME awaiting approval is not counted
    # Zhejiang: the world's two SMEs (no tier) and one SRDI SME
    assert zhejiang.counts["srdi"] == 1 and zhejiang.counts[""] == 2 and zhejiang.with_tier == 1
    by_industry = {row.code: row for row in maps.tier_map("industry")}
    assert by_industry["C"].counts["srdi"] == 1 and by_industry["C"].counts["little_giant"] == 1
    assert by_industry["I"].counts["srdi"] == 1
    assert maps.totals(maps.tier_map("province"))["srdi"] == 2


def test_the_page_in_both_languages_and_the_csv(world: World, smes: dict[str, Any]) -> None:
    en = client_for(world.officer, "en").get("/workspace/tier-map/")
    assert en.status_code == 200
    page = en.content.decode()
    assert 'data-testid="tier-map"' in page and "Guangdong" in page
    # The chart beside its data table: one bar per province with verified tiers.
    assert 'data-testid="tier-map-chart"' in page and "SMEs with a verified tier" in page
    zh = client_for(world.officer, "zh-hans").get("/workspace/tier-map/?by=industry")
    assert zh.status_code == 200 and "制造业" in zh.content.decode()
    assert "已核验层级的中小企业（按行业门类）" in zh.content.decode()
    response = client_for(world.officer, "en").get("/workspace/tier-map/csv/?by=province")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    assert header[0] == "province" and header[-1] == "total"
    assert body["440000"][header.index("little_giant")] == "1"
    assert body["440000"][-1] == "2"


def test_only_officers_see_the_map(world: World, smes: dict[str, Any]) -> None:
    for path in ("/workspace/tier-map/", "/workspace/tier-map/csv/"):
        assert_page_refused(
            world,
            "GET",
            path,
            anonymous=LOGIN,
            sme_a=403,
            platform_operator=403,
            platform_viewer=403,
            provider=403,
        )


def _enter(organisation: Any, year: int, values: dict[str, Any]) -> None:
    IndicatorYear.objects.create(
        organisation=organisation,
        year=year,
        values={k: str(v) if not isinstance(v, bool) else v for k, v in values.items()},
    )


def test_single_champion_candidates_meet_the_conditions_and_make_things(world: World) -> None:
    maker = _sme(industry_id="39", name_zh="冠军制造")
    _enter(maker, 2024, {**CHAMPION, "years_in_niche": 9})  # not yet in 2024
    _enter(maker, 2025, CHAMPION)
    software = _sme(industry_id="65", name_zh="软件公司")  # meets them, but not manufacturing
    _enter(software, 2025, CHAMPION)
    short = _sme(industry_id="39", name_zh="第四名")
    _enter(short, 2025, {**CHAMPION, "global_market_rank": 4})
    found = maps.single_champion_candidates("cn-2022")
    assert [c.organisation.pk for c in found] == [maker.pk]
    assert found[0].year == 2025 and not found[0].provisional
    provisional = maps.single_champion_candidates("cn-2026")
    assert [c.organisation.pk for c in provisional] == [maker.pk] and provisional[0].provisional
    page = client_for(world.officer, "en").get("/workspace/tier-map/?rule_set=cn-2026")
    listed = page.content.decode().split('data-testid="champion-candidates"')[1]
    assert "冠军制造" in listed or "Test Organisation" in listed
    assert "provisional" in listed and "软件公司" not in listed


def test_candidates_take_two_queries_however_many_smes(world: World) -> None:
    for _ in range(5):
        _enter(_sme(industry_id="39"), 2025, CHAMPION)
    with CaptureQueriesContext(connection) as queries:
        assert len(maps.single_champion_candidates("cn-2022")) == 5
    assert len(queries) == 2
