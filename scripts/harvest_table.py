"""Harvest every file of a folder twice with `synergy harvest` and print the numbers.

    DJANGO_SETTINGS_MODULE=synergy_hub.config.settings SYNERGY_DATA_DIR=var/harvest-table \\
        .venv/bin/python scripts/harvest_table.py ../shared/data/catalogs \\
        --publisher 2 --actor operator@demo.synergy-hub.cn

Each file is a source of its own (its resolved path), harvested into the publisher's
drafts by the harvest command itself (`--json`); the second run shows what a re-harvest
of an unchanged source does. Prints a Markdown table: imported / updated / removed /
failed / warnings per run, with the format, skipped and unchanged records, or the reason a
file is not a catalog. The database is written to: use a scratch data directory.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any


def harvest(path: Path, publisher: int, actor: str) -> dict[str, Any]:
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    with contextlib.suppress(CommandError):  # a failed harvest still printed its report
        call_command(
            "harvest",
            str(path),
            publisher=publisher,
            actor=actor,
            json=True,
            language="en",
            stdout=out,
            verbosity=0,
        )
    text = out.getvalue()
    return dict(json.loads(text[text.index("{") :]))


def numbers(report: dict[str, Any]) -> str:
    """imported / updated / removed / failed / warnings, or "source failed"."""
    if report["status"] != "completed":
        return "source failed"
    counts = report["counts"]
    shown = [counts[k] for k in ("imported", "updated", "removed", "failed")]
    return " / ".join(str(n) for n in [*shown, report["warning_count"]])


def remark(first: dict[str, Any], second: dict[str, Any]) -> str:
    """Why a source failed, or what else the runs counted (skipped, unchanged)."""
    if first["status"] != "completed":
        return first["error"].replace("|", "/").replace("\n", " ")[:110]
    parts = [f"{first['format']}"]
    if first["counts"]["skipped"]:
        parts.append(f"{first['counts']['skipped']} skipped (not public)")
    parts.append(f"2nd run {second['counts']['unchanged']} unchanged")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--publisher", type=int, required=True)
    parser.add_argument("--actor", required=True)
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()
    files = sorted(p for p in options.folder.rglob("*") if p.is_file())
    print("| file | first run | second run | |")
    print("|---|---|---|---|")
    for path in files:
        first = harvest(path, options.publisher, options.actor)
        second = harvest(path, options.publisher, options.actor)
        name = path.relative_to(options.folder)
        print(f"| {name} | {numbers(first)} | {numbers(second)} | {remark(first, second)} |")


if __name__ == "__main__":
    main()
