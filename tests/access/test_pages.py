"""The access pages as each side walks them, in both languages; outsiders get 404."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from synergy_hub import odrl
from synergy_hub.access import services
from synergy_hub.access.models import AccessRequest, Agreement, UsageRecord
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.governance.models import FeeSchedule
from synergy_hub.governance.vocabulary import ScheduleState
from tests import factories
from tests.access.conftest import (
    agreed,
    offer_terms,
    offered,
    policy_document,
    requested,
    today,
)
from tests.conftest import World
from tests.permissions import LOGIN, assert_page_refused


def client_for(user: Any = None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def test_resource_page_offers_the_request_to_smes_only(world: World, gpu: Resource) -> None:
    url = f"/resources/{gpu.pk}/"
    assert 'data-testid="request-access"' in client_for(world.sam).get(url).content.decode()
    assert 'data-testid="request-access"' not in client_for(world.charlie).get(url).content.decode()
    anonymous = client_for().get(url).content.decode()
    assert "SMEs request access after logging in." in anonymous
    assert 'data-testid="calendar-link"' in anonymous


def test_sme_sends_a_request_from_the_form(world: World, gpu: Resource) -> None:
    client = client_for(world.sam)
    assert client.get(f"/access/resources/{gpu.pk}/request/").status_code == 200
    response = client.post(
        f"/access/resources/{gpu.pk}/request/",
        {
            "purpose": "训练模型",
            "purpose_code": "research",
            "quantity": "12",
            "starts_on": str(today()),
            "ends_on": str(today() + timedelta(days=3)),
        },
    )
    created = AccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/access/requests/{created.pk}/"


def test_request_form_shows_service_errors(world: World, dataset: Resource) -> None:
    response = client_for(world.sam).post(
        f"/access/resources/{dataset.pk}/request/",
        {
            "purpose": "x",
            "purpose_code": "research",
            "quantity": "1",
            "starts_on": str(today()),
            "ends_on": str(today()),
        },
    )
    assert response.status_code == 200
    assert 'data-field="intended_use"' in response.content.decode()


def test_platform_users_cannot_request(world: World, gpu: Resource) -> None:
    assert client_for(world.charlie).get(f"/access/resources/{gpu.pk}/request/").status_code == 403


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_inbox_and_request_page_for_both_sides(world: World, gpu: Resource, language: str) -> None:
    access_request = requested(world, gpu)
    for user in (world.alice, world.sam):
        client = client_for(user, language)
        inbox = client.get("/access/")
        assert inbox.status_code == 200 and f"#{access_request.pk}" in inbox.content.decode()
        page = client.get(f"/access/requests/{access_request.pk}/").content.decode()
        assert f'<html lang="{language}">' in page
    provider_page = client_for(world.alice).get(f"/access/requests/{access_request.pk}/")
    assert 'data-testid="make-offer"' in provider_page.content.decode()
    assert (
        client_for(world.charlie).get(f"/access/requests/{access_request.pk}/").status_code == 404
    )


def test_offer_with_the_policy_editor(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    client = client_for(world.alice)
    url = f"/access/requests/{access_request.pk}/offer/"
    assert client.get(url).status_code == 200
    form = {
        "price": "9.60",
        "quantity": "10",
        "starts_on": str(today()),
        "ends_on": str(today() + timedelta(days=9)),
        "templates": ["research_only", "count_limited"],
        "policy_purpose": "research",
        "policy_count": "100",
    }
    built = client.post(url, form | {"build": "1"})
    assert built.status_code == 200 and "&quot;count&quot;" in built.content.decode()
    assert client.post(url, form).status_code == 302
    offer = AccessRequest.objects.get().current_offer
    assert offer is not None and offer.policy is not None
    assert [c["leftOperand"] for c in offer.policy["permission"][0]["constraint"]] == [
        "purpose",
        "count",
    ]


def test_offer_with_invalid_json_policy_names_the_node(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    url = f"/access/requests/{access_request.pk}/offer/"
    policy = policy_document(odrl.count_limited(3))
    policy["permission"][0]["constraint"][0]["operator"] = "bogus"
    form = {
        "quantity": "10",
        "starts_on": str(today()),
        "ends_on": str(today()),
        "policy_json": json.dumps(policy),
    }
    page = client_for(world.alice).post(url, form).content.decode()
    assert "$.permission[0].constraint[0].operator" in page
    broken = client_for(world.alice).post(url, form | {"policy_json": "{oops"}).content.decode()
    assert "not valid JSON (line 1, column 2)" in broken
    assert "Expecting" not in broken  # the place, not the parser's English
    zh = client_for(world.alice, "zh-hans").post(url, form | {"policy_json": "{oops"})
    assert "不是有效的JSON（第1行第2列有误）" in zh.content.decode()


def test_live_preview_in_both_languages(world: World) -> None:
    response = client_for().post(
        "/access/policy/preview/",
        {"templates": ["region_limited"], "policy_regions": "440000"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Guangdong" in page and "广东省" in page


def test_accept_agree_and_record_use_through_the_pages(world: World, gpu: Resource) -> None:
    access_request = offered(world, gpu, policy_document(odrl.region_limited(["440000"])))
    pk = access_request.pk
    assert client_for(world.sam).post(f"/access/requests/{pk}/accept/").status_code == 302
    response = client_for(world.alice).post(f"/access/requests/{pk}/agree/")
    agreement = Agreement.objects.get()
    assert response["Location"] == f"/access/agreements/{agreement.pk}/"
    used = client_for(world.alice).post(
        f"/access/agreements/{agreement.pk}/use/", {"action": "use", "quantity": "1"}, follow=True
    )
    page = used.content.decode()
    assert "condition 1 of permission 1" in page and "330100" in page
    assert "permission[0]" not in page
    assert UsageRecord.objects.get().permitted is False
    sme_page = client_for(world.sam, "zh-hans").get(f"/access/agreements/{agreement.pk}/")
    assert "广东省" in sme_page.content.decode()
    assert "第1项许可的第1项条件" in sme_page.content.decode()
    assert 'data-testid="record-use"' not in sme_page.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_agreement_page_reads_the_policy_and_the_usage_log_in_words(
    world: World, gpu: Resource, language: str
) -> None:
    """Rules in words in both languages, the machine form as JSON; no rule ids, no dict."""
    policy = policy_document(odrl.research_only(), odrl.region_limited(["440000"]))
    agreement = agreed(world, gpu, policy)
    services.record_use(world.alice, agreement, {"action": "use", "quantity": 1})
    page = client_for(world.sam, language).get(f"/access/agreements/{agreement.pk}/")
    html = page.content.decode()
    assert 'data-testid="rule-permission-1"' in html
    assert "{&#x27;" not in html and "{'" not in html  # no Python dict
    assert "&quot;permission&quot;: [" in html  # the JSON-LD, indented
    log = html[html.index('data-testid="usage-log"') :]
    assert "permission[0]" not in log and "<td>use</td>" not in log
    if language == "en":
        assert "condition 2 of permission 1" in log and "<td>Use</td>" in log
    else:
        assert "第1项许可的第2项条件" in log


def test_agreement_page_names_the_fee_schedule_in_force(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    url = f"/access/agreements/{agreement.pk}/"
    page = client_for(world.sam).get(url).content.decode()
    assert "had published no fee schedule" in page
    schedule = FeeSchedule.objects.create(
        platform=world.platform_a,
        version=3,
        state=ScheduleState.PUBLISHED,
        summary_zh="技术服务费下调",
        created_by=world.alice,
        published_at=timezone.now() - timedelta(days=40),
        effective_from=timezone.now() - timedelta(days=30),
    )
    page = client_for(world.sam).get(url).content.decode()
    assert f"Version {schedule.version}</a>" in page and "in force since" in page


def test_a_consumer_reads_a_published_resources_default_policy(world: World, gpu: Resource) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    hidden = factories.resource(draft)
    url = f"/access/resources/{hidden.pk}/policy/"
    services.set_resource_policy(world.alice, hidden, {"templates": ["no_redistribution"]})
    hidden.refresh_from_db()
    for user in (world.sam, None, world.charlie):
        assert client_for(user).get(url).status_code == 404  # a draft stays its publisher's
    Resource.objects.filter(pk=gpu.pk).update(usage_policy=hidden.usage_policy)
    for user, language in ((world.sam, "en"), (None, "zh-hans"), (world.charlie, "en")):
        page = client_for(user, language).get(f"/access/resources/{gpu.pk}/policy/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-testid="rule-prohibition-1"' in html
        assert 'data-testid="policy-form"' not in html
    assert client_for(world.sam).post(f"/access/resources/{gpu.pk}/policy/", {}).status_code == 404
    resource_page = client_for(world.sam).get(f"/resources/{gpu.pk}/").content.decode()
    assert 'data-testid="policy-link"' in resource_page


def test_termination_page_applies_the_notice_rule(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    url = f"/access/agreements/{agreement.pk}/terminate/"
    reasons = {
        "facts": "Repeated misuse of the data.",
        "ground": "Clause 9",
        "redress": "Mediation",
    }
    page = client_for(world.sam).post(
        url, reasons | {"effective_on": str(today() + timedelta(days=3))}
    )
    assert page.status_code == 200 and 'data-field="effective_on"' in page.content.decode()
    assert client_for(world.sam).post(url, reasons).status_code == 302
    agreement.refresh_from_db()
    assert agreement.termination_effective_at is not None


def test_calendar_page(world: World, gpu: Resource, dataset: Resource) -> None:
    assert (
        'data-testid="calendar"'
        in client_for().get(f"/access/resources/{gpu.pk}/calendar/").content.decode()
    )
    assert (
        "not booked in time slots"
        in client_for().get(f"/access/resources/{dataset.pk}/calendar/").content.decode()
    )


def test_resource_policy_editor_only_while_the_list_is_editable(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    resource = factories.resource(draft)
    url = f"/access/resources/{resource.pk}/policy/"
    client = client_for(world.alice)
    response = client.post(url, {"templates": ["no_redistribution"]})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.usage_policy is not None
    assert resource.usage_policy["prohibition"][0]["action"] == "distribute"
    draft.state = ListState.SUBMITTED
    draft.save()
    assert 'data-testid="policy-form"' not in client.get(url).content.decode()
    with pytest.raises(Exception, match="cannot change"):
        services.set_resource_policy(world.alice, resource, {"templates": []})
    assert client_for(world.charlie).get(url).status_code == 404


def test_notifications_and_workspace_card(world: World, gpu: Resource) -> None:
    requested(world, gpu)
    client = client_for(world.alice)
    assert "Small Co requests access" in client.get("/access/notifications/").content.decode()
    assert 'data-testid="nav-notifications"' in client.get("/workspace/").content.decode()
    assert 'data-testid="access-card"' in client.get("/workspace/").content.decode()
    client.post("/access/notifications/read/")
    assert 'class="count"' not in client.get("/access/").content.decode()


def test_inbox_query_count_does_not_grow(
    world: World, gpu: Resource, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        requested(world, gpu)
    agreement = agreed(world, gpu)
    client = client_for(world.alice)
    with django_assert_max_num_queries(12):
        client.get("/access/")
    with django_assert_max_num_queries(12):
        client.get(f"/access/agreements/{agreement.pk}/")
    with django_assert_max_num_queries(14):
        client.get(f"/access/requests/{agreement.access_request_id}/")


# --- who is refused (the personas of tests/conftest.py) ------------------------------------

#: Organisations that are no party to a request or agreement find no such page (404).
OUTSIDERS = {
    "anonymous": LOGIN,
    "other_platform": 404,
    "provider": 404,
    "sme_b": 404,
    "officer": 404,
}
REASONS = {"facts": "Misuse.", "ground": "Clause 9", "redress": "Mediation"}


@pytest.mark.parametrize("path", ["/access/", "/access/notifications/"])
def test_access_pages_send_visitors_to_log_in(world: World, path: str) -> None:
    assert_page_refused(world, "GET", path, anonymous=LOGIN)


def test_only_sme_users_reach_the_request_form(world: World, gpu: Resource) -> None:
    assert_page_refused(
        world,
        "GET",
        f"/access/resources/{gpu.pk}/request/",
        anonymous=LOGIN,
        platform_operator=403,
        platform_viewer=403,
        provider=403,
        officer=403,
    )
    draft = factories.openness_list(world.platform_c, world.batch, world.charlie)
    unpublished = factories.resource(draft)
    assert_page_refused(world, "GET", f"/access/resources/{unpublished.pk}/request/", sme_a=404)


def test_request_pages_refuse_the_other_side_and_outsiders(world: World, gpu: Resource) -> None:
    pk = requested(world, gpu).pk
    assert_page_refused(world, "GET", f"/access/requests/{pk}/", **OUTSIDERS)
    for path in (f"/access/requests/{pk}/offer/", f"/access/requests/{pk}/reject/"):
        assert_page_refused(world, "GET", path, sme_a=403, **OUTSIDERS)
    assert_page_refused(
        world, "GET", f"/access/requests/{pk}/counter/", platform_operator=403, **OUTSIDERS
    )
    assert_page_refused(
        world, "POST", f"/access/requests/{pk}/agree/", sme_a=403, platform_viewer=403, **OUTSIDERS
    )
    for step in ("accept", "withdraw"):
        assert_page_refused(
            world,
            "POST",
            f"/access/requests/{pk}/{step}/",
            platform_operator=403,
            platform_viewer=403,
            **OUTSIDERS,
        )
    assert AccessRequest.objects.get().state == "requested"


def test_agreement_pages_refuse_the_other_side_and_outsiders(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    pk = agreement.pk
    for page in ("", "terminate/", "suspend/", "restrict/"):
        assert_page_refused(world, "GET", f"/access/agreements/{pk}/{page}", **OUTSIDERS)
    for page, data in (
        ("use/", {"action": "use", "quantity": "1"}),
        ("suspend/", REASONS),
        ("restrict/", REASONS | {"quantity": "5"}),
        ("resume/", None),
    ):
        assert_page_refused(
            world,
            "POST",
            f"/access/agreements/{pk}/{page}",
            data,
            sme_a=403,
            platform_viewer=403,
            **OUTSIDERS,
        )
    assert_page_refused(
        world,
        "POST",
        f"/access/agreements/{pk}/terminate/",
        REASONS | {"exception": "legal_obligation"},
        platform_viewer=403,
        **OUTSIDERS,
    )
    agreement.refresh_from_db()
    assert agreement.state == "active" and agreement.quantity == 10
    assert not UsageRecord.objects.exists()


def test_the_resource_policy_editor_is_the_publishers_editors_alone(world: World) -> None:
    resource = factories.resource(
        factories.openness_list(world.platform_a, world.batch, world.alice)
    )
    url = f"/access/resources/{resource.pk}/policy/"
    assert_page_refused(
        world,
        "GET",
        url,
        anonymous=404,
        other_platform=404,
        provider=404,
        sme_a=404,
        officer=404,
    )
    assert client_for(world.bob).get(url).status_code == 200  # the viewer reads it
    assert_page_refused(
        world, "POST", url, {"templates": ["no_redistribution"]}, platform_viewer=403
    )
    resource.refresh_from_db()
    assert resource.usage_policy is None


def test_notifications_are_their_recipients_alone(world: World, gpu: Resource) -> None:
    requested(world, gpu)
    for persona in ("sme_b", "other_platform", "provider"):
        page = client_for(world.persona(persona)).get("/access/notifications/").content.decode()
        assert "Small Co requests access" not in page, persona
    assert_page_refused(world, "POST", "/access/notifications/read/", anonymous=LOGIN)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_request_page_shows_the_timeline_with_who_and_when(
    world: World, gpu: Resource, language: str
) -> None:
    access_request = offered(world, gpu)
    services.counter_offer(
        world.sam, access_request, offer_terms(quantity="8", price="9.00") | {"note": "less"}
    )
    services.make_offer(world.alice, access_request, offer_terms(quantity="8"))
    services.accept_offer(world.sam, access_request)
    services.agree(world.alice, access_request)
    html = (
        client_for(world.sam, language)
        .get(f"/access/requests/{access_request.pk}/")
        .content.decode()
    )
    timeline = html[html.index('data-testid="timeline"') : html.index('data-testid="offers"')]
    assert timeline.count('data-testid="timeline-step"') >= 6  # sent, 3 offers, accepted, agreed
    assert world.alice.full_name in timeline and world.sam.full_name in timeline
    assert "Small Co" in timeline or world.sme.name in timeline
    assert "alice@example.org" not in timeline  # names, not e-mail addresses
    if language == "en":
        for what in ("Request sent", "Terms offered", "Counter-offer made", "Offer accepted"):
            assert what in timeline
    else:
        assert "已发送申请" in timeline and "提出还价" in timeline


def test_destructive_steps_are_styled_and_confirmed(world: World, gpu: Resource) -> None:
    access_request = offered(world, gpu)
    html = client_for(world.sam).get(f"/access/requests/{access_request.pk}/").content.decode()
    withdraw = html[html.index('data-testid="withdraw-confirm"') :]
    assert withdraw.index("<summary") < withdraw.index('data-testid="withdraw"')  # asked first
    assert 'class="danger-solid" data-testid="withdraw"' in withdraw
    agreement = agreed(world, gpu)
    page = client_for(world.alice).get(f"/access/agreements/{agreement.pk}/").content.decode()
    assert 'class="button danger" href="/access/agreements/' in page
    form = client_for(world.alice).get(f"/access/agreements/{agreement.pk}/terminate/")
    assert 'class="danger-solid" data-testid="confirm"' in form.content.decode()
