"""The backup drill: back up, restore into a fresh database, and find everything as it was.

Runs on SQLite and, with DATABASE_URL set, on PostgreSQL (pg_dump and pg_restore).
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from synergy_hub.audit.models import AuditEvent
from synergy_hub.audit.services import verify
from synergy_hub.backup import databases
from synergy_hub.backup.manifest import FORMAT_VERSION, MANIFEST_NAME
from synergy_hub.backup.services import read_manifest
from synergy_hub.catalog import services as catalog
from synergy_hub.matching.index import IndexStore, store
from synergy_hub.matching.services import search_resources
from tests import factories
from tests.conftest import World
from tests.matching.test_index_reconcile import _crash
from tests.matching.test_index_updates import _publish_new_list


def _every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, every column, as the database driver returns them."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _found(query: str) -> list[str]:
    return [item.resource.title_en for item in search_resources(query, record_exposure=False).items]


def _wipe_database() -> None:
    """Leave no table at all: the database a new server starts with."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def checkpoint(settings: Any, tmp_path: Path) -> Path:
    """The audit checkpoint file, a data-dir file named by a setting, signed as events commit."""
    path = tmp_path / "data" / "checkpoints.jsonl"
    path.parent.mkdir()
    settings.SYNERGY_AUDIT_CHECKPOINT_FILE = path
    return path


@pytest.mark.parametrize("with_index", [True, False], ids=["index-archived", "index-rebuilt"])
def test_restore_drill(
    transactional_db: None,
    world: World,
    tmp_path: Path,
    checkpoint: Path,
    settings: Any,
    with_index: bool,
) -> None:
    existing = factories.openness_list(
        world.platform_a, world.batch, world.alice, state="published"
    )
    factories.resource(existing)
    assert _found("GPU")  # the first search builds the index
    the_list = _publish_new_list(world)
    catalog.publish_list(world.officer, the_list)  # numbered, audited, indexed on commit
    searches = {query: _found(query) for query in ("GPU", "tidal energy", "量子退火")}
    assert searches["tidal energy"] and searches["量子退火"]
    before = _every_row()
    head = verify()
    assert head.ok and head.checked > 0
    signed = checkpoint.read_bytes()
    assert signed  # the publication's events were sealed by a signed checkpoint
    archive = tmp_path / "hub.tar.gz"

    args = ["--output", str(archive), *([] if with_index else ["--without-index"])]
    call_command("backup", *args, verbosity=0)

    manifest = read_manifest(archive)
    assert manifest.vendor == connection.vendor and manifest.index["included"] is with_index
    assert manifest.row_counts == {table: len(rows) for table, rows in before.items()}
    assert manifest.audit_head["seq"] == head.checked
    assert manifest.files == ["SYNERGY_AUDIT_CHECKPOINT_FILE"]
    _wipe_database()
    checkpoint.unlink()
    shutil.rmtree(settings.SYNERGY_INDEX_DIR)  # the new machine has no index yet

    call_command("restore", str(archive), verbosity=0)

    after = _every_row()
    assert after == before  # all columns, datetimes to the microsecond
    times = list(AuditEvent.objects.values_list("occurred_at", flat=True))
    assert any(moment.microsecond % 1000 for moment in times)  # finer than milliseconds
    call_command("audit", "verify", verbosity=0)
    assert checkpoint.read_bytes() == signed
    assert store().in_step()
    assert {query: _found(query) for query in searches} == searches


def _archive(path: Path, **manifest: Any) -> Path:
    """An archive holding only a manifest: enough for the checks made before any restore."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    data = {
        "format_version": FORMAT_VERSION,
        "vendor": connection.vendor,
        "hub_version": "0.1.0",
        "created_at": "2026-12-07T06:00:00+00:00",
        "migrations": {
            app: sorted(name for a, name in loader.disk_migrations if a == app)
            for app in {app for app, _ in loader.disk_migrations}
        },
        "row_counts": {},
        "audit_head": {"seq": 0, "hash": None},
        "catalog_generation": {"epoch": "", "value": 0},
        "index": {"included": False},
        "files": [],
        **manifest,
    }
    body = json.dumps(data).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    return path


def test_restore_refuses_to_overwrite_a_database_in_use(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        call_command("restore", str(_archive(tmp_path / "a.tar.gz")), verbosity=0)
    assert verify().ok  # nothing was touched


def test_a_freshly_migrated_database_counts_as_empty(db: None) -> None:
    """A new server runs `migrate` (which loads the reference data) and then restores."""
    assert databases.tables_in_use() == []
    factories.organisation()
    assert databases.tables_in_use() == ["accounts_organisation"]


def test_restore_refuses_an_archive_from_a_newer_schema(db: None, tmp_path: Path) -> None:
    newer = {"audit": ["0001_initial", "0099_from_the_future"]}
    with pytest.raises(CommandError, match=r"newer schema.*audit\.0099_from_the_future"):
        call_command("restore", str(_archive(tmp_path / "a.tar", migrations=newer)), "--force")


def test_restore_refuses_another_kind_of_database(db: None, tmp_path: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", str(_archive(tmp_path / "a.tar", vendor=other)), "--force")


@pytest.mark.parametrize("content", [b"", b"not a tar file at all"])
def test_restore_names_what_is_not_an_archive(db: None, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.tar.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar"))


def test_backup_refuses_to_overwrite_an_archive(db: None, tmp_path: Path) -> None:
    existing = tmp_path / "hub.tar.gz"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--output", str(existing), verbosity=0)
    assert existing.read_bytes() == b"an earlier backup"


def test_without_the_postgresql_tools_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(databases.shutil, "which", lambda name: None)
    with pytest.raises(databases.DatabaseCopyError, match=r"pg_dump.*not found on PATH.*install"):
        databases._tool("pg_dump")


def test_an_archived_index_behind_its_database_is_replayed_at_restore(
    transactional_db: None, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = factories.openness_list(
        world.platform_a, world.batch, world.alice, state="published"
    )
    factories.resource(existing)
    assert _found("GPU")
    the_list = _publish_new_list(world)
    with monkeypatch.context() as crashing:  # the index update after the commit is lost
        crashing.setattr(IndexStore, "_apply", _crash)
        catalog.publish_list(world.officer, the_list)
    assert not store().in_step()
    archive = tmp_path / "hub.tar"
    call_command("backup", "--output", str(archive), verbosity=0)
    assert read_manifest(archive).index["synced"]["value"] == 0

    call_command("restore", str(archive), "--force", verbosity=0)

    assert store().in_step()
    assert "Tidal energy test basin" in _found("tidal energy")
