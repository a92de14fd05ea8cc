"""Copying the database in and out: SQLite's online backup API, PostgreSQL's dump tools.

Both copy one consistent moment while the hub keeps serving, and the summary written
into the manifest (row counts, migrations, audit chain head, catalog generation) is
read from that same moment: from the copied SQLite file, or inside the PostgreSQL
transaction whose snapshot `pg_dump` dumps.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from synergy_hub.accounts.models import Industry, Region
from synergy_hub.audit.models import ChainHead
from synergy_hub.matching.models import CatalogGeneration

Progress = Callable[[int, int | None], None]
SQLITE_PAGES_PER_STEP = 1024
MIGRATE_FILLS = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        Region._meta.db_table,  # the reference data, synchronised after every migrate
        Industry._meta.db_table,
    }
)
"""Tables that `migrate` fills by itself: rows there do not make a database "in use"."""


class DatabaseCopyError(RuntimeError):
    """Copying the database in or out failed; the message says why and what to do."""


def vendor() -> str:
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def summarise(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """Row counts, applied migrations, audit chain head and catalog generation (DB-API cursor)."""
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (a table name)
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    head: dict[str, Any] = {"seq": 0, "hash": None}
    if ChainHead._meta.db_table in tables:
        cursor.execute(
            f"SELECT last_seq, last_hash FROM {_quote(ChainHead._meta.db_table)} "  # noqa: S608
            "ORDER BY id LIMIT 1"
        )
        row = cursor.fetchone()
        if row is not None:
            head = {"seq": int(row[0]), "hash": row[1]}
    generation: dict[str, Any] = {"epoch": "", "value": 0}
    if CatalogGeneration._meta.db_table in tables:
        cursor.execute(
            f"SELECT epoch, value FROM {_quote(CatalogGeneration._meta.db_table)} "  # noqa: S608
            "ORDER BY id LIMIT 1"
        )
        row = cursor.fetchone()
        if row is not None:
            # a UUID on PostgreSQL, 32 hexadecimal digits on SQLite
            generation = {"epoch": str(row[0]).replace("-", ""), "value": int(row[1])}
    return {
        "row_counts": counts,
        "migrations": migrations,
        "audit_head": head,
        "catalog_generation": generation,
    }


def live_summary() -> dict[str, Any]:
    """`summarise` for the configured database as it is now."""
    with connection.cursor() as cursor:
        return summarise(cursor, connection.introspection.table_names(cursor))


def tables_in_use() -> list[str]:
    """The tables holding rows beyond what `migrate` writes itself (empty: safe to restore)."""
    counts = live_summary()["row_counts"]
    return [table for table, rows in counts.items() if rows and table not in MIGRATE_FILLS]


# -- SQLite --------------------------------------------------------------------------------------


def _sqlite_handle() -> sqlite3.Connection:
    connection.ensure_connection()
    handle = connection.connection
    assert isinstance(handle, sqlite3.Connection)
    return handle


def _sqlite_tables(handle: sqlite3.Connection) -> list[str]:
    rows = handle.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _pages(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report


def dump_sqlite(target: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Copy the live database into the file `target` and summarise the copy."""
    copy = sqlite3.connect(target)
    try:
        _sqlite_handle().backup(copy, pages=SQLITE_PAGES_PER_STEP, progress=_pages(progress))
        cursor = copy.cursor()
        return summarise(cursor, _sqlite_tables(copy))
    finally:
        copy.close()


def restore_sqlite(source: Path, progress: Progress | None = None) -> None:
    """Replace the whole configured database by the copy `source`, page by page."""
    original = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        original.backup(_sqlite_handle(), pages=SQLITE_PAGES_PER_STEP, progress=_pages(progress))
    finally:
        original.close()
    connection.close()


# -- PostgreSQL ------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseCopyError(
            f"`{name}` was not found on PATH: install the PostgreSQL client tools of the "
            "server's major version (Debian: apt-get install postgresql-client) and retry"
        )
    return found


def _connection_arguments() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    arguments = ["--no-password", "--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return arguments, environment


def _run_counting(
    command: list[str],
    environment: dict[str, str],
    marker: str,
    total: int | None,
    progress: Progress | None,
) -> None:
    """Run a verbose dump tool, counting its stderr lines that contain `marker` as progress."""
    done, tail = 0, list[str]()
    process = subprocess.Popen(  # noqa: S603 (a tool found on PATH, arguments from settings)
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:
        tail = [*tail[-20:], line.rstrip()]
        if marker in line:
            done += 1
            if progress is not None:
                progress(done, total)
    if process.wait() != 0:
        details = "\n".join(line for line in tail if "error" in line.lower()) or "\n".join(tail)
        raise DatabaseCopyError(f"{Path(command[0]).name} failed:\n{details}")


def dump_postgres(target: Path, progress: Progress | None = None) -> dict[str, Any]:
    """`pg_dump --format=custom` into `target` and the summary, both of one snapshot."""
    tool = _tool("pg_dump")
    arguments, environment = _connection_arguments()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        summary = summarise(cursor, connection.introspection.table_names(cursor))
        _run_counting(
            [
                tool,
                "--format=custom",
                "--verbose",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *arguments,
            ],
            environment,
            "dumping contents of table",
            len(summary["row_counts"]),
            progress,
        )
    return summary


def restore_postgres(source: Path, progress: Progress | None = None) -> None:
    """Replace the configured database's public schema by the dump `source`.

    The schema is dropped and recreated first, so tables the dump does not hold (from a
    later migration) do not survive; `pg_restore` then runs in one transaction.
    """
    tool = _tool("pg_restore")
    arguments, environment = _connection_arguments()
    listing = subprocess.run(  # noqa: S603
        [tool, "--list", str(source)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        raise DatabaseCopyError(f"pg_restore cannot read the dump: {listing.stderr.strip()}")
    entries = sum(1 for line in listing.stdout.splitlines() if line and not line.startswith(";"))
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    _run_counting(
        [
            tool,
            "--verbose",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *arguments,
            str(source),
        ],
        environment,
        "pg_restore: ",
        entries,
        progress,
    )
