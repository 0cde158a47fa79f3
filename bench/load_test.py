"""A bounded load test on loopback: gunicorn as `make serve` runs it, wrk with 64 connections
for 30 s against the page, the state API and a snapshot. Prints a table, writes JSON.

Run with `make loadtest`. Only 127.0.0.1 is ever contacted, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATHS = (
    "/",
    "/api/state?date=2017-11-01",
    "/export/snapshot.png?date=2017-11-01&view=deir-ez-zor-city&preset=social",
)
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its children (the gunicorn workers)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
    return total


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def parse_wrk(text: str) -> dict[str, object]:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", text)
    return {
        "requests": requests,
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50_ms": ms(lat["50"]), "p90_ms": ms(lat["90"]), "p99_ms": ms(lat["99"]),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "load.json")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make loadtest` installs Debian's wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MAPAPP_RELOAD_INTERVAL": "0"}
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "--workers", "4", "--worker-class",
         "gthread", "--threads", "4", "--timeout", "60", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=REPO, env=env)
    try:
        wait_ready(base)
        for path in PATHS * 8:  # warm every worker's caches, as a running site has them
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
        before = rss_kib(server.pid)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % ", ".join(json.dumps(p) for p in PATHS))
        run = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
             "--timeout", "30s", "-s", script.name, base],
            capture_output=True, text=True, timeout=args.duration + 60, check=True)
        os.unlink(script.name)
        after = rss_kib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    result = parse_wrk(run.stdout)
    result |= {"connections": args.connections, "duration_s": args.duration,
               "paths": list(PATHS), "rss_before_mib": round(before / 1024, 1),
               "rss_after_mib": round(after / 1024, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(run.stdout)
    print("| metric | value |\n|---|---|")
    for key in ("connections", "duration_s", "requests", "requests_per_s", "p50_ms", "p90_ms",
                "p99_ms", "non_2xx", "socket_errors", "rss_before_mib", "rss_after_mib"):
        print(f"| {key} | {result[key]} |")
    errors = result["non_2xx"] + result["socket_errors"]
    growth = (after - before) / before if before else 0
    print(f"\nerrors: {errors}; memory growth across the run: {growth:+.1%}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
