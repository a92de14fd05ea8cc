"""The production server: its settings; a real gunicorn refusing overload, trusting proxies."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from synergy_hub.config.server import ServerOptions, gunicorn_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threads": 0}, "SERVER_THREADS must be at least 1"),
        ({"max_wait": -1}, "SERVER_MAX_WAIT_MS must be 0"),
        ({"queue": -1}, "SERVER_QUEUE must be at least 0"),
        ({"workers": -2}, "SERVER_WORKERS must be 0"),
        ({"connections": 10, "threads": 4, "queue": 6}, "SERVER_CONNECTIONS must exceed"),
    ],
)
def test_bad_options_name_the_variable(options: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ServerOptions(**options)  # type: ignore[arg-type]


def test_nobody_is_trusted_with_forwarding_headers_unless_proxies_are_named() -> None:
    assert gunicorn_settings(ServerOptions())["forwarded_allow_ips"] == ""
    named = ServerOptions(trusted_proxies=("10.0.0.0/8", "::1"))
    assert gunicorn_settings(named)["forwarded_allow_ips"] == "10.0.0.0/8,::1"


def test_workers_default_to_one_per_core_and_the_app_is_preloaded() -> None:
    settings = gunicorn_settings(ServerOptions())
    assert settings["workers"] == (os.cpu_count() or 1)
    assert settings["preload_app"] is True
    assert gunicorn_settings(ServerOptions(host="::1"))["bind"] == ["[::1]:8000"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(delay: float = 0.0, started: Path | None = None, **options: object) -> Iterator[int]:
    """gunicorn with these options serving tests/config/echo_app.py; yields its port."""
    port = _free_port()
    code = (
        "from synergy_hub.config.server import ServerOptions, serve; "
        f"serve(ServerOptions(port={port}, **{options!r}), 'tests.config.echo_app:application')"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "ECHO_APP_DELAY": str(delay),
        "ECHO_APP_STARTED": str(started or ""),
    }
    server = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(port: int, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/", headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def test_a_full_worker_answers_503_at_once_instead_of_queueing(tmp_path: Path) -> None:
    started = tmp_path / "started"
    options = {"workers": 1, "threads": 1, "queue": 0, "connections": 10}
    with running(delay=3.0, started=started, **options) as port:
        first: list[int] = []
        holder = threading.Thread(target=lambda: first.append(_get(port)[0]))
        holder.start()
        deadline = time.monotonic() + 2
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # until the one thread is busy with the first request
        started = time.monotonic()
        status, headers, body = _get(port)
        waited = time.monotonic() - started
        holder.join()
        assert status == 503
        assert headers["Retry-After"] == "1"
        assert "服务器繁忙" in body
        assert "The server is busy" in body
        assert waited < 1.0
        assert first == [200]
        time.sleep(0.2)  # the thread also reads the first connection's end
        assert _get(port)[0] == 200  # and serves again once the thread is free


def test_the_scheme_is_believed_from_a_trusted_proxy_only() -> None:
    https = {"X-Forwarded-Proto": "https"}
    with running(workers=1, trusted_proxies=("127.0.0.1",)) as port:
        assert _get(port, https)[2] == "https"
    with running(workers=1, trusted_proxies=("10.0.0.0/8",)) as port:
        assert _get(port, https)[2] == "http"


def test_a_request_that_waited_too_long_for_a_thread_gets_503_not_a_late_answer(
    tmp_path: Path,
) -> None:
    started = tmp_path / "started"
    options = {"workers": 1, "threads": 1, "queue": 4, "max_wait": 0.5, "connections": 10}
    with running(delay=2.0, started=started, **options) as port:
        first: list[int] = []
        holder = threading.Thread(target=lambda: first.append(_get(port)[0]))
        holder.start()
        deadline = time.monotonic() + 2
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        status, headers, _ = _get(port)  # queued behind the first, for about 2 s
        holder.join()
        assert (status, headers["Retry-After"]) == (503, "1")
        assert first == [200]
