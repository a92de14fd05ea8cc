"""Every page form reports every error in one round: its own checks and its service's rules.

Each test submits input that is wrong in several ways at once, of both kinds (a field the
form refuses, a rule only the service knows), and expects every error on the first answer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog.models import Need, OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.factories import signup_payload
from tests.pages import client_for


def _fields_with_errors(html: str) -> set[str]:
    return set(re.findall(r'class="error" data-field="([^"]+)"', html))


@pytest.mark.django_db
def test_sign_up_reports_every_error_at_once() -> None:
    data = signup_payload(
        uscc="91330100799655058C",  # wrong check character: a service rule
        employees="-5",  # the form's own bound
        password="short",  # Django's password validators, through the service
        email="not an address",
        name_zh="",
    )
    del data["kind"]  # no default kind: it must be chosen
    response = client_for(language="en").post("/signup/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert {"uscc", "employees", "password", "email", "name_zh", "kind"} <= _fields_with_errors(
        html
    )
    assert "check character" in html and "Choose the kind of your organisation." in html
    assert not User.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_sign_up_has_no_preselected_kind() -> None:
    html = client_for(language="en").get("/signup/").content.decode()
    kinds = re.findall(r'<input type="radio" name="kind"[^>]*>', html)
    assert len(kinds) == 3 and not any("checked" in k for k in kinds)


@pytest.mark.django_db
def test_chinese_validation_messages_read_naturally() -> None:
    data = signup_payload(password="short", employees="abc")
    html = client_for(language="zh-hans").post("/signup/", data).content.decode()
    assert "确保该变量" not in html and ">输入整数。" not in html
    assert "请输入整数。" in html
    assert "密码太短" in html


def test_resource_form_reports_the_services_rules_with_the_fields_errors(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    form = factories.resource_payload(
        title_zh="",
        title_en="",  # a title in some language: a service rule
        access_mode="paid",
        price="",  # a paid resource needs a price: a service rule
        capacity="10",
        capacity_period="",  # capacity per which period: a service rule
        contact_email="not an address",  # the form's own check
        sme_discount_percent="150",  # the form's own bound
    )
    response = client_for(world.alice, "en").post(
        f"/workspace/lists/{draft.pk}/resources/new/", form
    )
    assert response.status_code == 200
    assert {
        "title_zh",
        "price",
        "capacity_period",
        "contact_email",
        "sme_discount_percent",
    } <= _fields_with_errors(response.content.decode())
    assert not Resource.objects.exists()


def test_need_form_reports_every_error_at_once(world: World) -> None:
    response = client_for(world.sam, "en").post(
        "/workspace/needs/new/",
        {
            "title": "",  # the form's own check
            "description": "x",
            "budget": "abc",  # the form's own check
            "region": "999999",  # the form's choices
            "wanted_from": "2027-06-01",
            "wanted_until": "2027-01-01",  # before its start: a service rule
        },
    )
    assert response.status_code == 200
    assert {"title", "budget", "region", "wanted_until"} <= _fields_with_errors(
        response.content.decode()
    )
    assert not Need.objects.exists()


def test_list_form_reports_the_missing_title_with_the_other_errors(world: World) -> None:
    response = client_for(world.alice, "en").post(
        "/workspace/lists/new/", {"batch": "999999", "title_zh": "", "title_en": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert {"batch", "title_zh"} <= _fields_with_errors(html)
    assert not OpennessList.objects.exists()


def test_profile_form_reports_the_credit_code_with_the_other_errors(world: World) -> None:
    org = world.sme
    response = client_for(world.sam, "en").post(
        "/workspace/organisation/",
        {
            "name_zh": org.name_zh,
            "uscc": "91330100799655058C",  # wrong check character: a service rule
            "region": org.region_id,
            "industry": org.industry_id,
            "employees": "-3",  # the form's own bound
            "contact_email": "nope",  # the form's own check
        },
    )
    assert response.status_code == 200
    assert {"uscc", "employees", "contact_email"} <= _fields_with_errors(response.content.decode())


def test_request_form_reports_the_services_rules_with_the_fields_errors(world: World) -> None:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    gpu = factories.resource(published)
    response = client_for(world.sam, "en").post(
        f"/access/resources/{gpu.pk}/request/",
        {
            "purpose": "",  # the form's own check
            "purpose_code": "research",
            "quantity": "-1",  # the form's own bound
            "starts_on": "2020-01-01",  # in the past: a service rule
            "ends_on": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert {"purpose", "quantity", "starts_on"} <= _fields_with_errors(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("en", "The body is not valid JSON."), ("zh-hans", "JSON")]
)
def test_an_api_json_parse_error_is_answered_in_the_users_language(
    language: str, expected: str
) -> None:
    response = client_for(language=language).post(
        "/api/v1/lists", data="{oops", content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 422
    message = body["detail"][0]["msg"]
    assert expected in message and "Expecting" not in message
    if language == "zh-hans":
        assert "The body" not in message


def _offered_request(world: World) -> Any:
    from synergy_hub.access import services as access_services
    from tests.access.conftest import offer_terms, terms

    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    resource = factories.resource(published)
    access_request = access_services.request_access(world.sam, resource, terms())
    access_services.make_offer(world.alice, access_request, offer_terms())
    return access_request


def test_counter_offer_form_reports_every_error_at_once(world: World) -> None:
    access_request = _offered_request(world)
    response = client_for(world.sam, "en").post(
        f"/access/requests/{access_request.pk}/counter/",
        {"price": "-1", "quantity": "5", "starts_on": "2020-01-01", "ends_on": "2020-02-01"},
    )
    assert response.status_code == 200
    # the form's bound on the price; the service's "not in the past" on the start
    assert {"price", "starts_on"} <= _fields_with_errors(response.content.decode())


def test_reject_form_reports_every_error_at_once(world: World) -> None:
    access_request = _offered_request(world)
    response = client_for(world.alice, "en").post(
        f"/access/requests/{access_request.pk}/reject/",
        {"facts": "", "ground": "no", "redress": "x"},
    )
    # the form's required facts; the service's "be specific" on ground and redress
    assert {"facts", "ground", "redress"} <= _fields_with_errors(response.content.decode())


def test_call_form_reports_every_error_at_once(world: World) -> None:
    response = client_for(world.officer, "en").post(
        "/programmes/office/calls/new/",
        {
            "title_zh": "",
            "title_en": "",  # a title in some language: a service rule
            "pillars": ["open"],
            "budget": "0",  # the form's bound
            "min_sme_share": "0",
            "rubric": "quality | 质量 | Quality | 1",
            "scale_max": "10",
            "opens_on": "2027-03-01",
            "closes_on": "2027-02-01",  # before it opens: a service rule
            "review_by": "2027-04-01",
            "decide_by": "2027-05-01",
        },
    )
    assert response.status_code == 200
    assert {"title_zh", "budget", "closes_on"} <= _fields_with_errors(response.content.decode())


@pytest.mark.django_db
def test_sign_up_without_an_industry_asks_for_the_figures_most_size_rules_need() -> None:
    data = signup_payload(industry="", employees="", revenue="", name_zh="")
    response = client_for(language="en").post("/signup/", data)
    fields = _fields_with_errors(response.content.decode())
    # Employees and revenue are asked with the missing industry, not after it is chosen.
    assert {"industry", "employees", "revenue", "name_zh"} <= fields
    assert "total_assets" not in fields  # only a few industries' rules need it


def test_profile_form_asks_for_every_figure_the_industrys_rule_needs_at_once(
    world: World,
) -> None:
    org = world.sme  # a manufacturer: its size rule needs employees and revenue
    response = client_for(world.sam, "en").post(
        "/workspace/organisation/",
        {
            "name_zh": org.name_zh,
            "uscc": org.uscc,
            "region": org.region_id,
            "industry": org.industry_id,
            "employees": "-3",  # invalid
            "revenue": "",  # missing: reported in the same round
        },
    )
    assert {"employees", "revenue"} <= _fields_with_errors(response.content.decode())


def test_scenario_form_asks_for_a_title_with_the_other_errors(world: World) -> None:
    response = client_for(world.sam, "en").post(
        "/programmes/scenarios/new/",
        {"problem": "", "ai_capability": "agent", "region": "330100", "pillar": "open"},
    )
    assert {"title_zh", "problem"} <= _fields_with_errors(response.content.decode())
    assert "Give the title in Chinese or English." in response.content.decode()


def test_relationship_measure_form_asks_for_the_restricted_resources_with_the_other_errors(
    world: World,
) -> None:
    response = client_for(world.alice, "en").post(
        "/governance/measures/new/", {"kind": "restriction", "scope": "", "facts": ""}
    )
    assert {"resources", "scope", "facts"} <= _fields_with_errors(response.content.decode())


def test_fee_schedule_form_reports_the_services_rules_with_the_fields_errors(
    world: World,
) -> None:
    response = client_for(world.alice, "en").post(
        "/governance/fees/new/",
        {
            "jurisdiction": "PRC",
            "summary_zh": "",  # the form's own check
            "kind": "commission",
            "basis": "percentage",
            "rate": "150",  # a service rule: a percentage is at most 100
            "sme_discount_percent": "0",
        },
    )
    html = response.content.decode()
    assert {"summary_zh", "rate"} <= _fields_with_errors(html)
    assert "A percentage is at most 100." in html


def test_complaint_form_checks_the_evidence_with_the_other_errors(world: World) -> None:
    response = client_for(world.sam, "en").post(
        "/governance/complaints/new/",
        {
            "platform": world.platform_a.pk,
            "category": "fees",
            "subject": "",  # the form's own check
            "description": "An undisclosed fee.",
            "evidence": SimpleUploadedFile("run.exe", b"MZ"),  # a service rule: file types
        },
    )
    html = response.content.decode()
    assert {"subject", "evidence"} <= _fields_with_errors(html)
    assert "only PDF, PNG, JPEG or text files" in html
