"""Turn each (publisher, source key) of earlier harvests into a harvest source.

A URL key is already the canonical URL (default ports are dropped as the harvest now
does). A file key was the bare file name: when the latest run of that key was given an
absolute path, the source becomes that path's `file://` URI; otherwise the folder is
unknown and the source keeps the name (`name:<file name>`) until the next harvest of a
file of that name by its publisher adopts it (decision 0013).
"""

import hashlib
import os
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import migrations
from django.utils import timezone

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _url(key):
    parts = urlsplit(key)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def _location(key, given):
    if "://" in key:
        return "url", _url(key)
    if given and os.path.isabs(given):
        return "file", "file://" + quote(str(PurePosixPath(os.path.normpath(given))))
    return "file", f"name:{key}"


def to_sources(apps, schema_editor):
    run_model = apps.get_model("catalog", "HarvestRun")
    record_model = apps.get_model("catalog", "HarvestRecord")
    source_model = apps.get_model("catalog", "HarvestSource")
    keys = set(run_model.objects.values_list("publisher_id", "source_key"))
    keys |= set(record_model.objects.values_list("publisher_id", "source_key"))
    for publisher_id, key in sorted(keys):
        runs = run_model.objects.filter(publisher_id=publisher_id, source_key=key)
        first = runs.order_by("started_at", "pk").first()
        latest = runs.order_by("-started_at", "-pk").first()
        kind, location = _location(key, latest.source if latest else "")
        source, _created = source_model.objects.get_or_create(
            owner_id=publisher_id,
            identity=hashlib.sha256(location.encode()).hexdigest(),
            defaults={
                "kind": kind,
                "location": location,
                "created_by_id": first.actor_id if first else None,
                "created_at": first.started_at if first else timezone.now(),
            },
        )
        runs.update(harvest_source=source)
        record_model.objects.filter(publisher_id=publisher_id, source_key=key).update(
            harvest_source=source
        )


def to_keys(apps, schema_editor):
    run_model = apps.get_model("catalog", "HarvestRun")
    record_model = apps.get_model("catalog", "HarvestRecord")
    for model in (run_model, record_model):
        for row in model.objects.exclude(harvest_source=None).select_related("harvest_source"):
            location = row.harvest_source.location
            key = location if row.harvest_source.kind == "url" else location.rsplit("/", 1)[-1]
            row.source_key = key.removeprefix("name:")[:500]
            if model is record_model:
                row.publisher_id = row.harvest_source.owner_id
            row.save()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_translations_and_harvest_sources")]

    operations = [migrations.RunPython(to_sources, to_keys)]
