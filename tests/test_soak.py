"""A short soak (bench/soak.py, 15 s): gunicorn with 2 workers, 8 readers, the data files
replaced every 3 s, valid and broken in turn, two HUPs. No 5xx, no connection error, every
response whole and of one data version, memory flat after the last HUP."""

from __future__ import annotations

import pytest

from bench.soak import run

pytestmark = pytest.mark.server


def test_a_short_soak_has_no_failure(tmp_path):
    figures = run(duration=15.0, readers=8, period=3.0, log=tmp_path / "gunicorn.log")
    print(figures)
    assert figures["failures"] == []
    assert set(figures["statuses"]) == {200}
    assert figures["valid_versions"] >= 2 and len(figures["hups_at_s"]) == 2
    assert figures["old_version_responses"] > 0  # pages kept on a replaced version were served
    assert {"/", "/api/state", "/api/events", "/export/events.csv", "/export/state.csv",
            "payload", "chunk"} <= set(figures["by_path"])
