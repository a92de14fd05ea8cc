"""Inner services (`…_in_transaction`): they compose in one caller's transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from synergy_hub.audit.models import AuditEvent
from synergy_hub.audit.services import verify
from synergy_hub.catalog import services
from synergy_hub.catalog.models import Need, OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.validation import FieldErrors
from tests import factories
from tests.conftest import World


def clean_resource(**overrides: object) -> services.CleanResource:
    errors = FieldErrors()
    clean = services.clean_resource_data(factories.resource_payload(**overrides), errors)
    errors.raise_if_any()
    return clean


def test_two_inner_writes_roll_back_together_when_the_second_fails(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    submitted = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.SUBMITTED
    )
    with pytest.raises(ValidationError) as exc, transaction.atomic(durable=True):
        services.add_resource_in_transaction(world.alice, draft, clean_resource())
        services.add_resource_in_transaction(world.alice, submitted, clean_resource())
    assert exc.value.error_dict["state"][0].code == "not_editable"
    assert not Resource.objects.exists()
    assert not AuditEvent.objects.exists()
    assert verify().ok


def test_a_list_and_its_resources_in_one_transaction(world: World) -> None:
    with transaction.atomic(durable=True):
        created = services.create_list_in_transaction(
            world.alice, world.platform_a, world.batch, {"title_en": "Composed list"}
        )
        first = services.add_resource_in_transaction(world.alice, created, clean_resource())
        second = services.add_resource_in_transaction(
            world.alice, created, clean_resource(title_en="Second")
        )
        services.update_resource_in_transaction(
            world.alice, first, clean_resource(title_en="First, renamed")
        )
        services.remove_resource_in_transaction(world.alice, second)
    assert [r.title_en for r in created.resources.all()] == ["First, renamed"]
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "catalog.list.created",
        "catalog.resource.added",
        "catalog.resource.added",
        "catalog.resource.updated",
        "catalog.resource.removed",
    ]
    assert verify().ok


def test_inner_forms_write_like_the_public_services(world: World) -> None:
    by_hand = services.create_list(world.alice, world.batch, {"title_en": "By hand"})
    services.add_resource(world.alice, by_hand, factories.resource_payload())
    with transaction.atomic(durable=True):
        composed = services.create_list_in_transaction(
            world.alice, world.platform_a, world.batch, {"title_en": "Composed"}
        )
        services.add_resource_in_transaction(world.alice, composed, clean_resource())
    events = list(
        AuditEvent.objects.order_by("seq").values_list(
            "action", "object_type", "organisation_id", "actor_id"
        )
    )
    assert len(events) == 4 and events[:2] == events[2:]
    hand, composed_resource = Resource.objects.order_by("pk")
    assert hand.position == composed_resource.position == 0
    assert {r.code for r in composed_resource.regions.all()} == {"330000"}


def test_an_inner_lineage_continues_an_earlier_resource(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    earlier = factories.resource(draft)
    with transaction.atomic(durable=True):
        again = services.add_resource_in_transaction(
            world.alice, draft, clean_resource(), lineage=earlier.lineage
        )
    assert again.lineage == earlier.lineage and again.position == 1


def test_a_new_version_and_a_transition_in_one_transaction(world: World) -> None:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(published)
    with transaction.atomic(durable=True):
        version = services.create_new_version_in_transaction(world.alice, published)
        services.update_list_in_transaction(world.alice, version, {"title_en": "Version 2"})
        services.submit_list_in_transaction(world.alice, version)
    version.refresh_from_db()
    assert (version.version, version.state, version.title_en) == (2, "submitted", "Version 2")
    assert version.resources.count() == 1


def test_needs_compose_too(world: World) -> None:
    errors = FieldErrors()
    clean = services.clean_need_data({"title": "GPU", "description": "Training"}, errors)
    with pytest.raises(ValidationError), transaction.atomic(durable=True):
        need = services.create_need_in_transaction(world.sam, world.sme, clean)
        services.update_need_in_transaction(world.sam, need, clean | {"status": "fulfilled"})
        raise ValidationError("the caller changes its mind")
    assert not Need.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_inner_forms_refuse_to_run_outside_a_transaction(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        services.add_resource_in_transaction(world.alice, draft, clean_resource())
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        services.create_list_in_transaction(
            world.alice, world.platform_a, world.batch, {"title_en": "Loose"}
        )
    assert not Resource.objects.exists()
    assert OpennessList.objects.count() == 1
