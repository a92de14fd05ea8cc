"""The production web server: gunicorn, several worker processes, bounded queues.

Why each setting is what it is: docs/operations.md, "Server"; the measurements behind
them: docs/benchmarks.md, "Capacity".

- Workers are processes (one per core by default), so requests use every core; each
  runs a few threads, so a request waiting for the database does not hold up the rest.
- The application and the search index are loaded once, in the master process, before
  the workers are forked: they share the index's memory-mapped files and the pages of
  its Python objects (`settle_heap` froze them, so the collector does not copy them),
  and no worker builds the index at start. A new generation of the index (a
  publication in any worker) is seen by every worker at its next search, since each
  search compares the index folder's CURRENT file with the generation it holds.
- Overload turns into fast answers: a worker holds at most `threads + queue` requests;
  beyond that it answers `503 Service Unavailable` with `Retry-After` at once, without
  queueing, and a request that waited `max_wait` seconds for a thread gets the same
  answer instead of a late one. Idle kept-alive connections hold no thread, the listen
  backlog is bounded and a worker stuck past `timeout` seconds is replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import TConn, ThreadWorker

HUB_APPLICATION = "synergy_hub.config.wsgi:application"
WARM_UP_QUERIES = ("数据分析平台", "data analysis platform")
RETRY_AFTER_SECONDS = 1
FIRST_REQUEST_SECONDS = 2
"""How long a new connection may take to send its request (at least; or the keep-alive)."""
WAITED_TOO_LONG = object()
"""What a thread returns for a request it found waiting longer than `max_wait`."""
LINGER_SECONDS = 2.0
"""How long a refused connection is read, waiting for the client to close it."""


@dataclass(frozen=True)
class ServerOptions:
    """What `synergy run` serves with; the settings' `SYNERGY_SERVER` and the proxies."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0
    threads: int = 4
    queue: int = 16
    connections: int = 500
    backlog: int = 128
    keepalive: int = 5
    timeout: int = 30
    max_wait: float = 1.0
    trusted_proxies: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        minimum = {"threads": 1, "queue": 0, "backlog": 1, "keepalive": 0, "timeout": 1}
        for name, least in minimum.items():
            if getattr(self, name) < least:
                raise ValueError(f"SERVER_{name.upper()} must be at least {least}")
        if self.max_wait < 0:
            raise ValueError("SERVER_MAX_WAIT_MS must be 0 (no limit) or more")
        if self.workers < 0:
            raise ValueError("SERVER_WORKERS must be 0 (one per core) or more")
        if self.connections <= self.threads + self.queue:
            raise ValueError(
                "SERVER_CONNECTIONS must exceed SERVER_THREADS + SERVER_QUEUE, "
                "or kept-alive connections could crowd out new ones"
            )

    @property
    def worker_count(self) -> int:
        return self.workers or max(os.cpu_count() or 1, 1)

    @property
    def held_per_worker(self) -> int:
        """Requests a worker holds, running or waiting for a thread, before it refuses."""
        return self.threads + self.queue


def configured_options(host: str, port: int) -> ServerOptions:
    """The options the settings give (environment variables `SERVER_*`, `TRUSTED_PROXIES`)."""
    from django.conf import settings

    return ServerOptions(
        host=host,
        port=port,
        trusted_proxies=tuple(settings.SYNERGY_TRUSTED_PROXIES),
        max_wait=settings.SYNERGY_SERVER_MAX_WAIT,
        **settings.SYNERGY_SERVER,
    )


def gunicorn_settings(options: ServerOptions) -> dict[str, Any]:
    """gunicorn's configuration for these options."""
    return {
        "bind": [
            f"[{options.host}]:{options.port}"
            if ":" in options.host
            else f"{options.host}:{options.port}"
        ],
        "workers": options.worker_count,
        "worker_class": f"{__name__}.BoundedThreadWorker",
        "threads": options.threads,
        "worker_connections": options.connections,
        "backlog": options.backlog,
        "keepalive": options.keepalive,
        "timeout": options.timeout,
        "graceful_timeout": options.timeout,
        "preload_app": True,
        # Trust nobody's X-Forwarded-Proto unless the operator named the proxies.
        "forwarded_allow_ips": ",".join(options.trusted_proxies),
        "proc_name": "synergy-hub",
        "errorlog": "-",
        "loglevel": "warning",
    }


def busy_response() -> bytes:
    """The complete HTTP response of a worker that holds as many requests as it may.

    Written before the request is parsed, so it cannot follow the request's language: it
    says it in both.
    """
    from django.utils import translation

    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append(
                str(translation.gettext("The server is busy. Please try again in a moment."))
            )
    body = ("\n".join(texts) + "\n").encode("utf-8")
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Retry-After: {RETRY_AFTER_SECONDS}\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


class BoundedThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, refusing with a 503 beyond `held_limit` requests.

    gunicorn's own worker queues every readable connection for its thread pool, so under
    overload requests wait, unanswered, for as long as the queue takes. Here a request
    that finds the worker full is read (so that closing does not reset the connection
    before the client reads the answer) and answered with `busy` on the event loop,
    without a thread. A request counts from its arrival (a connection waits for it on
    the event loop) until its thread is done with it.
    """

    held_limit = 0
    """Set by the master process before it forks the workers (0: no limit)."""
    max_wait = 0.0
    """Seconds a request may wait for a thread before it is answered `busy` (0: no limit)."""
    busy = b""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held = 0
        self.held_lock = threading.Lock()
        self.refused = 0
        self.lingering: deque[tuple[float, TConn]] = deque()

    def enqueue_req(self, conn: TConn) -> None:
        with self.held_lock:
            full = bool(self.held_limit) and self.held >= self.held_limit
            if not full:
                self.held += 1
        if full:
            self.refuse(conn)
            return
        conn.queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: TConn) -> Any:
        """Serve the connection's request (in a thread); it stops counting as soon as done.

        A request that waited for the thread longer than `max_wait` is not served: its
        client has waited long enough, and the answer `busy` is sent on the event loop.
        """
        try:
            waited = time.monotonic() - getattr(conn, "queued_at", time.monotonic())
            if self.max_wait and waited > self.max_wait:
                return WAITED_TOO_LONG
            return super().handle(conn)
        finally:
            with self.held_lock:
                self.held -= 1

    def finish_request(self, conn: TConn, fs: Any) -> None:
        if not fs.cancelled() and fs.exception() is None and fs.result() is WAITED_TOO_LONG:
            self.refuse(conn)
            return
        super().finish_request(conn, fs)

    def accept(self, listener: Any) -> None:
        """Accept a connection and wait for its request on the event loop, not in a thread.

        gunicorn's worker hands a new connection to a thread at once, which then waits up
        to 5 s for the request: idle connections would count as held requests and
        could occupy every thread.
        """
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client, address, listener.getsockname())
        conn.timeout = time.monotonic() + max(self.cfg.keepalive, FIRST_REQUEST_SECONDS)
        self.pending_conns.append(conn)
        self.poller.register(
            conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )

    def on_pending_socket_readable(self, conn: TConn, client: Any) -> None:
        if self._closed_by_peer(conn):
            self.poller.unregister(client)
            self.pending_conns.remove(conn)
            self._drop(conn)
            return
        super().on_pending_socket_readable(conn, client)

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        if self._closed_by_peer(conn):
            self.poller.unregister(client)
            self.keepalived_conns.remove(conn)
            self._drop(conn)
            return
        super().on_client_socket_readable(conn, client)

    @staticmethod
    def _closed_by_peer(conn: TConn) -> bool:
        """Whether a readable connection has only its end to read (closed without a thread)."""
        try:
            return conn.sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def refuse(self, conn: TConn) -> None:
        """Answer `busy` and close, reading what the client sends meanwhile.

        Closing a socket with unread data resets the connection, and a reset can reach
        the client before it has read the answer; so the socket is read until the client
        closes its side (it was told `Connection: close`), for `LINGER_SECONDS` at most.
        """
        self.refused += 1
        sock = conn.sock
        if not self._drain(conn):
            self._drop(conn)
            return
        try:
            sock.send(self.busy)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._drop(conn)
            return
        self.lingering.append((time.monotonic() + LINGER_SECONDS, conn))
        self.poller.register(sock, selectors.EVENT_READ, partial(self._on_lingering, conn))

    def _on_lingering(self, conn: TConn, _client: Any) -> None:
        if not self._drain(conn):
            self.poller.unregister(conn.sock)
            self.lingering = deque(item for item in self.lingering if item[1] is not conn)
            self._drop(conn)

    @staticmethod
    def _drain(conn: TConn) -> bool:
        """Read what has arrived (1 MiB at most); False once the client has closed."""
        try:
            conn.sock.setblocking(False)
            for _ in range(16):
                if not conn.sock.recv(65536):
                    return False
        except BlockingIOError:
            return True
        except OSError:
            return False
        return True

    def _drop(self, conn: TConn) -> None:
        self.nr_conns -= 1
        with contextlib.suppress(OSError):
            conn.sock.close()

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        while self.lingering and self.lingering[0][0] <= now:
            _deadline, conn = self.lingering.popleft()
            with contextlib.suppress(OSError, KeyError, ValueError):
                self.poller.unregister(conn.sock)
            self._drop(conn)


def preload_index() -> None:
    """Load the current index in the master process, so that the workers share it.

    Loading first replays the publications the index lacks (`IndexStore.retriever`), once
    here rather than in every worker.
    """
    from django.db import connections

    from synergy_hub.matching.index import store

    index = store()
    if index.generation() is not None:
        retriever = index.retriever()
        # Loads the encoders' weights and the text analyser's dictionaries once, here.
        for query in WARM_UP_QUERIES:
            retriever.search(query, k=1)
    connections.close_all()


def build_index_once() -> None:
    """Build the index unless there is one (a background process of `synergy run`).

    A search arriving meanwhile in any worker waits for this build (the index's writer
    lock) and uses its result instead of building again.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()
    from synergy_hub.matching.index import store

    started = time.perf_counter()
    store().ensure_built()
    print(f"Search index ready ({time.perf_counter() - started:.0f} s).", flush=True)


class HubServer(BaseApplication):
    """gunicorn serving a WSGI application (the hub's unless told otherwise)."""

    def __init__(self, options: ServerOptions, application: str = HUB_APPLICATION) -> None:
        self.options = options
        self.application = application
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_settings(self.options).items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from gunicorn import util

        app = util.import_app(self.application)
        if self.application == HUB_APPLICATION:
            preload_index()
        BoundedThreadWorker.held_limit = self.options.held_per_worker
        BoundedThreadWorker.max_wait = self.options.max_wait
        BoundedThreadWorker.busy = busy_response()
        return app


def serve(options: ServerOptions, application: str = HUB_APPLICATION) -> None:
    """Serve until stopped (SIGINT or SIGTERM stop gracefully)."""
    HubServer(options, application).run()
