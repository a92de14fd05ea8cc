"""Openness-list workflow through the services: every transition, and who is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog import selectors, services
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.permissions import assert_refused


def _draft(world: World) -> OpennessList:
    return services.create_list(world.alice, world.batch, {"title_zh": "甲平台开放清单"})


def _submitted(world: World) -> OpennessList:
    draft = _draft(world)
    services.add_resource(world.alice, draft, factories.resource_payload())
    return services.submit_list(world.alice, draft)


def _published(world: World) -> OpennessList:
    submitted = _submitted(world)
    services.start_review(world.officer, submitted)
    return services.publish_list(world.officer, submitted)


def test_operator_drafts_a_list_and_it_is_audited(world: World) -> None:
    draft = _draft(world)
    assert draft.state == ListState.DRAFT and draft.version == 1
    assert draft.publisher == world.platform_a
    event = AuditEvent.objects.get(action="catalog.list.created")
    assert event.object_id == str(draft.pk) and event.actor_id == world.alice.pk


def test_full_path_to_publication(world: World) -> None:
    published = _published(world)
    assert published.state == ListState.PUBLISHED and published.published_at is not None
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "catalog.list.created",
        "catalog.resource.added",
        "catalog.list.submitted",
        "catalog.list.review_started",
        "catalog.list.published",
    ]


def test_return_with_reasons_then_resubmit(world: World) -> None:
    submitted = _submitted(world)
    returned = services.return_list(world.officer, submitted, "请补充容量说明")
    assert returned.state == ListState.RETURNED and returned.return_reasons == "请补充容量说明"
    services.update_list(world.alice, returned, {"title_en": "Platform A list"})
    again = services.submit_list(world.alice, returned)
    assert again.state == ListState.SUBMITTED


def test_return_needs_reasons(world: World) -> None:
    submitted = _submitted(world)
    with pytest.raises(ValidationError) as exc:
        services.return_list(world.officer, submitted, "   ")
    assert "reasons" in exc.value.message_dict
    submitted.refresh_from_db()
    assert submitted.state == ListState.SUBMITTED


def test_submitting_an_empty_list_is_refused(world: World) -> None:
    draft = _draft(world)
    with pytest.raises(ValidationError) as exc:
        services.submit_list(world.alice, draft)
    assert exc.value.error_dict["resources"][0].code == "empty_list"
    draft.refresh_from_db()
    assert draft.state == ListState.DRAFT


def test_publish_before_review_is_refused(world: World) -> None:
    submitted = _submitted(world)
    with pytest.raises(ValidationError) as exc:
        services.publish_list(world.officer, submitted)
    assert exc.value.error_dict["state"][0].code == "illegal_transition"


def test_published_version_never_changes(world: World) -> None:
    published = _published(world)
    resource = published.resources.get()
    with pytest.raises(ValidationError):
        services.update_list(world.alice, published, {"title_zh": "改"})
    with pytest.raises(ValidationError):
        services.add_resource(world.alice, published, factories.resource_payload())
    with pytest.raises(ValidationError):
        services.update_resource(world.alice, resource, {"price": "1.00"})
    with pytest.raises(ValidationError):
        services.remove_resource(world.alice, resource)
    resource.refresh_from_db()
    assert resource.price == 800 and published.resources.count() == 1


def test_new_version_supersedes_the_old_on_publication(world: World) -> None:
    v1 = _published(world)
    v2 = services.create_new_version(world.alice, v1)
    assert v2.version == 2 and v2.state == ListState.DRAFT and v2.previous_id == v1.pk
    copy = v2.resources.get()
    original = v1.resources.get()
    assert copy.lineage == original.lineage and copy.pk != original.pk
    assert list(copy.regions.values_list("code", flat=True)) == ["330000"]
    assert services.create_new_version(world.alice, v1).pk == v2.pk  # one open version at a time
    services.update_resource(world.alice, copy, {"price": "700.00"})
    services.submit_list(world.alice, v2)
    services.start_review(world.officer, v2)
    services.publish_list(world.officer, v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.state == ListState.SUPERSEDED and v1.superseded_at is not None
    assert v2.state == ListState.PUBLISHED
    assert v1.resources.get().price == 800  # history keeps what was published
    history = selectors.list_history(v2, None)
    assert [v.version for v in history] == [2, 1]
    assert list(selectors.published_resources()) == [copy]


def test_list_in_closed_batch_is_refused(world: World) -> None:
    closed = factories.batch(2, open_now=False)
    with pytest.raises(ValidationError) as exc:
        services.create_list(world.alice, closed, {"title_zh": "x"})
    assert exc.value.error_dict["batch"][0].code == "batch_closed"
    assert not OpennessList.objects.exists()


def test_list_needs_a_title(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_list(world.alice, world.batch, {"title_zh": "", "title_en": ""})
    assert "title_zh" in exc.value.message_dict


# --- who is refused ---------------------------------------------------------------------


def test_sme_and_officer_cannot_draft_lists(world: World) -> None:
    for actor in (world.sam, world.officer):
        with pytest.raises(PermissionDenied):
            services.create_list(actor, world.batch, {"title_zh": "x"})


def test_viewer_role_cannot_draft(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_list(world.bob, world.batch, {"title_zh": "x"})


def test_unapproved_platform_cannot_draft(world: World) -> None:
    world.platform_a.status = "pending"
    world.platform_a.save()
    with pytest.raises(PermissionDenied):
        services.create_list(world.alice, world.batch, {"title_zh": "x"})


def test_other_organisation_cannot_touch_the_list(world: World) -> None:
    draft = _draft(world)
    resource = services.add_resource(world.alice, draft, factories.resource_payload())
    with pytest.raises(PermissionDenied):
        services.add_resource(world.charlie, draft, factories.resource_payload())
    with pytest.raises(PermissionDenied):
        services.update_resource(world.charlie, resource, {"price": "1"})
    with pytest.raises(PermissionDenied):
        services.remove_resource(world.charlie, resource)
    with pytest.raises(PermissionDenied):
        services.submit_list(world.charlie, draft)
    with pytest.raises(Http404):
        selectors.list_for_publisher(world.charlie, draft.pk)
    with pytest.raises(Http404):
        selectors.list_for_viewer(world.charlie, draft.pk)  # drafts are private
    with pytest.raises(Http404):
        selectors.resource_for_viewer(world.sam, resource.pk)


def test_only_officers_review(world: World) -> None:
    submitted = _submitted(world)
    for actor in (world.alice, world.charlie, world.sam):
        with pytest.raises(PermissionDenied):
            services.start_review(actor, submitted)
        with pytest.raises(PermissionDenied):
            services.publish_list(actor, submitted)
        with pytest.raises(PermissionDenied):
            services.return_list(actor, submitted, "no")
        with pytest.raises(Http404):
            selectors.list_for_officer(actor, submitted.pk)
    assert list(selectors.review_queue(world.alice)) == []
    assert list(selectors.review_queue(world.officer)) == [submitted]


def test_published_list_is_public(world: World) -> None:
    published = _published(world)
    assert selectors.list_for_viewer(None, published.pk) == published
    assert selectors.list_for_viewer(world.charlie, published.pk) == published


def test_a_provider_publishes_lists_like_a_platform(world: World) -> None:
    draft = services.create_list(world.lena, world.batch, {"title_zh": "检测实验室开放清单"})
    assert draft.publisher == world.testing_lab and draft.state == ListState.DRAFT


def test_only_publishers_editors_draft_lists(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.create_list(actor, world.batch, {"title_zh": "x"}),
        "anonymous",
        "sme_a",
        "platform_viewer",
        "officer",
    )
    assert not OpennessList.objects.exists()


#: Everyone who may not change platform A's list: its viewer, the other publishers, an
#: SME and the officer (who reviews lists but does not write them).
NOT_THE_PUBLISHERS_EDITORS = (
    "anonymous",
    "platform_viewer",
    "other_platform",
    "provider",
    "sme_a",
    "officer",
)


def test_a_draft_and_its_resources_change_only_by_the_publishers_editors(world: World) -> None:
    draft = _draft(world)
    resource = services.add_resource(world.alice, draft, factories.resource_payload())
    calls = {
        "update_list": lambda actor: services.update_list(actor, draft, {"title_en": "Taken"}),
        "add_resource": lambda actor: services.add_resource(
            actor, draft, factories.resource_payload()
        ),
        "update_resource": lambda actor: services.update_resource(
            actor, resource, {"price": "1.00"}
        ),
        "remove_resource": lambda actor: services.remove_resource(actor, resource),
        "submit_list": lambda actor: services.submit_list(actor, draft),
    }
    for call in calls.values():
        assert_refused(world, call, *NOT_THE_PUBLISHERS_EDITORS)
    draft.refresh_from_db()
    assert draft.state == ListState.DRAFT and draft.title_en == ""
    assert [r.price for r in draft.resources.all()] == [800]


def test_a_new_version_is_opened_only_by_the_publishers_editors(world: World) -> None:
    published = _published(world)
    assert_refused(
        world,
        lambda actor: services.create_new_version(actor, published),
        *NOT_THE_PUBLISHERS_EDITORS,
    )
    assert OpennessList.objects.filter(series=published.series).count() == 1


def test_every_persona_but_the_officer_is_refused_the_review(world: World) -> None:
    submitted = _submitted(world)
    others = (
        "anonymous",
        "sme_a",
        "platform_operator",
        "platform_viewer",
        "other_platform",
        "provider",
    )
    assert_refused(world, lambda actor: services.start_review(actor, submitted), *others)
    assert_refused(world, lambda actor: services.return_list(actor, submitted, "no"), *others)
    services.start_review(world.officer, submitted)
    assert_refused(world, lambda actor: services.publish_list(actor, submitted), *others)
    assert_refused(
        world,
        lambda actor: selectors.list_for_officer(actor, submitted.pk),
        *others,
        raises=Http404,
    )


def test_unpublished_lists_are_read_by_their_publisher_and_officers_only(world: World) -> None:
    draft = _draft(world)
    resource = services.add_resource(world.alice, draft, factories.resource_payload())
    assert selectors.list_for_viewer(world.bob, draft.pk) == draft
    assert selectors.list_for_viewer(world.officer, draft.pk) == draft
    outsiders = ("anonymous", "other_platform", "provider", "sme_a")
    assert_refused(
        world, lambda actor: selectors.list_for_viewer(actor, draft.pk), *outsiders, raises=Http404
    )
    assert_refused(
        world,
        lambda actor: selectors.resource_for_viewer(actor, resource.pk),
        *outsiders,
        raises=Http404,
    )
    editing = (*outsiders, "officer")  # officers read every list but edit none
    assert_refused(
        world, lambda actor: selectors.list_for_publisher(actor, draft.pk), *editing, raises=Http404
    )
    assert_refused(
        world,
        lambda actor: selectors.resource_for_publisher(actor, resource.pk),
        *editing,
        raises=Http404,
    )


# --- resource validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"resource_type": "spaceship"}, "resource_type", "invalid_choice"),
        ({"access_mode": "paid", "price": None}, "price", "required_for_paid"),
        ({"access_mode": "open", "price": "5"}, "price", "price_for_open"),
        ({"price": "-1"}, "price", "min_value"),
        ({"sme_discount_percent": 120}, "sme_discount_percent", "max_value"),
        ({"capacity": "10", "capacity_period": ""}, "capacity_period", "required_with_capacity"),
        ({"regions": ["999999"]}, "regions", "invalid_choice"),
        ({"industries": ["ZZ"]}, "industries", "invalid_choice"),
        ({"title_zh": "", "title_en": ""}, "title_zh", "required"),
        ({"description_zh": "x" * 5001}, "description_zh", "max_length"),
        ({"contact_email": "not-an-email"}, "contact_email", "invalid"),
        ({"eligible_size_classes": ["giant"]}, "eligible_size_classes", "invalid_choice"),
        ({"keywords": ["k"] * 21}, "keywords", "max_items"),
    ],
)
def test_bad_resource_input_names_the_field(
    world: World, override: dict, field: str, code: str
) -> None:
    draft = _draft(world)
    with pytest.raises(ValidationError) as exc:
        services.add_resource(world.alice, draft, factories.resource_payload(**override))
    assert code in [e.code for e in exc.value.error_dict[field]]
    assert not Resource.objects.exists()


def test_valid_resource_is_stored_completely(world: World) -> None:
    draft = _draft(world)
    resource = services.add_resource(world.alice, draft, factories.resource_payload())
    assert resource.sme_price == 560
    assert list(resource.industries.values_list("code", flat=True)) == ["C"]
    assert resource.eligible_size_classes == ["small", "micro"]
