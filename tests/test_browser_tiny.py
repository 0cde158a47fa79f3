"""A second, tiny data set through MAPAPP_DATA_DIR, in a real browser: nothing in the code is
specific to the shipped war."""

from __future__ import annotations

import pytest

from mapapp import create_app
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_any_dataset_through_mapapp_data_dir(monkeypatch, tiny_dir, make_page):
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("MAPAPP_RELOAD_INTERVAL", "0")
    app = create_app()
    with LiveServer(app) as server:
        recorder = make_page(server.url)
        recorder.open("/?date=2001-05-02&view=west")
        page = recorder.page
        state = page.evaluate("mapapp.getPlaceState('west-square')")
        assert state == {"status": "contested", "factions": ["blue", "green"],
                         "since": "2001-05-01", "event": "2001-05-01-west",
                         "confidence": "confirmed", "last_reported": "2001-05-01",
                         "stale": False}
        assert page.evaluate("mapapp.getPlaceState('lost-village')")["status"] == "no-data"
        assert page.evaluate("mapapp.getPlaceState('atlantis')") is None
        assert page.locator("#mapapp-date").text_content() == "2 May 2001"
        legend = page.locator(".mapapp-legend").inner_text()
        assert "Contested: Blue vs Green" in legend and "Joint: Blue + Green" in legend
        # before 1970 works: the first event is in 1965
        assert page.evaluate("mapapp.setDate('1965-03-01')") == "1965-03-01"
        assert page.evaluate("mapapp.getPlaceState('west-square')")["factions"] == ["blue"]
        assert page.evaluate("mapapp.setDate('1965-02-28') && "
                             "mapapp.getPlaceState('west-square').status") == "no-data"
        assert recorder.errors == []
        assert recorder.foreign_requests() == []
