"""The static site of the shipped data: its size, and its time to usable in headless
Chromium from a cold cache, served by `python -m http.server` on loopback.

    python -m bench.static_site [--runs 5] [--data data]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from bench import browser as br
from mapapp.web.site import build_site
from tests.server_process import ServerProcess


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("data"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mapapp-site-") as tmp:
        report = build_site(Path(tmp) / "site", args.data)
        print(f"site: {report.files} files, {report.bytes:,} bytes")
        command = [sys.executable, "-m", "http.server", "{port}", "--bind", "127.0.0.1",
                   "--directory", str(report.out)]
        with ServerProcess(command) as server, br.chromium() as chrome:
            usable = []
            for _ in range(args.runs):
                with br.open_page(chrome, server.url + "/", br.probe_script("mapapp"),
                                  60.0) as (_, result):
                    if result.errors or result.usable_ms is None:
                        raise SystemExit(f"not usable: {result.errors}")
                    usable.append(result.usable_ms)
        print(f"time to usable: median {statistics.median(usable):.0f} ms, "
              f"min {min(usable):.0f} ms, max {max(usable):.0f} ms over {args.runs} cold loads")


if __name__ == "__main__":
    main()
