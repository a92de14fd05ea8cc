"""The catalog page as a product: facets with counts, sorts, result cards with price, SME
price, capacity and eligibility, the "show all" switch, and why a resource is not open."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.pages import client_for


@pytest.fixture
def catalog(world: World) -> dict[str, Resource]:
    """A GPU pool open to all, a Beijing laboratory only for large and medium enterprises,
    and a free dataset; Small Co (Hangzhou, small) may use the first and the last."""
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    gpu = factories.resource(
        the_list, regions=["330000"], keywords=["GPU", "算力"], capacity=Decimal(8200)
    )
    lab = factories.resource(
        the_list,
        resource_type="laboratory",
        title_en="GPU server testing laboratory",
        title_zh="GPU服务器检测实验室",
        description_en="GPU server testing for large manufacturers.",
        description_zh="面向大型制造企业的GPU服务器检测。",
        price=Decimal("1500.00"),
        sme_discount_percent=0,
        unit="lab_day",
        capacity=Decimal(20),
        eligible_size_classes=["large", "medium"],
        regions=["110000"],
    )
    dataset = factories.resource(
        the_list,
        resource_type="dataset",
        access_mode="open",
        price=None,
        capacity=None,
        title_en="Open supply chain dataset",
        title_zh="开放供应链数据集",
        keywords=["数据"],
    )
    return {"gpu": gpu, "lab": lab, "dataset": dataset}


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/resources/\d+/">([^<]+)</a></h3>', html)


def test_facets_count_the_results_and_narrow_them(catalog: dict[str, Resource]) -> None:
    page = client_for(language="en").get("/resources/").content.decode()
    facets = page.split('data-testid="facets"')[1].split("</aside>")[0]
    assert re.search(r"Computing power</a> <span class=\"count\">1<", facets)
    assert re.search(r"Paid</a> <span class=\"count\">2<", facets)
    assert re.search(r"Free</a> <span class=\"count\">1<", facets)
    assert re.search(r"¥1,000 or more</a> <span class=\"count\">1<", facets)
    assert re.search(r"Zhejiang[^<]*</a> <span class=\"count\">1<", facets)
    assert re.search(r"Platform A</a> <span class=\"count\">3<", facets)
    assert "price_band=1000_or_more" in facets and "type=compute" in facets
    narrowed = client_for(language="en").get("/resources/?price_band=1000_or_more")
    assert _titles(narrowed.content.decode()) == ["GPU server testing laboratory"]
    zh = client_for().get("/resources/").content.decode()
    assert "浙江" in zh and "免费" in zh


def test_facets_of_a_ranked_search_count_its_results(catalog: dict[str, Resource]) -> None:
    page = client_for(language="en").get("/resources/?q=GPU&access_mode=paid").content.decode()
    facets = page.split('data-testid="facets"')[1].split("</aside>")[0]
    assert "Laboratory" in facets and "Computing power" in facets and "Dataset" not in facets
    types = facets.split('data-testid="facet-type"')[1].split("</section>")[0]
    shown = len(_titles(page))
    assert sum(int(n) for n in re.findall(r'class="count">(\d+)<', types)) == shown == 2


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "price",
            ["Open supply chain dataset", "GPU computing pool", "GPU server testing laboratory"],
        ),
        (
            "capacity",
            ["GPU computing pool", "GPU server testing laboratory", "Open supply chain dataset"],
        ),
    ],
)
def test_sorts_of_the_listing(catalog: dict[str, Resource], sort: str, expected: list[str]) -> None:
    page = client_for(language="en").get(f"/resources/?sort={sort}").content.decode()
    assert _titles(page) == expected


def test_a_sorted_search_orders_its_close_matches(catalog: dict[str, Resource]) -> None:
    page = client_for(language="en").get("/resources/?q=GPU&sort=price").content.decode()
    assert 'data-testid="sorted-matches"' in page
    # All three are close matches in so small a catalog: the sort orders them by price.
    assert _titles(page) == [
        "Open supply chain dataset",
        "GPU computing pool",
        "GPU server testing laboratory",
    ]
    assert 'data-testid="why"' not in page  # no ranking to explain in another order


def test_result_cards_show_price_sme_price_capacity(catalog: dict[str, Resource]) -> None:
    page = client_for(language="en").get("/resources/?type=compute").content.decode()
    assert "¥12.00 / GPU-hour" in page and "¥9.60" in page and "SME −20%" in page
    assert "8,200" in page  # free capacity this month: nothing booked yet
    zh = client_for().get("/resources/?type=compute").content.decode()
    assert (
        "中小企业 −20%" in zh
        and "SME −20%" not in zh
        and "免费" not in zh.split("card-capacity")[1][:80]
    )


def test_keywords_are_search_links(catalog: dict[str, Resource]) -> None:
    page = client_for().get(f"/resources/{catalog['gpu'].pk}/").content.decode()
    assert 'href="/resources/?q=%E7%AE%97%E5%8A%9B"' in page


def test_search_hides_what_is_not_open_unless_show_all(
    catalog: dict[str, Resource], world: World
) -> None:
    sme = client_for(world.sam, "en")
    hidden = sme.get("/resources/?q=GPU%20testing").content.decode()
    assert "GPU server testing laboratory" not in _titles(hidden)
    assert 'data-testid="show-all-link"' in hidden
    shown = sme.get("/resources/?q=GPU%20testing&show_all=on").content.decode()
    assert "GPU server testing laboratory" in _titles(shown)
    card = shown.split("GPU server testing laboratory</a>")[1].split("</li>\n")[0]
    assert "Not open to your organisation" in card
    assert "size class is not one this resource is opened to" in card
    assert "Large, Medium" in card and "Beijing" in card
    assert "Open to your organisation" in shown.split("GPU computing pool</a>")[1]
    facet = shown.split('data-testid="facet-eligibility"')[1].split("</section>")[0]
    assert "Not open to my organisation" in facet
    zh = client_for(world.sam).get("/resources/?q=GPU%20testing&show_all=on").content.decode()
    assert "GPU服务器检测实验室" in zh and "Not open to your organisation" not in zh


def test_an_ineligible_sme_is_told_why_instead_of_a_request_button(
    catalog: dict[str, Resource], world: World
) -> None:
    page = client_for(world.sam, "en").get(f"/resources/{catalog['lab'].pk}/").content.decode()
    assert 'data-testid="request-access"' not in page
    statement = page.split('data-testid="not-eligible"')[1].split("</div>")[0]
    assert "is not eligible" in statement
    assert "region is outside the regions served" in statement
    assert "Large, Medium" in statement and "Beijing" in statement
    eligible = client_for(world.sam, "en").get(f"/resources/{catalog['gpu'].pk}/")
    assert 'data-testid="request-access"' in eligible.content.decode()
    zh = client_for(world.sam).get(f"/resources/{catalog['lab'].pk}/").content.decode()
    assert 'data-testid="not-eligible"' in zh and "is not eligible" not in zh


def test_the_catalog_page_costs_the_same_queries_for_more_rows(
    catalog: dict[str, Resource], world: World
) -> None:
    """Facets, eligibility and free capacity of a page cost a fixed number of queries."""
    client = client_for(world.sam)
    client.get("/resources/")  # the session's first request writes it
    paths = (
        "/resources/",
        "/resources/?sort=price&price_band=under_100",
        "/resources/?type=compute",
    )

    def counts() -> list[int]:
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    the_list = OpennessList.objects.get()
    for n in range(30):
        factories.resource(the_list, title_en=f"GPU {n}", regions=["330100"], industries=["C"])
    assert counts() == few and max(few) <= 20


def test_result_cards_show_what_is_free_this_period(catalog: dict[str, Resource]) -> None:
    from django.utils import timezone

    from synergy_hub.access import slots
    from synergy_hub.access.models import CapacitySlot

    gpu = catalog["gpu"]
    CapacitySlot.objects.create(
        resource_lineage=gpu.lineage,
        period="month",
        starts_on=slots.slot_start(timezone.localdate(), "month"),
        capacity=Decimal(8200),
        booked=Decimal(200),
    )
    page = client_for(language="en").get("/resources/?type=compute").content.decode()
    assert "8,000 of 8,200 GPU-hour free per month" in page
