"""API load test on loopback: mixed dashboard reads for a fixed time, with wrk.

Fills a SQLite store with synthetic facts (the fast loader of ``bench_api.py``), starts the real
app under uvicorn on 127.0.0.1 (random port, ``--workers`` processes), then runs
``wrk`` with ``load_api.lua``, which cycles through filtered fact lists, the timeline, the
histogram, article pages, single facts and articles, and the dashboard page. Reports requests/s,
p50/p95/p99 latency and errors (connection, read, write, timeouts and any non-2xx status).

    .venv/bin/python benchmarks/load_api.py --rows 50000 --duration 60 --connections 16

Needs the ``wrk`` program (Debian: ``apt-get install wrk``). Loopback only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import httpx
import psutil

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _bench_api() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_api", HERE / "bench_api.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/facts?limit=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the API did not answer on {base} within {timeout:g} s")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and its worker processes so far."""
    process = psutil.Process(pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        times = each.cpu_times()
        total += times.user + times.system
    return total


def run(
    rows: int, duration: int, connections: int, threads: int, workers: int, workdir: Path
) -> dict[str, object]:
    """Load ``rows`` facts, serve them, run wrk; returns wrk's figures plus the setup."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    url = f"sqlite:///{workdir / 'load.db'}"
    load_s = _bench_api().load(url, rows)
    port = _free_port()
    env = {**os.environ, "DM_DATABASE_URL": url}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "displacement_monitor.api.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base)
        for path in ("/api/facts?country=SDN", "/api/stats/timeline?country=COD"):  # warm caches
            httpx.get(base + path, timeout=30).raise_for_status()
        command = [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "load_api.lua"),
            base,
            "--",
            str(rows),
        ]
        cpu_before = _cpu_seconds(server.pid)
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        server_cpu_s = _cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(30)
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    figures: dict[str, object] = json.loads(line.removeprefix("WRK_JSON "))
    errors = sum(int(v) for k, v in figures.items() if k.startswith("errors_"))  # type: ignore[call-overload]
    requests = int(figures["requests"])  # type: ignore[call-overload]
    cpu_ms = 1000 * server_cpu_s / max(1, requests)
    return {
        **figures,
        "errors_total": errors,
        # what the server spent per request: the rate it can sustain per free core is 1000 / this
        "server_cpu_ms_per_request": round(cpu_ms, 2),
        "server_rps_per_free_core": round(1000 / cpu_ms, 1) if cpu_ms else None,
        "machine_load_avg_1m": round(os.getloadavg()[0], 2),
        "rows": rows,
        "load_s": round(load_s, 1),
        "connections": connections,
        "threads": threads,
        "server_workers": workers,
        "backend": "sqlite",
        "wrk_output": output,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000, help="synthetic facts in the store")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--min-rps", type=float, default=200.0, help="exit 1 below this rate or on any error")
    parser.add_argument("--output", type=Path, default=RESULTS / "load-latest.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dm-load-") as tmp:
        figures = run(args.rows, args.duration, args.connections, args.threads, args.workers, Path(tmp))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n")
    print(figures.pop("wrk_output"))
    print(json.dumps(figures, indent=2))
    ok = figures["errors_total"] == 0 and float(figures["rps"]) >= args.min_rps  # type: ignore[arg-type]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
