"""The backup archive's manifest and the rules read from it alone (pure Python, no Django).

An archive is a tar file (gzip-compressed when its name ends in .gz or .tgz):

    manifest.json              this module's `Manifest`
    database/sqlite3.db        the SQLite database (online backup API), or
    database/postgresql.dump   the PostgreSQL database (pg_dump --format=custom)
    index/                     the search index's current generation and embedding
                               caches, unless the backup was made without it
    files/<SETTING>            each data-dir file named by a setting (the audit
                               checkpoint file, …), restored to where that setting points
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/sqlite3.db", "postgresql": "database/postgresql.dump"}
INDEX_FOLDER = "index"
FILES_FOLDER = "files"


class ManifestError(ValueError):
    """The archive's manifest is missing, unreadable or from a format this hub cannot read."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds and the state of the hub it was taken from."""

    vendor: str
    hub_version: str
    created_at: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]
    audit_head: dict[str, Any]
    catalog_generation: dict[str, Any]
    index: dict[str, Any]
    files: list[str]
    checksums: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "vendor": self.vendor,
            "hub_version": self.hub_version,
            "created_at": self.created_at,
            "migrations": self.migrations,
            "row_counts": self.row_counts,
            "audit_head": self.audit_head,
            "catalog_generation": self.catalog_generation,
            "index": self.index,
            "files": self.files,
            "checksums": self.checksums,
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Read a manifest, refusing one of a newer format or with fields missing."""
        if not isinstance(data, dict) or not isinstance(data.get("format_version"), int):
            raise ManifestError("the archive's manifest.json is not a backup manifest")
        version = data["format_version"]
        if version > FORMAT_VERSION:
            raise ManifestError(
                f"the archive has format version {version}; this hub reads up to "
                f"{FORMAT_VERSION}: restore it with the hub version that made it "
                f"({data.get('hub_version', 'unknown')}) or a newer one"
            )
        if data.get("vendor") not in DATABASE_MEMBERS:
            raise ManifestError(f"the manifest names an unknown database: {data.get('vendor')!r}")
        try:
            return cls(
                vendor=data["vendor"],
                hub_version=str(data["hub_version"]),
                created_at=str(data["created_at"]),
                migrations={k: list(v) for k, v in data["migrations"].items()},
                row_counts={k: int(v) for k, v in data["row_counts"].items()},
                audit_head=dict(data["audit_head"]),
                catalog_generation=dict(data["catalog_generation"]),
                index=dict(data["index"]),
                files=list(data["files"]),
                checksums=dict(data.get("checksums", {})),
                format_version=version,
            )
        except (KeyError, TypeError, AttributeError, ValueError) as broken:
            raise ManifestError(f"the archive's manifest lacks or garbles {broken}") from broken


def unknown_migrations(
    archived: Mapping[str, Iterable[str]], known: Iterable[tuple[str, str]]
) -> list[str]:
    """The migrations applied in the archive that this code does not have, as "app.name".

    Any such migration means the archive comes from a newer schema than this hub's:
    restoring it would leave tables this version does not understand.
    """
    have = set(known)
    return sorted(
        f"{app}.{name}"
        for app, names in archived.items()
        for name in names
        if (app, name) not in have
    )
