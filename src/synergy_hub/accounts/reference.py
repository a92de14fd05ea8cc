"""Keep the Region and Industry tables equal to the code tables shipped with the package.

The pure modules `eligibility.regions` and `eligibility.industries` are the source of truth;
the tables exist so that resources and organisations can reference codes relationally.
They are synchronised after every `migrate` (inserts and renames; codes are never deleted
because organisations may still reference a retired code).
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction

from synergy_hub.eligibility import industries, regions

_LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2, "section": 0, "division": 1}


def sync_reference_data(using: str = "default", **_: Any) -> None:
    """Insert missing and update renamed region and industry codes."""
    from synergy_hub.accounts.models import Industry, Region

    tables = connections[using].introspection.table_names()
    if Region._meta.db_table not in tables or Industry._meta.db_table not in tables:
        return
    with transaction.atomic(using=using):
        _sync(
            Region,
            using,
            [
                {
                    "code": r.code,
                    "name_zh": r.name_zh,
                    "name_en": r.name_en,
                    "level": r.level,
                    "parent_id": r.parent_code,
                }
                for r in sorted(regions.all_regions(), key=lambda r: _LEVEL_ORDER[r.level])
            ],
        )
        _sync(
            Industry,
            using,
            [
                {
                    "code": i.code,
                    "name_zh": i.name_zh,
                    "name_en": i.name_en,
                    "level": i.level,
                    "section_id": None if i.level == "section" else i.section,
                }
                for i in sorted(industries.all_industries(), key=lambda i: _LEVEL_ORDER[i.level])
            ],
        )


def _sync(model: Any, using: str, rows: list[dict[str, Any]]) -> None:
    existing = {row["code"]: row for row in model.objects.using(using).values(*rows[0].keys())}
    missing = [model(**row) for row in rows if row["code"] not in existing]
    changed = [
        model(**row) for row in rows if row["code"] in existing and existing[row["code"]] != row
    ]
    if missing:
        model.objects.using(using).bulk_create(missing, batch_size=500)
    if changed:
        fields = [name for name in rows[0] if name != "code"]
        model.objects.using(using).bulk_update(changed, fields, batch_size=500)
