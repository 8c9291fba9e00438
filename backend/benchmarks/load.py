"""Load generation and measurement: server CPU time from /proc, closed-loop runs, wrk, percentiles."""

from __future__ import annotations

import os
import re
import selectors
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

_TICKS = os.sysconf("SC_CLK_TCK")


#: Process ids whose children count too (the PostgreSQL server: one backend process per connection).
DATABASE_PARENTS: list[int] = []


def cpu_seconds(servers: Mapping[str, int]) -> dict[str, float]:
    """CPU seconds (user + system) per server: each name's process group (the server and its workers),
    and "postgresql": the database server with its backends, finished ones included."""
    names = {pgid: name for name, pgid in servers.items()}
    parents = set(DATABASE_PARENTS)
    ticks = dict.fromkeys([*servers, *(["postgresql"] if parents else [])], 0)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) in parents:
            ticks["postgresql"] += sum(int(value) for value in fields[11:15])  # with its reaped children
        elif int(fields[1]) in parents:
            ticks["postgresql"] += int(fields[11]) + int(fields[12])
        elif int(fields[2]) in names:
            ticks[names[int(fields[2])]] += int(fields[11]) + int(fields[12])
    return {name: value / _TICKS for name, value in ticks.items()}


def _minus(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def burst_row(workers: int, latencies: Sequence[float], failures: int) -> dict[str, Any]:
    """One line of the burst table: submits, failures and latency percentiles in milliseconds."""
    return {
        "workers": workers,
        "submits": len(latencies),
        "failures": failures,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
    }


@dataclass
class Run:
    """What one measured stretch did: count, wall and server CPU seconds, latencies, failures."""

    count: int
    wall: float
    cpu: dict[str, float]
    latencies: list[float]
    failures: int = 0

    @property
    def server_cpu(self) -> float:
        return sum(self.cpu.values())

    def cpu_ms_each(self) -> dict[str, float]:
        """CPU milliseconds per request (or login) spent in each server."""
        return {name: seconds / self.count * 1000 for name, seconds in self.cpu.items()} if self.count else {}

    @property
    def per_second(self) -> float:
        return self.count / self.wall

    @property
    def per_core_second(self) -> float:
        return self.count / self.server_cpu if self.server_cpu else float("nan")

    @property
    def cores_used(self) -> float:
        return self.server_cpu / self.wall


def closed_loop(
    action: Callable[[], object], clients: int, seconds: float, servers: Mapping[str, int]
) -> Run:
    """``clients`` threads repeat ``action`` until ``seconds`` have passed (each finishes its last one)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                action()
            except Exception as error:  # counted and shown: a benchmark reports failures, it does not die
                with lock:
                    failures[0] += 1
                    if failures[0] <= 3:
                        print(f"  failure: {type(error).__name__}: {error}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    cpu_before, started = cpu_seconds(servers), time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(worker)
    wall = time.perf_counter() - started
    cpu = _minus(cpu_seconds(servers), cpu_before)
    return Run(len(latencies), wall, cpu, latencies, failures[0])


_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(m?s)")
_WRK_PCT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_WRK_BAD = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def get_load(
    url: str, headers: dict[str, str], clients: int, seconds: float, servers: Mapping[str, int]
) -> tuple[Run, dict[str, float]]:
    """GET ``url`` from ``clients`` concurrent keep-alive connections: the run and its p50/p99 (seconds).

    wrk when it is installed (a C client leaves the cores to the servers), else Python threads.
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        run = _python_get_load(url, headers, clients, seconds, servers)
        return run, {"p50": percentile(run.latencies, 0.5), "p99": percentile(run.latencies, 0.99)}
    command = [wrk, "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    cpu_before = cpu_seconds(servers)
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout  # noqa: S603
    cpu = _minus(cpu_seconds(servers), cpu_before)
    total = _WRK_TOTAL.search(output)
    wall = float(total.group(2)) * (1e-3 if total.group(3) == "ms" else 1.0)
    bad = _WRK_BAD.search(output)
    run = Run(int(total.group(1)), wall, cpu, [], int(bad.group(1)) if bad else 0)
    pct = {f"p{name}": float(value) * _UNIT[unit] for name, value, unit in _WRK_PCT.findall(output)}
    return run, pct


def _python_get_load(
    url: str, headers: dict[str, str], clients: int, seconds: float, servers: Mapping[str, int]
) -> Run:
    local = threading.local()

    def get() -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = local.session.get(url, headers=headers, timeout=10)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")

    return closed_loop(get, clients, seconds, servers)


def raw_post(url: str, form: Mapping[str, str], cookies: Mapping[str, str]) -> tuple[tuple[str, int], bytes]:
    """The address and bytes of a browser's form POST to ``url``, ready to send on a fresh connection."""
    parts = urlsplit(url)
    body = urlencode(form).encode()
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = (
        f"POST {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Cookie: {'; '.join(f'{name}={value}' for name, value in cookies.items())}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return (parts.hostname or "127.0.0.1", parts.port or 80), head.encode() + body


def simultaneous(prepared: Sequence[tuple[tuple[str, int], bytes]]) -> list[tuple[float, int]]:
    """Send every prepared request at once on its own open connection; (latency s, status) of each.

    One thread and raw sockets: the client costs a few syscalls per request, so on a small machine
    the latencies measure the servers, not the load generator. A latency runs from its request's
    send to its response's status line.
    """
    sockets = [socket.create_connection(address, timeout=60) for address, _ in prepared]
    selector = selectors.DefaultSelector()
    sent_at: dict[socket.socket, float] = {}
    results: dict[socket.socket, tuple[float, int]] = {}
    received: dict[socket.socket, bytes] = {}
    try:
        for sock, (_, payload) in zip(sockets, prepared, strict=True):
            sent_at[sock] = time.perf_counter()
            sock.sendall(payload)
            selector.register(sock, selectors.EVENT_READ)
        while len(results) < len(sockets):
            events = selector.select(timeout=60)
            if not events:
                raise TimeoutError("no response within 60 s")
            for key, _ in events:
                sock = key.fileobj
                chunk = sock.recv(65536)
                received[sock] = received.get(sock, b"") + chunk
                if b"\r\n" in received[sock] or not chunk:
                    status_line = received[sock].split(b"\r\n", 1)[0].split()
                    status = int(status_line[1]) if len(status_line) > 1 else 0
                    results[sock] = (time.perf_counter() - sent_at[sock], status)
                    selector.unregister(sock)
    finally:
        selector.close()
        for sock in sockets:
            sock.close()
    return [results[sock] for sock in sockets]
