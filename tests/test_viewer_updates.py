"""An open page across a data update, in a real browser: its popups keep getting the texts
of the version it loaded, and a quiet, accessible notice offers a reload."""

from __future__ import annotations

import time

import pytest

from tests.conftest import LiveServer

NEW_EVENT = ("2001-05-04-east,2001-05-04,control,east-square,held,green,,,Green takes the "
             "east square.,Test report,https://example.org/new,2001-05-04,confirmed,\r\n")
POLL_MS = 300


@pytest.mark.browser
def test_an_open_page_keeps_working_and_offers_a_reload(tiny_dir, make_app, make_page,
                                                       tmp_path):
    app = make_app(tiny_dir, reload_interval=0.05, details_chunk=2, cache_dir=tmp_path / "cache")
    with LiveServer(app) as server:
        recorder = make_page(server.url)
        recorder.page.add_init_script(f"window.mapapp = {{updatePollMs: {POLL_MS}}};")
        recorder.open("/?date=2001-05-03")
        page = recorder.page
        old = page.evaluate("mapapp.core.S.p.version")
        time.sleep(4 * POLL_MS / 1000)
        notice = page.locator("#mapapp-update")
        assert notice.get_attribute("role") == "status" and notice.inner_text() == ""
        assert not notice.is_visible()

        with open(tiny_dir / "events.csv", "a", encoding="utf-8", newline="") as fh:
            fh.write(NEW_EVENT)
        notice.get_by_role("button", name="Reload").wait_for(timeout=10000)
        assert "This map has been updated." in notice.inner_text()
        assert page.evaluate("fetch('/data/version.json').then(r => r.json())")[
            "version"] != old

        # The texts of every chunk still come in the page's own version.
        versions = page.evaluate("""async () => {
            const out = [];
            for (const name of ["control-0", "control-1", "control-2", "incidents-0"]) {
              const cfg = JSON.parse(document.getElementById("mapapp-config").textContent);
              const r = await fetch(cfg.details_url + name + ".json");
              out.push((await r.json()).version);
            }
            return out;
        }""")
        assert versions == [old] * 4
        page.locator(".leaflet-interactive").first.click()  # a popup with its texts
        page.wait_for_selector(".mapapp-popup")
        assert "reload the page" not in page.locator("#mapapp-status").inner_text()

        polls = [u for u in recorder.requests if u.endswith("/data/version.json")]
        page.get_by_role("button", name="Dismiss").click()
        assert not notice.is_visible()
        time.sleep(4 * POLL_MS / 1000)  # once it knows, the page stops asking
        assert [u for u in recorder.requests if u.endswith("/data/version.json")] == polls

        page.locator(".mapapp-update-reload").evaluate("b => b.click()")  # dismissed
        page.wait_for_selector("html[data-mapapp-ready=true]")
        assert page.evaluate("mapapp.core.S.p.version") != old
        assert recorder.errors == []
