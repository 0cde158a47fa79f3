"""The map with only a keyboard and a screen reader's ears, in a real Chromium: find Kanamat
by typing its Arabic name, open it from the panel's place list, and hear each settled date
change once in the polite live region."""

from __future__ import annotations

import pytest

from tests.viewer_support import CITY, DESKTOP, PHONE, assert_clean, open_map

LIVE = "#mapapp-announce"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} not reached in {limit} Tabs")


def focus_in_popup(page) -> bool:
    return page.evaluate(
        "() => !!document.activeElement.closest('.leaflet-popup .mapapp-popup')")


@pytest.mark.browser
@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_find_kanamat_by_its_arabic_name_with_the_keyboard(live_server, make_page, context):
    recorder = open_map(make_page, live_server, "/?date=2017-11-01", texts=False, **context)
    page = recorder.page
    tab_to(page, "#mapapp-find")
    assert page.get_attribute("#mapapp-find", "role") == "combobox"
    page.keyboard.type("كنامات")
    listbox = page.get_by_role("listbox", name="Places found")
    listbox.wait_for()
    assert page.get_attribute("#mapapp-find", "aria-expanded") == "true"
    options = listbox.get_by_role("option")
    first = options.first.text_content()
    assert first.startswith("Kanamat") and "held by: Syrian government" in first
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#mapapp-find", "aria-activedescendant") == "mapapp-find-opt-0"
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup #mapapp-popup-heading")
    assert page.locator(".leaflet-popup #mapapp-popup-heading").text_content() == "Kanamat"
    page.wait_for_function("() => !!document.activeElement.closest('.leaflet-popup')")
    assert focus_in_popup(page)
    region = page.get_by_role("region", name="Kanamat")
    assert region.count() == 1
    # the texts of the popup arrive and replace its content: the focus stays in it
    page.wait_for_function("() => window.mapapp.detailsLoaded === true")
    page.wait_for_selector(".leaflet-popup .mapapp-source a")
    assert focus_in_popup(page)
    assert listbox.is_hidden()
    assert_clean(recorder)


@pytest.mark.browser
def test_transliterations_find_the_same_place(live_server, make_page):
    recorder = open_map(make_page, live_server, "/", texts=False)
    page = recorder.page
    box = page.locator("#mapapp-find")
    for query, name in (("Hameidiyyeh", "al-Hamidiyah"), ("البوكمال", "al-Bukamal"),
                        ("bukamal", "al-Bukamal"), ("Sheikh Yasin", "Sheikh Yassin")):
        box.fill(query)
        option = page.get_by_role("option").first
        assert option.locator(".mapapp-place-name").text_content() == name, query
    box.fill("qqqq")
    assert page.get_by_role("listbox").is_hidden()
    assert page.get_by_role("status").filter(has_text="No place matches").count() == 1
    page.keyboard.press("Escape")


@pytest.mark.browser
@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_skip_link_and_place_list(live_server, make_page, context):
    recorder = open_map(make_page, live_server, "/?date=2017-11-01", texts=False, **context)
    page = recorder.page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to place list")
    assert page.evaluate("() => document.activeElement.id") == "mapapp-skip-places"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "mapapp-places-filter"
    region = page.get_by_role("region", name="Places")
    names = region.locator(".mapapp-place-name").all_text_contents()
    assert len(names) == len(page.evaluate("mapapp.placeIds()"))
    assert names == sorted(names, key=str.casefold) or names[0] == "Abu Abed"
    page.keyboard.type("kanam")
    assert region.locator(".mapapp-place-name").all_text_contents() == ["Kanamat"]
    page.keyboard.press("Tab")
    assert "Kanamat" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.activeElement.closest('.leaflet-popup')")
    assert page.locator(".leaflet-popup #mapapp-popup-heading").text_content() == "Kanamat"
    # A place that is not drawn (Badr: no known outline) opens its history instead.
    page.locator("#mapapp-skip-places").focus()
    page.keyboard.press("Enter")
    page.locator("#mapapp-places-filter").fill("badr")
    page.locator(".mapapp-place-button").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('#mapapp-place') !== null")
    assert page.locator("#mapapp-place h2").text_content() == "Badr"
    assert_clean(recorder)


@pytest.mark.browser
def test_each_settled_date_change_is_announced_once(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-30", texts=False)
    page = recorder.page
    live = page.locator(LIVE)
    assert live.get_attribute("aria-live") == "polite"
    assert page.get_attribute("#mapapp-date", "aria-live") == "off"  # not one per frame
    assert live.text_content() == ""  # the first date is not announced
    # Record every text the live region takes.
    page.evaluate("""() => { window.heard = [];
      new MutationObserver(() => heard.push(document.querySelector('#mapapp-announce')
        .textContent)).observe(document.querySelector('#mapapp-announce'),
        {childList: true, characterData: true, subtree: true}); }""")
    slider = page.locator("#mapapp-slider")
    slider.focus()
    page.keyboard.press("Shift+ArrowRight")  # next change: 31 Oct 2017
    page.wait_for_function("() => heard.length === 1")
    text = live.text_content()
    changed = page.evaluate("""() => mapapp.placeIds().filter(id =>
      mapapp.getPlaceState(id).since === '2017-10-31')""")
    assert text.startswith(f"31 Oct 2017: {len(changed)} places changed hands: ")
    assert "Kanamat to Syrian government" in text
    assert slider.get_attribute("aria-valuetext") == "31 Oct 2017"
    # Five quick steps settle into one announcement: the date reached, and every place
    # whose holder differs from the last announcement's.
    holders = """() => Object.fromEntries(mapapp.placeIds().map(id => {
      const s = mapapp.getPlaceState(id); return [id, s.status + s.factions.join('+')]; }))"""
    before = page.evaluate(holders)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => heard.length === 2")
    page.wait_for_timeout(1000)
    after = page.evaluate(holders)
    n = sum(before[k] != after[k] for k in after)
    assert n > 1
    heard = page.evaluate("heard")
    assert len(heard) == 2 and heard[0] == text
    assert heard[1].startswith(f"5 Nov 2017: {n} places changed hands: ")
    # A settled step that changes nothing says so.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => heard.length === 3")
    assert page.evaluate("heard[2]") == "6 Nov 2017: no place changed hands."
    assert_clean(recorder)


@pytest.mark.browser
def test_play_never_starts_by_itself_and_is_slow_with_reduced_motion(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-20", texts=False,
                        **{**DESKTOP, "reduced_motion": "reduce"})
    page = recorder.page
    page.wait_for_timeout(600)
    assert page.evaluate("mapapp.isPlaying()") is False
    assert page.evaluate("mapapp.getDate()") == "2017-10-20"
    page.get_by_label("Speed").select_option("4")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => mapapp.getDate() === '2017-10-21'", timeout=5000)
    page.wait_for_timeout(1000)  # at 4 days a second this would be 4 days on
    assert page.evaluate("mapapp.getDate()") == "2017-10-21"
    page.get_by_role("button", name="Pause").click()
