"""Capacity: many users on the production server against the single-process waitress one.

    .venv/bin/python -m benchmarks.load --scale 100000 --users 200 --duration 60

Prepares (once) a PostgreSQL database with a `demo-data --scale N` catalog and its search
index, then for each server (`--servers gunicorn,waitress`): starts it on loopback, runs
the users and a saturation test, and stops it. Results: benchmarks/results/load-N.json and
a summary on standard output; docs/benchmarks.md, "Capacity", has the figures.

Users wait 1–5 s between requests, like people: they browse (home page, lists), search in
Chinese and in English (their Accept-Language), open resources and, one in ten actions,
request access as the demo SME (log in once, open the request form, send it). A request
without an answer within `--timeout` seconds counts as unanswered; 503 and 429 are
refusals (counted apart from errors: they are the fast answers of an overloaded server);
any other 5xx, and any broken connection, is an error. The saturation test then keeps
`--saturation-users` users sending searches with no pause and counts answered requests
per second.

The client is a bounded asyncio one written here (HTTP/1.1 with keep-alive and cookies),
so the load generator needs nothing beyond the standard library; it shares the machine's
cores with the server, which lowers every figure on a small machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from benchmarks.speed import is_chinese, percentiles, realistic_queries

DEFAULT_POSTGRES = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).resolve().parent / "results"
SME_EMAIL = "sme@demo.synergy-hub.cn"
SME_PASSWORD = "synergy-demo-2026"  # noqa: S105 - the demo data's published log-in
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PURPOSE = re.compile(r'name="purpose_code"[^>]*>.*?<option value="([^"]+)"', re.S)


# -- a small HTTP/1.1 client ----------------------------------------------------------------


class Unanswered(Exception):
    """No complete answer within the timeout."""


@dataclass
class Connection:
    """One keep-alive connection with the cookies of one user."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float,
    ) -> tuple[int, str]:
        try:
            async with asyncio.timeout(timeout):
                reused = self.writer is not None
                try:
                    return await self._request(method, path, form, headers)
                except (ConnectionResetError, BrokenPipeError):
                    if not reused or method != "GET":
                        raise
                    # The server closed the idle kept-alive connection as the request
                    # went out: send it again on a new one, as browsers do.
                    await self.close()
                    return await self._request(method, path, form, headers)
        except TimeoutError:
            await self.close()
            raise Unanswered from None
        except BaseException:
            await self.close()
            raise

    async def _request(
        self, method: str, path: str, form: dict[str, str] | None, headers: dict[str, str] | None
    ) -> tuple[int, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Referer: http://{self.host}:{self.port}{path}")
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before answering")
        status = int(status_line.split()[1])
        length: int | None = None
        chunked = close = False
        while True:
            line = (await self.reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, cookie = pair.partition("=")
                self.cookies[key.strip()] = cookie.strip()
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            data = b"".join(parts)
        elif length is not None:
            data = await self.reader.readexactly(length)
        else:
            data = await self.reader.read()
            close = True
        if close:
            await self.close()
        return status, data.decode("utf-8", "replace")


# -- the users ------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the users saw."""

    started: float = field(default_factory=time.monotonic)
    latencies: list[float] = field(default_factory=list)
    ok_latencies: list[float] = field(default_factory=list)
    by_action: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    unanswered: int = 0
    refused: int = 0
    access_requests_sent: int = 0

    def record(self, action: str, status: int, seconds: float) -> None:
        self.by_action[action] += 1
        self.statuses[status] += 1
        self.latencies.append(seconds)
        if status in (503, 429):
            self.refused += 1
        elif status >= 500:
            self.errors[f"HTTP {status}"] += 1
        else:
            self.ok_latencies.append(seconds)

    def summary(self, seconds: float) -> dict[str, Any]:
        answered = len(self.latencies)
        return {
            "requests": answered + self.unanswered + sum(self.errors.values()),
            "answered": answered,
            "answered_per_s": round(answered / seconds, 1),
            "served_per_s": round(len(self.ok_latencies) / seconds, 1),
            "unanswered": self.unanswered,
            "errors": dict(self.errors),
            "refused_503_429": self.refused,
            "access_requests_sent": self.access_requests_sent,
            "latency_all_ms": {k: round(v * 1000, 1) for k, v in _pct(self.latencies).items()},
            "latency_served_ms": {
                k: round(v * 1000, 1) for k, v in _pct(self.ok_latencies).items()
            },
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "actions": dict(self.by_action),
        }


def _pct(values: list[float]) -> dict[str, float]:
    return percentiles(values) if values else {}


@dataclass
class Plan:
    """What the users pick from."""

    resources: list[int]
    zh_queries: list[str]
    en_queries: list[str]


class User:
    """One person: a language, a connection with its cookies, and a habit of pausing."""

    def __init__(self, host: str, port: int, plan: Plan, tally: Tally, timeout: float) -> None:
        self.connection = Connection(host, port)
        self.plan = plan
        self.tally = tally
        self.timeout = timeout
        self.english = random.random() < 0.5
        self.logged_in = False
        self.searches_only = False

    @property
    def headers(self) -> dict[str, str]:
        return {"Accept-Language": "en" if self.english else "zh-CN,zh;q=0.9"}

    async def get(self, action: str, path: str, **kwargs: Any) -> tuple[int, str] | None:
        return await self.call(action, "GET", path, **kwargs)

    async def call(self, action: str, method: str, path: str, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            status, body = await self.connection.request(
                method, path, headers=self.headers, timeout=self.timeout, **kwargs
            )
        except Unanswered:
            self.tally.unanswered += 1
            return None
        except (OSError, ValueError, asyncio.IncompleteReadError) as error:
            self.tally.errors[type(error).__name__] += 1
            return None
        self.tally.record(action, status, time.monotonic() - started)
        return status, body

    async def one_action(self) -> None:
        roll = 0.5 if self.searches_only else random.random()
        plan = self.plan
        if roll < 0.15:
            await self.get("home", "/")
        elif roll < 0.30:
            await self.get("lists", "/lists/")
        elif roll < 0.65:
            query = random.choice(plan.en_queries if self.english else plan.zh_queries)
            await self.get("search", f"/resources/?q={quote(query)}")
        elif roll < 0.90:
            await self.get("resource", f"/resources/{random.choice(plan.resources)}/")
        else:
            await self.request_access(random.choice(plan.resources))

    async def request_access(self, resource: int) -> None:
        if not self.logged_in:
            page = await self.get("login", "/login/")
            if page is None or page[0] != 200 or not _CSRF.search(page[1]):
                return
            form = {
                "csrfmiddlewaretoken": _CSRF.search(page[1]).group(1),  # type: ignore[union-attr]
                "username": SME_EMAIL,
                "password": SME_PASSWORD,
            }
            answer = await self.call("login", "POST", "/login/", form=form)
            self.logged_in = answer is not None and answer[0] == 302
            if not self.logged_in:
                return
        path = f"/access/resources/{resource}/request/"
        page = await self.get("request form", path)
        if page is None or page[0] != 200:
            return
        token, purpose = _CSRF.search(page[1]), _PURPOSE.search(page[1])
        if token is None or purpose is None:
            return
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the site's time zone
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "purpose": "Load test: evaluating the resource for a pilot",
            "purpose_code": purpose.group(1),
            "intended_use": "Internal evaluation only",
            "quantity": "1",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=29)).isoformat(),
        }
        answer = await self.call("request access", "POST", path, form=form)
        if answer is not None and answer[0] == 302:
            self.tally.access_requests_sent += 1

    async def live(self, until: float, pause: tuple[float, float]) -> None:
        await asyncio.sleep(random.uniform(0, pause[1]))  # arrivals spread out
        while time.monotonic() < until:
            await self.one_action()
            if pause[1] > 0:
                await asyncio.sleep(random.uniform(*pause))
        await self.connection.close()


async def run_users(
    port: int,
    plan: Plan,
    users: int,
    seconds: float,
    pause: tuple[float, float],
    timeout: float,
    searches_only: bool = False,
) -> dict[str, Any]:
    tally = Tally()
    until = time.monotonic() + seconds
    crowd = [User("127.0.0.1", port, plan, tally, timeout) for _ in range(users)]
    for user in crowd:
        user.searches_only = searches_only
    started = time.monotonic()
    await asyncio.gather(*(user.live(until, pause) for user in crowd))
    return tally.summary(time.monotonic() - started)


# -- the servers ----------------------------------------------------------------------------


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    root = Path(__file__).resolve().parent.parent
    return {
        **os.environ,
        "SYNERGY_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "PYTHONPATH": os.pathsep.join([str(root / "src"), os.environ.get("PYTHONPATH", "")]),
        "HF_HUB_OFFLINE": "1",
    }


def prepare(data_dir: Path, database_url: str, scale: int) -> None:
    """Create the database's catalog and the index once (a marker file says it is done)."""
    marker = data_dir / f"load-catalog-{scale}.done"
    if marker.exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _env(data_dir, database_url)
    cli = [sys.executable, "-m", "synergy_hub.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*cli, "demo-data", "--scale", str(scale)], env=env, check=True)
    subprocess.run([*cli, "index", "rebuild", "-v0"], env=env, check=True)
    marker.write_text(str(scale))


def load_plan(database_url: str) -> Plan:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT r.id FROM catalog_resource r JOIN catalog_opennesslist l "
            "ON r.openness_list_id = l.id WHERE l.state = 'published' "
            "ORDER BY random() LIMIT 2000"
        ).fetchall()
    queries = realistic_queries()
    return Plan(
        resources=[row[0] for row in rows],
        zh_queries=[q for q in queries if is_chinese(q)],
        en_queries=[q for q in queries if not is_chinese(q)],
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(kind: str, data_dir: Path, database_url: str) -> Iterator[tuple[int, int]]:
    """Start a server on loopback; yield its port and process id; stop it."""
    port = _free_port()
    env = {**_env(data_dir, database_url), "HOST": "127.0.0.1", "PORT": str(port)}
    if kind == "gunicorn":
        command = [sys.executable, "-m", "synergy_hub.cli", "run", "--no-demo"]
    elif kind == "waitress":  # the previous `synergy run` and documented production command
        command = [
            sys.executable,
            "-m",
            "waitress",
            "--threads=8",
            f"--listen=127.0.0.1:{port}",
            "synergy_hub.config.wsgi:application",
        ]
    else:
        raise ValueError(f"--servers: unknown server {kind!r} (gunicorn, waitress)")
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            if process.poll() is not None:
                raise RuntimeError(f"{kind} exited with {process.returncode}")
            time.sleep(0.5)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def memory_mib(pid: int) -> dict[str, float]:
    """Proportional set size of a server's processes (shared pages counted once in total)."""
    pids = [pid]
    with suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    sizes = {}
    for each in pids:
        with suppress(OSError):
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    sizes[str(each)] = round(int(line.split()[1]) / 1024, 1)
    return {"processes": len(sizes), "total_pss_mib": round(sum(sizes.values()), 1), **sizes}


def warm_up(port: int, plan: Plan) -> None:
    """A few searches in each language, so that no user waits for a first load."""
    asyncio.run(run_users(port, plan, users=4, seconds=5, pause=(0, 0), timeout=120))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL (any database)")
    parser.add_argument("--database", default=None, help="default: synergy_load_<scale>")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--servers", default="gunicorn,waitress")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--pause", default="1,5", help="seconds between a user's requests")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--saturation-users", type=int, default=32)
    parser.add_argument("--saturation-seconds", type=float, default=30)
    args = parser.parse_args()
    pause = tuple(float(x) for x in args.pause.split(","))
    if len(pause) != 2 or pause[0] > pause[1]:
        parser.error("--pause: give the shortest and longest pause, e.g. 1,5")
    database = args.database or f"synergy_load_{args.scale}"
    base = args.postgres.rsplit("/", 1)[0]
    database_url = f"{base}/{database}"
    data_dir = args.data_dir or Path(os.environ.get("TMPDIR", "/tmp")) / f"synergy-{database}"
    _create_database(args.postgres, database)
    prepare(data_dir, database_url, args.scale)
    plan = load_plan(database_url)
    results: dict[str, Any] = {"args": {**vars(args), "data_dir": str(data_dir)}, "servers": {}}
    for kind in args.servers.split(","):
        with serving(kind, data_dir, database_url) as (port, pid):
            warm_up(port, plan)
            users = asyncio.run(
                run_users(port, plan, args.users, args.duration, pause, args.timeout)  # type: ignore[arg-type]
            )
            memory = memory_mib(pid)
            saturation = asyncio.run(
                run_users(
                    port,
                    plan,
                    args.saturation_users,
                    args.saturation_seconds,
                    (0, 0),
                    args.timeout,
                    searches_only=True,
                )
            )
        results["servers"][kind] = {"users": users, "saturation": saturation, "memory": memory}
        print(json.dumps({kind: results["servers"][kind]}, indent=1), flush=True)
    servers = results["servers"]
    if {"gunicorn", "waitress"} <= set(servers):
        new = servers["gunicorn"]["saturation"]["served_per_s"]
        old = servers["waitress"]["saturation"]["served_per_s"]
        results["saturation_ratio"] = round(new / old, 2) if old else None
        print(f"saturation throughput, gunicorn / waitress: {results['saturation_ratio']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-{args.scale}.json").write_text(json.dumps(results, indent=1))


def _create_database(server_url: str, name: str) -> None:
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"--database: {name!r} is not a plain lower-case name")
    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
