"""The login path against its physical limit: ``python -m backend.benchmarks`` (``make bench``).

Starts the auth server and the backend app the way ``make start`` does (granian, ``--workers``
processes each), on PostgreSQL when it is installed (a throwaway server with its default durability),
creates users with two-factor on and prints one table (also written as JSON):

1. the CPU cost of one password-hash check here: the hash-bound ceiling, logins/s per core;
2. full 2FA logins/s (app /login → authorize → password → TOTP → code exchange, the user's info coming
   with the token) at 1, 2 and 2×cores server workers, and the ratio to the ceiling;
3. GET /api/me and GET /auth/userinfo: requests/s per core, p50/p99 with 50 concurrent clients
   (wrk), at each worker count;
4. p50/p99 of the TOTP submit alone when 50 users submit at once, at each worker count, beside its
   floor (floor.py): a bare Flask request doing only the code step's SQL, sent the same way;
5. the login storm (storm.py): p50/p99 of GET /api/me and of the TOTP submit, idle and while clients
   log in back to back, with the storm's logins/s and its ratio to the ceiling.

"Per core" divides by the CPU seconds the servers used (both servers' processes and PostgreSQL's, read
from /proc), not by wall time:
the load generator and anything else on the machine do not count against the servers, so the ratio
to the hash ceiling (measured in the same run) holds on a busy machine too.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from backend.authserver.accounts import passwords
from backend.authserver.settings import DEFAULTS as AUTH_DEFAULTS
from backend.common import totp
from backend.launcher import Stack, free_port
from backend.serve import DEFAULT_THREADS

from . import load
from .browser import BenchUser, LoginFailed, UserPool, full_login, to_code_step
from .floor import floor_burst
from .load import Run, burst_row, closed_loop, get_load, percentile, raw_post, simultaneous
from .storm import storm

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-1234"  # noqa: S105 - the benchmark users' password
PAST_STEPS = 5  # manifest.py's validPastTokensCount


def measure_hash(threads: int, checks: int = 4) -> dict[str, Any]:
    """CPU seconds of one check of a password hashed the way the auth server hashes (its default),
    with ``threads`` checks running at once: argon2id's memory per check competes for the caches and
    memory bandwidth the way it does in a busy server."""
    hashed = passwords.hash_password(PASSWORD, AUTH_DEFAULTS)
    passwords.verify(hashed, PASSWORD, AUTH_DEFAULTS)  # warm up

    def check(_: int) -> None:
        for _ in range(checks):
            passwords.verify(hashed, PASSWORD, AUTH_DEFAULTS)

    cpu, wall = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(check, range(threads)))
    cpu_each = (time.process_time() - cpu) / (checks * threads)
    return {
        "method": hashed.rsplit("$", 2)[0],
        "parallel_checks": threads,
        "cpu_ms": cpu_each * 1000,
        "wall_ms": (time.perf_counter() - wall) / checks * 1000,
        "ceiling_logins_per_core_s": 1 / cpu_each,
    }


def mean_hash(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    cpu_ms = (first["cpu_ms"] + second["cpu_ms"]) / 2
    return {**first, "cpu_ms": cpu_ms, "ceiling_logins_per_core_s": 1000 / cpu_ms}


@contextlib.contextmanager
def databases(kind: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The database both servers (and the floor, floor.py) use: a throwaway PostgreSQL server, or
    SQLite files in DATA_DIR (no URLs)."""
    from backend.tests.postgres_server import PostgresServer, find_bin_dir

    if kind == "sqlite" or (kind == "auto" and find_bin_dir() is None):
        yield "sqlite", {}
        return
    import psycopg

    with PostgresServer(durable=True) as server:
        with psycopg.connect(server.url, autocommit=True) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
            for name in ("bench_auth", "bench_app", "bench_floor"):
                connection.execute(f"CREATE DATABASE {name}")
        base = server.url.rsplit("/", 1)[0]
        load.DATABASE_PARENTS[:] = [server.pid()]
        yield (
            f"postgresql {version}",
            {
                "AUTH_DATABASE_URL": f"{base}/bench_auth",
                "APP_DATABASE_URL": f"{base}/bench_app",
                "FLOOR_DATABASE_URL": f"{base}/bench_floor",
            },
        )


def start_stack(data_dir: Path, database_urls: dict[str, str], workers: int, threads: int, log) -> Stack:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "DATA_DIR": str(data_dir),
        "AUTH_SERVER_URL": f"http://127.0.0.1:{free_port()}",
        "APP_URL": f"http://127.0.0.1:{free_port()}",
        "FRONTEND_URL": f"http://127.0.0.1:{free_port()}",
        **database_urls,
    }
    stack = Stack.configure(environ)
    stack.workers, stack.threads, stack.log = workers, threads, log
    stack.start(frontend=False)
    return stack


def create_users(stack: Stack, count: int) -> list[BenchUser]:
    admin = (stack.environ.get("ADMIN_CLIENT_ID", "admin"), stack.environ["ADMIN_CLIENT_SECRET"])
    base = stack.url("AUTH_SERVER_URL")

    def create(index: int) -> BenchUser:
        user = BenchUser(f"bench-{index}-{uuid.uuid4().hex[:6]}@example.com", PASSWORD, totp.new_secret())
        body = {
            "email": user.email,
            "password": PASSWORD,
            "twoFactor": {"enabled": True, "secretKey": user.secret},
        }
        response = requests.put(f"{base}/User/{uuid.uuid4()}", json=body, auth=admin, timeout=60)
        response.raise_for_status()
        return user

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(create, range(count)))


def servers(stack: Stack) -> dict[str, int]:
    """Each server was started in its own session: its process group holds it and its workers."""
    return dict(zip(("authserver", "app"), (process.pid for process in stack.processes), strict=True))


def login_row(workers: int, run: Run, hash_cost: dict[str, Any]) -> dict[str, Any]:
    ceiling = hash_cost["ceiling_logins_per_core_s"]
    return {
        "workers": workers,
        "hash_cpu_ms": hash_cost["cpu_ms"],
        "ceiling_logins_per_core_s": ceiling,
        "logins": run.count,
        "failures": run.failures,
        "logins_per_s": run.per_second,
        "server_cores_used": run.cores_used,
        "logins_per_core_s": run.per_core_second,
        "ratio_to_ceiling": run.per_core_second / ceiling,
        "login_p50_ms": percentile(run.latencies, 0.5) * 1000,
        "cpu_ms_per_login": run.cpu_ms_each(),
    }


def sign_in_tokens(stack: Stack, pool: UserPool, count: int) -> tuple[list[str], list[str]]:
    """App session cookies (code flow through the app) and implicit-flow access tokens (Client web)."""
    cookies, tokens = [], []
    implicit = f"{stack.url('AUTH_SERVER_URL')}/auth/authorize?" + urlencode(
        {
            "client_id": "web",
            "response_type": "token",
            "redirect_uri": f"{stack.url('FRONTEND_URL')}/auth",
            "state": "bench",
        }
    )
    for _ in range(count):
        browser_cookies, _ = full_login(f"{stack.url('APP_URL')}/login", stack.url("FRONTEND_URL"), pool)
        cookies.append(browser_cookies["app_session"])
        _, final = full_login(implicit, stack.url("FRONTEND_URL"), pool)
        tokens.append(parse_qs(urlsplit(final).fragment)["access_token"][0])
    return cookies, tokens


def totp_burst(stack: Stack, pool: UserPool, workers: int, users: int, rounds: int) -> dict[str, Any]:
    """``users`` logins wait at the TOTP form; all submit at once; the submit's latency alone."""
    latencies: list[float] = []
    failures = 0
    app, frontend = f"{stack.url('APP_URL')}/login", stack.url("FRONTEND_URL")
    for _ in range(rounds):
        taken = [pool.take() for _ in range(users)]
        with ThreadPoolExecutor(8) as prepare:
            pending = list(prepare.map(lambda pair: to_code_step(app, frontend, pair[0]), taken))
        prepared = [
            raw_post(
                login.action,
                {"csrf_token": login.csrf, "token": totp.code_at(user.secret, step * totp.STEP_SECONDS)},
                login.browser.cookies.get_dict(),
            )
            for (user, step), login in zip(taken, pending, strict=True)
        ]
        results = simultaneous(prepared)
        for (user, _), login in zip(taken, pending, strict=True):
            login.browser.close()
            pool.give_back(user)
        latencies += [elapsed for elapsed, _ in results]
        failures += sum(status not in (302, 303) for _, status in results)
    return {**burst_row(workers, latencies, failures), "concurrent_users": users}


def machine() -> dict[str, Any]:
    model = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model
        )
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version()}


def run(args: argparse.Namespace) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    result: dict[str, Any] = {
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(f"machine: {result['machine']}", flush=True)
    result["hash"] = measure_hash(cores)
    ceiling = result["hash"]["ceiling_logins_per_core_s"]
    print(
        f"password hash: {result['hash']['cpu_ms']:.1f} ms CPU → ceiling {ceiling:.2f} logins/s per core",
        flush=True,
    )
    worker_counts = sorted({1, 2, 2 * cores})
    with (
        databases(args.database) as (database, urls),
        tempfile.TemporaryDirectory(prefix="bench-") as directory,
        open(Path(directory) / "servers.log", "a") as log,
    ):
        result["database"], result["threads"] = database, args.threads
        floor_url = urls.pop("FLOOR_DATABASE_URL", f"sqlite:///{Path(directory) / 'floor.sqlite'}")
        pool: UserPool | None = None
        for part in ("logins", "get", "totp_submit", "totp_floor", "storm"):
            result[part] = []
        for workers in worker_counts:
            stack = start_stack(Path(directory), urls, workers, args.threads, log)
            try:
                if pool is None:
                    print(f"database: {database}; creating {args.users} users with 2FA on", flush=True)
                    pool = UserPool(create_users(stack, args.users), PAST_STEPS)
                login = functools.partial(
                    full_login, f"{stack.url('APP_URL')}/login", stack.url("FRONTEND_URL"), pool
                )
                login()  # warm up imports and connections
                # The ceiling again around each run (the mean of just before and just after): the
                # machine's speed drifts with its other load.
                before = measure_hash(cores)
                measured = closed_loop(login, args.clients, args.seconds, servers(stack))
                row = login_row(workers, measured, mean_hash(before, measure_hash(cores)))
                result["logins"].append(row)
                print(
                    f"logins, {workers} worker(s): {row['logins_per_s']:.2f}/s, "
                    f"{row['logins_per_core_s']:.2f}/core-s = {row['ratio_to_ceiling']:.0%} of the ceiling",
                    flush=True,
                )
                result["get"] += measure_gets(stack, pool, workers, args)
                burst = totp_burst(stack, pool, workers, users=50, rounds=args.totp_rounds)
                result["totp_submit"].append(burst)
                print(f"TOTP submit, {workers} worker(s): p99 {burst['p99_ms']:.0f} ms", flush=True)
                floor = floor_burst(floor_url, workers, args.totp_rounds, log)
                result["totp_floor"].append(floor)
                print(f"its floor (floor.py), {workers} worker(s): p99 {floor['p99_ms']:.0f} ms", flush=True)
                cookies, _ = sign_in_tokens(stack, pool, 1)
                stormed = storm(
                    stack,
                    pool,
                    cookies[0],
                    workers=workers,
                    clients=args.storm_clients,
                    seconds=args.seconds,
                    servers=servers(stack),
                    ceiling=row["ceiling_logins_per_core_s"],
                )
                result["storm"].append(stormed)
                print(
                    f"storm, {workers} worker(s): {stormed['ratio_to_ceiling']:.0%} of the ceiling;"
                    f" GET /api/me p99 {stormed['me']['storm']['p99_ms']:.0f} ms,"
                    f" TOTP submit p99 {stormed['totp_submit']['storm']['p99_ms']:.0f} ms",
                    flush=True,
                )
            finally:
                stack.stop()
    return result


def measure_gets(
    stack: Stack, pool: UserPool, workers: int, args: argparse.Namespace
) -> list[dict[str, Any]]:
    cookies, tokens = sign_in_tokens(stack, pool, 1)
    targets = [
        ("GET /api/me", f"{stack.url('APP_URL')}/api/me", {"Cookie": f"app_session={cookies[0]}"}),
        (
            "GET /auth/userinfo",
            f"{stack.url('AUTH_SERVER_URL')}/auth/userinfo",
            {"Authorization": f"Bearer {tokens[0]}"},
        ),
    ]
    rows = []
    for name, url, headers in targets:
        requests.get(url, headers=headers, timeout=10).raise_for_status()
        measured, pct = get_load(url, headers, 50, args.seconds, servers(stack))
        rows.append(
            {
                "request": name,
                "workers": workers,
                "clients": 50,
                "requests": measured.count,
                "failures": measured.failures,
                "requests_per_s": measured.per_second,
                "server_cores_used": measured.cores_used,
                "requests_per_core_s": measured.per_core_second,
                "p50_ms": pct["p50"] * 1000,
                "p99_ms": pct["p99"] * 1000,
                "cpu_ms_per_request": measured.cpu_ms_each(),
            }
        )
        print(
            f"{name}, {workers} worker(s): {measured.per_second:.0f}/s,"
            f" {measured.per_core_second:.0f}/core-s",
            flush=True,
        )
    return rows


def _split(cpu_ms: dict[str, float], digits: int = 0) -> str:
    return ", ".join(f"{name} {value:.{digits}f}" for name, value in cpu_ms.items())


def table(result: dict[str, Any]) -> str:
    m, h = result["machine"], result["hash"]
    lines = [
        f"Login benchmark, {result['when']}: {m['cpu']}, {m['cores']} cores, Python {m['python']},"
        f" {result['database']}, {result['threads']} threads per worker",
        f"password hash ({h['method']}, {h['parallel_checks']} at once): {h['cpu_ms']:.1f} ms CPU per check"
        f" → hash-bound ceiling {h['ceiling_logins_per_core_s']:.2f} logins/s per core"
        " (measured again around each login run: 'hash' below)",
        "",
        "| full 2FA login | logins/s | server cores used | logins/s per core | hash | of the ceiling"
        " | p50 login | CPU ms per login |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in result["logins"]:
        lines.append(
            f"| {row['workers']} worker(s) | {row['logins_per_s']:.2f} | {row['server_cores_used']:.2f} |"
            f" {row['logins_per_core_s']:.2f} | {row['hash_cpu_ms']:.0f} ms | {row['ratio_to_ceiling']:.0%} |"
            f" {row['login_p50_ms']:.0f} ms | {_split(row['cpu_ms_per_login'])} |"
            + (f" {row['failures']} failed" if row["failures"] else "")
        )
    lines += [
        "",
        "| 50 concurrent clients | workers | requests/s | server cores used | requests/s per core | p50 | p99"
        " | CPU ms per request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in sorted(result.get("get", []), key=lambda row: row["request"]):
        lines.append(
            f"| {row['request']} | {row['workers']} | {row['requests_per_s']:.0f} |"
            f" {row['server_cores_used']:.2f} |"
            f" {row['requests_per_core_s']:.0f} | {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms |"
            f" {_split(row['cpu_ms_per_request'], 2)} |"
            + (f" {row['failures']} failed" if row["failures"] else "")
        )
    lines += [
        "",
        "| TOTP submit alone, 50 users at once | workers | submits | p50 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    bursts = [("the code step", burst) for burst in result.get("totp_submit", [])]
    floor = "its floor: bare Flask, the same SQL (floor.py)"
    bursts += [(floor, burst) for burst in result.get("totp_floor", [])]
    for name, burst in bursts:
        lines.append(
            f"| {name} | {burst['workers']} | {burst['submits']} | {burst['p50_ms']:.1f} ms |"
            f" {burst['p99_ms']:.1f} ms | {burst['max_ms']:.1f} ms |"
            + (f" {burst['failures']} failed" if burst["failures"] else "")
        )
    lines += [
        "",
        "| login storm | workers | logins/s | of the ceiling | GET /api/me p50 / p99 idle | storm"
        " | TOTP submit p50 / p99 idle | storm |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result.get("storm", []):
        lines.append(
            f"| {row['clients']} clients | {row['workers']} | {row['logins_per_s']:.2f} |"
            f" {row['ratio_to_ceiling']:.0%} |"
            f" {_p50_p99(row['me']['idle'])} | {_p50_p99(row['me']['storm'])} |"
            f" {_p50_p99(row['totp_submit']['idle'])} | {_p50_p99(row['totp_submit']['storm'])} |"
        )
    return "\n".join(lines)


def _p50_p99(probe: dict[str, Any]) -> str:
    failed = f", {probe['failures']} failed" if probe["failures"] else ""
    return f"{probe['p50_ms']:.0f} / {probe['p99_ms']:.0f} ms{failed}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend.benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200, help="users with 2FA on (each logs in a few times)")
    parser.add_argument("--seconds", type=float, default=8, help="length of each measured run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent browsers in the login runs")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="Python threads per worker")
    parser.add_argument("--storm-clients", type=int, default=6, help="browsers logging in during the storm")
    parser.add_argument("--totp-rounds", type=int, default=2, help="bursts of 50 TOTP submits")
    parser.add_argument("--database", choices=("auto", "postgresql", "sqlite"), default="auto")
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="where the figures go")
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except LoginFailed as error:
        print(f"bench: {error}")
        return 1
    print("\n" + table(result))
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {args.json}")
    return 0
