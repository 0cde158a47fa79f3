"""axe-core (pinned in package-lock.json, installed by `make node_modules`) on the real page
in Chromium: no WCAG 2.0/2.1/2.2 A or AA violation on the map at desktop and phone sizes,
with the Share dialog open, with a popup open, on the embed, and in Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.viewer_support import CITY, DESKTOP, PHONE, open_map

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """Every violation axe finds on the page, one line per rule and element."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make node_modules`")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {n['target']}: {n['failureSummary']}"
            for v in result["violations"] for n in v["nodes"]]


def assert_no_violations(page) -> None:
    found = axe_violations(page)
    assert not found, "axe-core found:\n" + "\n".join(found)


# The page's Content-Security-Policy refuses inline scripts, axe's included: the test's own
# browser context lets the checker in (the page's policy is tested in test_security.py).
SIZES = {"desktop": {**DESKTOP, "bypass_csp": True}, "phone": {**PHONE, "bypass_csp": True}}


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", ["/", "/?lang=ar", f"/?{CITY}&date=2017-10-31",
                                  "/embed", "/embed?controls=1"])
def test_page_has_no_axe_violations(live_server, make_page, size, path):
    recorder = open_map(make_page, live_server, path, texts=False, **SIZES[size])
    assert_no_violations(recorder.page)
    assert recorder.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_share_dialog_has_no_axe_violations(live_server, make_page, size):
    recorder = open_map(make_page, live_server, "/", texts=False, **SIZES[size])
    page = recorder.page
    page.get_by_role("button", name="Share or export").click()
    page.get_by_role("dialog", name="Share or export").wait_for()
    assert_no_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_open_popup_has_no_axe_violations(live_server, make_page, size, lang):
    recorder = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-31&lang={lang}",
                        texts=False, **SIZES[size])
    page = recorder.page
    page.evaluate("() => { const S = mapapp.core.S; S.places.openPopup(S.placeIndex.kanamat); }")
    page.wait_for_selector(".leaflet-popup .mapapp-popup")
    page.wait_for_function("() => window.mapapp.detailsLoaded === true")
    # Leaflet fades a popup in: the colours are checked once it is opaque
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert_no_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_search_list_and_place_list_have_no_axe_violations(live_server, make_page, size):
    recorder = open_map(make_page, live_server, "/?date=2017-11-01", texts=False, **SIZES[size])
    page = recorder.page
    page.locator("#mapapp-skip-places").focus()
    page.keyboard.press("Enter")  # the panel (a drawer on phones) with the place list
    page.get_by_role("region", name="Places").wait_for()
    assert_no_violations(page)
    page.locator("#mapapp-find").fill("al")
    page.get_by_role("listbox", name="Places found").wait_for()
    page.keyboard.press("ArrowDown")
    assert_no_violations(page)
