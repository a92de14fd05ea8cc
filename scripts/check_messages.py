"""Check the translations: every user-facing string extracted, translated, and compiled.

Fails when `makemessages` would add or drop a msgid, when a Simplified Chinese entry is
empty or fuzzy, or when the committed .mo file is not the compilation of the .po file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "synergy_hub"
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SYNERGY = Path(sys.executable).parent / "synergy"


def msgids(path: Path) -> set[str]:
    """The msgids of a catalog (ignoring the header)."""
    text = path.read_text(encoding="utf-8")
    found = set()
    for block in re.split(r"\n\n+", text):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, flags=re.M)
        if match:
            value = "".join(re.findall(r'"(.*)"', match.group(1)))
            if value:
                found.add(value)
    return found


def doubled(path: Path) -> list[str]:
    """Translations that say the same thing twice in a row (a merge or editing slip seen
    in 54 entries at once): `msgstr` equal to one half repeated."""
    found = []
    for block in re.split(r"\n\n+", path.read_text(encoding="utf-8")):
        match = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, flags=re.M)
        if not match:
            continue
        text = "".join(re.findall(r'"(.*)"', match.group(1)))
        half = len(text) // 2
        if len(text) > 10 and len(text) % 2 == 0 and text[:half] == text[half:]:
            found.append(text[:half])
    return found


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "django.po"
        shutil.copy2(PO, saved)
        try:
            subprocess.run(
                [
                    str(SYNERGY),
                    "makemessages",
                    "-l",
                    "zh_Hans",
                    "--no-obsolete",
                    "--ignore",
                    "matching/engine/*",
                    "--ignore",
                    "odrl/*",
                    "--ignore",
                    "eligibility/*",
                ],
                cwd=PACKAGE,
                check=True,
                capture_output=True,
            )
            extracted = msgids(PO)
        finally:
            shutil.copy2(saved, PO)
        committed = msgids(PO)
        for missing in sorted(extracted - committed)[:20]:
            problems.append(f"not in the catalog (run `make messages`): {missing!r}")
        for stale in sorted(committed - extracted)[:20]:
            problems.append(f"no longer used: {stale!r}")

        untranslated = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", str(PO)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(PO)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for label, text in (("untranslated", untranslated), ("fuzzy", fuzzy)):
            ids = [m for m in re.findall(r'^msgid "(.+)"$', text, flags=re.M)]
            for msgid in ids[:20]:
                problems.append(f"{label}: {msgid!r}")

        for text in doubled(PO)[:20]:
            problems.append(f"translated twice in a row: {text[:60]!r}")

        compiled = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
        if not MO.exists() or compiled.read_bytes() != MO.read_bytes():
            problems.append("the .mo file is stale: run `make messages`")

    for problem in problems:
        print(f"translations: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"translations: {len(committed)} messages, all translated and compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
