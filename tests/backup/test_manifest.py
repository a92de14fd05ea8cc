"""The manifest's rules, read from the archive alone."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.backup.manifest import (
    FORMAT_VERSION,
    Manifest,
    ManifestError,
    unknown_migrations,
)


def _manifest(**overrides: Any) -> dict[str, Any]:
    data = Manifest(
        vendor="sqlite",
        hub_version="0.1.0",
        created_at="2026-12-07T06:00:00.123456+00:00",
        migrations={"audit": ["0001_initial"]},
        row_counts={"audit_auditevent": 3},
        audit_head={"seq": 3, "hash": "ab" * 32},
        catalog_generation={"epoch": "", "value": 0},
        index={"included": False},
        files=[],
    ).to_json()
    data.update(overrides)
    return data


def test_a_manifest_reads_back_what_was_written() -> None:
    data = _manifest()
    assert Manifest.from_json(data).to_json() == data


def test_a_newer_format_is_refused_naming_the_version() -> None:
    with pytest.raises(ManifestError, match=f"format version {FORMAT_VERSION + 1}"):
        Manifest.from_json(_manifest(format_version=FORMAT_VERSION + 1))


@pytest.mark.parametrize("data", [[], {"format_version": "1"}, _manifest(vendor="oracle")])
def test_what_is_not_a_manifest_is_refused(data: Any) -> None:
    with pytest.raises(ManifestError):
        Manifest.from_json(data)


def test_a_missing_field_is_named() -> None:
    data = _manifest()
    del data["row_counts"]
    with pytest.raises(ManifestError, match="row_counts"):
        Manifest.from_json(data)


def test_migrations_this_code_lacks_mark_a_newer_schema() -> None:
    known = [("audit", "0001_initial"), ("catalog", "0001_initial")]
    assert unknown_migrations({"audit": ["0001_initial"]}, known) == []
    assert unknown_migrations({"audit": ["0001_initial", "0002_seal"]}, known) == [
        "audit.0002_seal"
    ]
