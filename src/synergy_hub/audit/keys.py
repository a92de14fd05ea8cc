"""The keys that sign audit checkpoints, read from settings (never from the database).

`SYNERGY_AUDIT_KEYS` lists `key-id:hex-secret` pairs (comma or newline separated; usually
given as `SYNERGY_AUDIT_KEYS_FILE`, a file readable only by the service); the current key
is `SYNERGY_AUDIT_KEY_ID`, or the last one listed. Outside production, with no key listed,
a development key derived from the secret key is used, under the id `dev-only`, so that it
can never pass for a real one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_KEY_ID = "dev-only"
MIN_SECRET_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


@dataclass(frozen=True)
class Keyring:
    """Every key that verification accepts, and the id of the one that signs new checkpoints."""

    keys: dict[str, bytes]
    current_id: str

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def parse_keys(text: str) -> dict[str, bytes]:
    """Read `id:hex` pairs; refuse malformed ids, non-hex or short secrets and repeated ids."""
    keys: dict[str, bytes] = {}
    for item in re.split(r"[,\n]", text):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        key_id, sep, hex_secret = item.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "SYNERGY_AUDIT_KEYS: each entry must read `key-id:hex-secret` "
                "(id of letters, digits, '.', '_' or '-')"
            )
        try:
            secret = bytes.fromhex(hex_secret.strip())
        except ValueError as error:
            raise ImproperlyConfigured(
                f"SYNERGY_AUDIT_KEYS: the secret of key {key_id!r} is not hexadecimal"
            ) from error
        if len(secret) < MIN_SECRET_BYTES:
            raise ImproperlyConfigured(
                f"SYNERGY_AUDIT_KEYS: key {key_id!r} is shorter than {MIN_SECRET_BYTES} bytes"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"SYNERGY_AUDIT_KEYS: key id {key_id!r} is listed twice")
        keys[key_id] = secret
    return keys


def development_key() -> bytes:
    """The development-only key: derived from the secret key, never accepted in production."""
    return hashlib.sha256(
        b"synergy-hub development-only audit key:" + settings.SECRET_KEY.encode("utf-8")
    ).digest()


def keyring() -> Keyring:
    """The configured keys; in production a listed key is required."""
    keys = parse_keys(getattr(settings, "SYNERGY_AUDIT_KEYS", ""))
    production = getattr(settings, "PRODUCTION", False)
    if not keys:
        if production:
            raise ImproperlyConfigured(
                "SYNERGY_AUDIT_KEYS (or SYNERGY_AUDIT_KEYS_FILE) must list the audit signing key "
                "in production"
            )
        keys = {DEV_KEY_ID: development_key()}
    if production and DEV_KEY_ID in keys:
        raise ImproperlyConfigured(f"the key id {DEV_KEY_ID!r} is refused in production")
    current_id = getattr(settings, "SYNERGY_AUDIT_KEY_ID", "") or list(keys)[-1]
    if current_id not in keys:
        raise ImproperlyConfigured(
            f"SYNERGY_AUDIT_KEY_ID is {current_id!r}, which SYNERGY_AUDIT_KEYS does not list"
        )
    return Keyring(keys=keys, current_id=current_id)
