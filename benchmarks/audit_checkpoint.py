"""What sealing the audit log costs a write: one event per transaction, with and without.

    python -m benchmarks.audit_checkpoint [--transactions 300] [--events 1] [--data-dir DIR]

In a fresh SQLite database (in `DIR`, default a temporary folder: never the checkout),
commits `--transactions` transactions of `--events` audit events each, first with the
signed checkpoint written after each commit (as the product does), then with it switched
off; prints the median and 95th-percentile time per transaction of each and the size of the
checkpoint file. `synergy audit verify` is timed last, over both runs' events.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def _setup(folder: Path) -> None:
    os.environ["SYNERGY_DATA_DIR"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _run(transactions: int, events: int, *, sealed: bool) -> list[float]:
    from django.db import transaction

    from synergy_hub.audit import services
    from synergy_hub.catalog.models import Programme

    names = {"name_zh": "基准", "name_en": "Bench", "start_year": 2026, "end_year": 2028}
    programme, _ = Programme.objects.get_or_create(code="bench", defaults=names)
    original = services._seal_on_commit
    if not sealed:
        services._seal_on_commit = lambda: None
    timings = []
    try:
        for n in range(transactions):
            start = time.perf_counter()
            with transaction.atomic():
                for k in range(events):
                    services.record(
                        actor=None, action="bench.changed", obj=programme, after={"n": n, "k": k}
                    )
            timings.append(time.perf_counter() - start)
    finally:
        services._seal_on_commit = original
    return timings


def _summary(label: str, timings: list[float]) -> dict[str, Any]:
    ordered = sorted(timings)
    return {
        "run": label,
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--transactions", type=int, default=300)
    parser.add_argument("--events", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="audit-bench-"))
    _setup(folder)
    from synergy_hub.audit.services import checkpoint_file, verify

    rows = [
        _summary("sealed after each commit", _run(args.transactions, args.events, sealed=True)),
        _summary("hash chain only", _run(args.transactions, args.events, sealed=False)),
    ]
    start = time.perf_counter()
    report = verify()
    verify_s = time.perf_counter() - start
    print(f"| run ({args.events} event(s) per transaction) | median ms | p95 ms |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row['run']} | {row['median_ms']} | {row['p95_ms']} |")
    size = checkpoint_file().stat().st_size
    print(
        f"\ncheckpoint file: {size} bytes for {report.checkpoints} checkpoints; "
        f"verify over {report.checked} events: {verify_s * 1000:.0f} ms "
        f"({report.unsealed} unsealed, ok={report.ok})"
    )


if __name__ == "__main__":
    main()
