"""Progress bars for the backup commands: one bar per step, closed when the next starts."""

from __future__ import annotations

from typing import Any

from tqdm import tqdm

UNITS = {"database": " steps", "archive": "B", "search index": " documents"}


class Bars:
    """A `services.Progress` callable drawing each step's bar on the terminal."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.label: str | None = None
        self.bar: tqdm[Any] | None = None

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if label != self.label or self.bar is None:
            self.close()
            self.label = label
            unit = UNITS.get(label, "")
            self.bar = tqdm(
                total=total,
                desc=label,
                unit=unit.strip() or "it",
                unit_scale=unit == "B",
                disable=self.quiet,
            )
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
