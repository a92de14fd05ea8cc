"""Back the hub up into one archive and restore it: database, search index, data files.

The search index travels in the archive (decision 0018): copying it takes seconds where
rebuilding takes minutes to hours (16 min at 100,000 resources with the default
encoder, 2.4 h with the English side). It is copied before the database, so it never
reflects a change the database copy lacks; after a restore the publications in between
are replayed from the database (`IndexStore.reconcile`), and an index that cannot be
replayed is rebuilt. `--without-index` makes a smaller archive whose restore rebuilds.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from synergy_hub.backup import databases
from synergy_hub.backup.manifest import (
    DATABASE_MEMBERS,
    FILES_FOLDER,
    INDEX_FOLDER,
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    unknown_migrations,
)
from synergy_hub.matching.index import store

DATA_FILE_SETTINGS = ("SYNERGY_AUDIT_CHECKPOINT_FILE",)
"""Settings naming data-dir files that an archive carries when they exist.

Each is archived as files/<SETTING> and restored to the path the setting names on the
restoring machine, so the data directory may move between the two.
"""
CHUNK = 1 << 20
Progress = Callable[[str, int, int | None], None]
"""Called with a step's label, the work done and the total (None when unknown)."""


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    """What a restore did, for the operator."""

    manifest: Manifest
    migrated: bool
    index: str


def _step(progress: Progress | None, label: str) -> Callable[[int, int | None], None]:
    def report(done: int, total: int | None) -> None:
        if progress is not None:
            progress(label, done, total)

    return report


def hub_version() -> str:
    try:
        return metadata.version("synergy-hub")
    except metadata.PackageNotFoundError:
        return "unknown"


def default_output() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"synergy-{stamp}.tar.gz"


def _data_files() -> dict[str, Path]:
    """The data files to carry, by setting name, that exist now."""
    found = {}
    for name in DATA_FILE_SETTINGS:
        value = getattr(settings, name, None)
        if value and Path(value).is_file():
            found[name] = Path(value)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _members(folder: Path) -> list[tuple[Path, str]]:
    """Every file under `folder` with its name in the archive (relative, / separated)."""
    return [
        (path, path.relative_to(folder).as_posix())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]


def create_backup(
    output: Path | None = None, *, with_index: bool = True, progress: Progress | None = None
) -> tuple[Path, Manifest]:
    """Write an archive of the hub to `output` (a new file) while the hub keeps serving."""
    output = Path(output or default_output())
    if output.exists():
        raise BackupError(f"{output} exists already: name a new file with --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = databases.vendor()
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"backing up a {vendor} database is not supported")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as scratch:
        staging = Path(scratch)
        index_synced = None
        if with_index:  # before the database: the index may lag the copy, never lead it
            index_synced = store().snapshot(staging / INDEX_FOLDER)
        database = staging / DATABASE_MEMBERS[vendor]
        database.parent.mkdir(parents=True)
        try:
            if vendor == "sqlite":
                summary = databases.dump_sqlite(database, _step(progress, "database"))
            else:
                summary = databases.dump_postgres(database, _step(progress, "database"))
        except databases.DatabaseCopyError as failed:
            raise BackupError(str(failed)) from failed
        files = _data_files()
        for name, path in files.items():
            copy = staging / FILES_FOLDER / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
        members = _members(staging)
        manifest = Manifest(
            vendor=vendor,
            hub_version=hub_version(),
            created_at=datetime.now(UTC).isoformat(),
            migrations=summary["migrations"],
            row_counts=summary["row_counts"],
            audit_head=summary["audit_head"],
            catalog_generation=summary["catalog_generation"],
            index=(
                {"included": True, "synced": index_synced.to_json() if index_synced else None}
                if (staging / INDEX_FOLDER).is_dir()
                else {"included": False, "restore": "rebuild"}
            ),
            files=sorted(files),
            checksums={name: _sha256(path) for path, name in members},
        )
        _write_archive(output, manifest, members, _step(progress, "archive"))
    return output, manifest


def _write_archive(
    output: Path,
    manifest: Manifest,
    members: list[tuple[Path, str]],
    progress: Callable[[int, int | None], None],
) -> None:
    """Write the tar file under a temporary name and rename it: no half archive is left."""
    mode = "w:gz" if output.name.endswith((".gz", ".tgz")) else "w"
    partial = output.with_name(f".{output.name}.partial")
    total = sum(path.stat().st_size for path, _ in members)
    done = 0
    try:
        with tarfile.open(partial, mode) as archive:  # type: ignore[call-overload]
            body = json.dumps(manifest.to_json(), indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(body)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            for path, name in members:
                archive.add(path, arcname=name, recursive=False)
                done += path.stat().st_size
                progress(done, total)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def read_manifest(path: Path) -> Manifest:
    """The manifest of the archive at `path`, or a BackupError saying what is wrong."""
    try:
        with tarfile.open(path, "r:*") as archive:
            member = archive.extractfile(MANIFEST_NAME)
            if member is None:
                raise BackupError(f"{path} holds no {MANIFEST_NAME}: not a hub backup")
            return Manifest.from_json(json.load(member))
    except FileNotFoundError as missing:
        raise BackupError(f"{path} does not exist") from missing
    except KeyError as missing:
        raise BackupError(f"{path} holds no {MANIFEST_NAME}: not a hub backup") from missing
    except (tarfile.TarError, OSError, json.JSONDecodeError) as broken:
        raise BackupError(f"{path} is not a readable backup archive: {broken}") from broken
    except ManifestError as refused:
        raise BackupError(str(refused)) from refused


def check_restorable(manifest: Manifest, *, force: bool) -> None:
    """Refuse what a restore must not do: another database kind, a newer schema, data lost."""
    vendor = databases.vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            f"the archive holds a {manifest.vendor} database but this hub uses {vendor}: "
            "restore it into a hub configured for the same database"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations.keys()
    newer = unknown_migrations(manifest.migrations, known)
    if newer:
        raise BackupError(
            f"the archive comes from a newer schema (hub {manifest.hub_version}); this hub "
            f"lacks the migrations {', '.join(newer[:5])}{' …' if len(newer) > 5 else ''}: "
            "install the hub version that made it, or a newer one, and restore again"
        )
    if not force:
        in_use = databases.tables_in_use()
        if in_use:
            raise BackupError(
                f"the database is not empty ({', '.join(in_use[:5])}"
                f"{' …' if len(in_use) > 5 else ''} hold rows): restoring replaces all of "
                "it; add --force to overwrite it"
            )


def _extract(archive_path: Path, manifest: Manifest, target: Path) -> None:
    """Unpack the archive into `target` and check every file against the manifest."""
    with tarfile.open(archive_path, "r:*") as archive:
        archive.extractall(target, filter="data")
    for name, expected in manifest.checksums.items():
        path = target / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"the archive is damaged: {name} does not match its checksum")


def restore_backup(
    path: Path, *, force: bool = False, progress: Progress | None = None
) -> Restored:
    """Replace the database, the search index and the data files by the archive's.

    Stop the hub first: the database is replaced underneath any process still using it.
    An archive of an older schema is restored, then migrated.
    """
    path = Path(path)
    manifest = read_manifest(path)
    check_restorable(manifest, force=force)
    index_root = Path(settings.SYNERGY_INDEX_DIR)
    index_root.parent.mkdir(parents=True, exist_ok=True)
    # On the index's file system, so that the restored index is moved in, not copied.
    with tempfile.TemporaryDirectory(dir=index_root.parent, prefix=".restore-") as scratch:
        unpacked = Path(scratch)
        _extract(path, manifest, unpacked)
        database = unpacked / manifest.database_member
        try:
            if manifest.vendor == "sqlite":
                databases.restore_sqlite(database, _step(progress, "database"))
            else:
                databases.restore_postgres(database, _step(progress, "database"))
        except databases.DatabaseCopyError as failed:
            raise BackupError(str(failed)) from failed
        ContentType.objects.clear_cache()
        _check_rows(manifest)
        pending = _pending_migrations()
        if pending:
            call_command("migrate", interactive=False, verbosity=0)
        for name in manifest.files:
            destination = getattr(settings, name, None)
            if not destination:
                raise BackupError(
                    f"the archive carries files/{name} but the setting {name} is not set here"
                )
            Path(destination).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(unpacked / FILES_FOLDER / name, destination)
        index = store()
        archived_index = unpacked / INDEX_FOLDER
        if manifest.index.get("included") and archived_index.is_dir():
            index.replace_with(archived_index)
        else:
            empty = unpacked / "no-index"
            empty.mkdir()
            index.replace_with(empty)
        outcome = index.reconcile(progress=_step(progress, "search index"))
    return Restored(manifest, bool(pending), outcome)


def _pending_migrations() -> list[str]:
    """The migrations this code has that the restored database has not applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _check_rows(manifest: Manifest) -> None:
    """The restored database holds as many rows per table as the archive said."""
    counts: dict[str, Any] = databases.live_summary()["row_counts"]
    wrong = [
        f"{table} ({counts.get(table)} rows, archive {rows})"
        for table, rows in manifest.row_counts.items()
        if counts.get(table) != rows
    ]
    if wrong:
        raise BackupError(f"the restored database differs from the archive: {', '.join(wrong)}")
