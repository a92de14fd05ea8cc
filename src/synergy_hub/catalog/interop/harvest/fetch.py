"""Read a harvest source from a file or an http(s) URL, safely.

URLs: only http and https, a timeout, a size cap, at most a few redirects, and no
address that is not public (loopback, private, link-local, …) — on the first request or
any redirect — unless `SYNERGY_HARVEST_ALLOW_PRIVATE` is set. Files only when the caller
allows them (the command line does; a web form must not).
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_TIMEOUT = 20
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
ACCEPT = "text/turtle, application/ld+json, application/rdf+xml, application/json;q=0.9, */*;q=0.1"


class SourceError(Exception):
    """The source could not be read; the message is shown to the user as the reason."""


@dataclass(frozen=True)
class FetchedSource:
    """The bytes of a source with where they came from."""

    location: str  # as given (URL or path)
    url: str  # the final URL after redirects, or "" for a file
    key: str  # the source's canonical identity for re-harvests (`canonical_location`)
    content: bytes
    content_type: str = ""

    @property
    def kind(self) -> str:
        return "file" if self.key.startswith("file://") else "url"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def is_url(location: str) -> bool:
    return "://" in location.split("?", 1)[0][:12]


_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """A URL as a source's identity: no fragment, scheme and host in lower case, no default
    port, `/` for an empty path (the query stays: it can select a catalog)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def canonical_file(path: str) -> str:
    """A file as a source's identity: the `file://` URI of its resolved absolute path.

    Resolving removes `..` and symbolic links, so every way of naming the same file gives
    the same source, and two files of the same name in different folders stay apart.
    """
    resolved = Path(path).expanduser().resolve(strict=False)
    return "file://" + quote(resolved.as_posix())


def source_key(location: str) -> str:
    """The canonical identity of a URL or a file path (see `HarvestSource`)."""
    if is_url(location):
        return canonical_url(location)
    return canonical_file(location)


def source_identity(key: str) -> str:
    """The digest that identifies a source among its owner's (`HarvestSource.identity`)."""
    return hashlib.sha256(key.encode()).hexdigest()


def check_address(url: str) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceError(_("Only http and https URLs can be harvested."))
    if not parts.hostname:
        raise SourceError(_("The URL has no host."))
    if _setting("SYNERGY_HARVEST_ALLOW_PRIVATE", False):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise SourceError(
            _("The host %(host)s could not be resolved.") % {"host": parts.hostname}
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise SourceError(
                _("%(host)s is not a public address; harvesting from it is not allowed.")
                % {"host": parts.hostname}
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a few redirects, each checked like the first address."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_capped(stream: IO[bytes], limit: int) -> bytes:
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise SourceError(
            _("The source is larger than %(mb)d MB.") % {"mb": max(1, limit // (1024 * 1024))}
        )
    return content


def fetch_url(url: str) -> FetchedSource:
    """GET a URL with the checks above."""
    check_address(url)
    opener = urllib.request.build_opener(_CheckedRedirects())
    headers = {"Accept": ACCEPT, "User-Agent": "SynergyHub-harvester/1"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) checked above
    timeout = _setting("SYNERGY_HARVEST_TIMEOUT", DEFAULT_TIMEOUT)
    limit = _setting("SYNERGY_HARVEST_MAX_BYTES", DEFAULT_MAX_BYTES)
    try:
        with opener.open(request, timeout=timeout) as response:
            content = _read_capped(response, limit)
            final_url = response.geturl()
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise SourceError(
            _("The server answered %(status)d for %(url)s.") % {"status": exc.code, "url": url}
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(
            _("The URL could not be read: %(reason)s.") % {"reason": str(reason)[:200]}
        ) from exc
    return FetchedSource(url, final_url, source_key(url), content, content_type)


def read_file(path: str) -> FetchedSource:
    """Read a local file with the same size cap."""
    limit = _setting("SYNERGY_HARVEST_MAX_BYTES", DEFAULT_MAX_BYTES)
    try:
        with Path(path).open("rb") as stream:
            content = _read_capped(stream, limit)
    except OSError as exc:
        raise SourceError(
            _("The file could not be read: %(reason)s.") % {"reason": exc.strerror or exc}
        ) from exc
    return FetchedSource(path, "", source_key(path), content)


def fetch_source(location: str, *, allow_files: bool) -> FetchedSource:
    """Read a URL, or a file when allowed."""
    if is_url(location):
        return fetch_url(location)
    if not allow_files:
        raise SourceError(_("Give an http or https URL."))
    return read_file(location)
