"""Typed readers for settings taken from the environment (with `*_FILE` secrets)."""

from __future__ import annotations

import os
from pathlib import Path


def env(name: str, default: str = "") -> str:
    """Return the variable, or the content of the file named by `NAME_FILE`, or the default."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = env(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a yes/no value, not {raw!r}")


def envint(name: str, default: int) -> int:
    """Read an integer variable."""
    raw = env(name, "").strip()
    return int(raw) if raw else default


def envlist(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = env(name, "").strip()
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default
