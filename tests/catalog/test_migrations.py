"""Migration 0004: earlier harvests keyed by (publisher, source key) become harvest sources."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import World

BEFORE = [("catalog", "0002_harvest")]
AFTER = [("catalog", "0005_harvest_source_required")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_earlier_source_keys_become_sources(world: World) -> None:
    platform, alice = world.platform_a, world.alice  # created before going back
    apps = migrate(BEFORE)
    try:
        run_model = apps.get_model("catalog", "HarvestRun")
        record_model = apps.get_model("catalog", "HarvestRecord")
        now = timezone.now()
        given = {
            "https://data.example.org:443/catalog.ttl": "HTTPS://Data.Example.org:443/catalog.ttl",
            "catalog.rdf": "/srv/feeds/a/../catalog.rdf",
            "same.xml": "same.xml",
        }
        for key, source in given.items():
            run_model.objects.create(
                publisher_id=platform.pk,
                actor_id=alice.pk,
                source=source,
                source_key=key,
                status="completed",
                started_at=now,
            )
            record_model.objects.create(
                publisher_id=platform.pk,
                source_key=key,
                source_id=f"id-{key}",
                source_url=source,
                lineage=uuid.uuid4(),
                checksum="0" * 64,
            )
        apps = migrate(AFTER)
        source_model = apps.get_model("catalog", "HarvestSource")
        locations = set(source_model.objects.values_list("kind", "location"))
        assert locations == {
            ("url", "https://data.example.org/catalog.ttl"),
            ("file", "file:///srv/feeds/catalog.rdf"),
            ("file", "name:same.xml"),
        }
        record_model = apps.get_model("catalog", "HarvestRecord")
        for record in record_model.objects.select_related("harvest_source"):
            assert record.harvest_source.owner_id == platform.pk
            assert record.harvest_source.created_by_id == alice.pk
        assert (
            not apps.get_model("catalog", "HarvestRun").objects.filter(harvest_source=None).exists()
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
