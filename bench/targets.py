"""Every performance target of docs/performance.md, written once: bench.report checks and
prints them, the docs' table of targets is generated from them (python -m bench.report
--targets-markdown)."""

from __future__ import annotations

from dataclasses import dataclass

FRAME_MS = 1000 / 60  # one frame of Chromium's 60 Hz clock

# Against Folium's TimeSliderChoropleth (dense) at 5k: ratios of mapapp to it.
BYTES_RATIO = 1 / 50
USABLE_RATIO = 1 / 20
USABLE_20K_MS = 2000.0
STATE_AT_P50_MS = 5.0
# bench.step_timing: the script of one slider step or jump on the shipped data, p95.
STEP_SCRIPT_P95_MS = 16.0

# The sizes of the frame comparison (project / bare canvas / MapLibre) and of its phone
# profile (4x CPU throttling).
FRAME_SIZES = ("2k", "5k", "20k")
THROTTLE_SIZES = ("5k",)


@dataclass(frozen=True)
class FrameTarget:
    """A limit on one figure of the project's page in the frame comparison."""

    target: str
    size: str
    path: str  # dotted, in a size's results
    limit: float
    unit: str


FRAME_TARGETS = (
    FrameTarget("slider jump work p95, to the painted frame", "20k",
                "frames.project.jump.work_p95_ms", 16.0, "ms"),
    FrameTarget("pan/zoom to a fully drawn frame p95", "20k",
                "frames.project.move.p95_ms", 150.0, "ms"),
    FrameTarget("page memory above an empty map", "20k",
                "frames.project.memory.above_empty_mb", 50.0, "MB"),
    FrameTarget("phone (4x CPU throttling): jump work p95 within one frame", "5k",
                "frames.project.throttled.work_p95_ms", round(FRAME_MS, 1), "ms"),
)
