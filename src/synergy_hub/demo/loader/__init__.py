"""Load the demo catalog into the database: deterministic for a seed, bulk-inserted, with progress.

The default size matches the product's demo (about 20 publishers, 300 SMEs, 3 batches,
600+ resources of every type, 200 needs); `resources=N` grows the catalog for benchmarks
by adding lists and publishers, not by repeating rows.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from synergy_hub.audit.services import record
from synergy_hub.catalog.models import OpennessList, Programme
from synergy_hub.demo import access as access_demo
from synergy_hub.demo import programmes as programme_demo
from synergy_hub.demo.cultivation import load_cultivation
from synergy_hub.demo.governance import load_governance
from synergy_hub.demo.loader.catalog import CatalogStep
from synergy_hub.demo.loader.common import (
    DEFAULT_NEEDS,
    DEFAULT_RESOURCES,
    DEFAULT_SMES,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    Progress,
    noop_progress,
)
from synergy_hub.demo.loader.needs import NeedsStep
from synergy_hub.demo.loader.organisations import DemoLogins, OrganisationsStep

__all__ = [
    "DEFAULT_NEEDS",
    "DEFAULT_RESOURCES",
    "DEFAULT_SMES",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DemoBuilder",
    "DemoLogins",
    "Progress",
    "load_demo_data",
]


class DemoBuilder(OrganisationsStep, CatalogStep, NeedsStep):
    """Builds the demo rows from one random generator so every run gives the same data.

    The steps live in `organisations`, `catalog` and `needs`; the state and helpers they
    share in `common`.
    """


def load_demo_data(
    *,
    seed: int = 2026,
    resources: int = DEFAULT_RESOURCES,
    smes: int = DEFAULT_SMES,
    needs: int = DEFAULT_NEEDS,
    progress: Progress = noop_progress,
    today: date | None = None,
) -> tuple[DemoLogins, dict[str, int]]:
    """Fill an empty database with the demo catalog; refuses a database that has a programme."""
    if Programme.objects.exists():
        raise RuntimeError(
            "the database already holds a programme; demo data loads only into an empty one"
        )
    builder = DemoBuilder(
        seed=seed, resources=resources, smes=smes, needs=needs, progress=progress, today=today
    )
    # One transaction: a failure part-way leaves the database as empty as it was.
    with transaction.atomic():
        batches = builder.programme()
        office, publishers, sme_rows = builder.organisations()
        logins, authors = builder.users(office, publishers, sme_rows)
        created = builder.lists_and_resources(batches, publishers, authors)
        need_count = builder.needs(sme_rows, authors)
        builder.pending_signups()
        pilots = programme_demo.build(
            builder.rng,
            builder.today,
            builder.officer,
            batches[0].programme,
            publishers,
            sme_rows,
            authors,
        )
        governance = load_governance(
            builder.rng,
            builder.today,
            publishers,
            sme_rows,
            authors,
            builder.password_hash,
            DEMO_DOMAIN,
        )
        counts = {
            "publishers": len(publishers),
            "smes": len(sme_rows),
            "resources": created,
            "needs": need_count,
            "lists": OpennessList.objects.count(),
            **pilots,
            **governance,
        }
        record(actor=builder.officer, action="demo.loaded", obj=batches[0].programme, after=counts)
        access_users = access_demo.sme_users(
            sme_rows, authors[sme_rows[0].pk], builder.password_hash, DEMO_DOMAIN
        )
    # The access services open durable transactions of their own, so the requests and
    # agreements come after the catalog is committed (see demo/access.py).
    operator = builder.login_users.get("platform operator")
    provider = builder.login_users.get("service provider")
    if operator is not None and provider is not None:
        counts |= access_demo.load_access(builder.rng, access_users, operator, provider)
        counts |= load_cultivation(builder.rng, access_users[0], provider, access_users)
    return logins, counts
