"""The `synergy` console command: Synergy Hub's own commands plus all of Django's.

`synergy run`, `synergy demo-data --scale N`, `synergy audit verify`, `synergy migrate`, …
Hyphenated names map to the management commands with underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Dispatch to Django's management machinery with our settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "synergy"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
