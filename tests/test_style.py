"""One style for page and exports: the payload declares what mapapp.style defines, and the
legend the page builds from ``payload["style"]["legend"]`` says what the exports' legend
says, for every state of the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mapapp import style
from mapapp.contract import NO_DATA
from mapapp.dataset import load_dataset
from mapapp.payload import build_payload
from mapapp.snapshot.paint import patch_style, style_label, style_of
from mapapp.timeline import Timeline

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def shipped() -> tuple[Timeline, dict]:
    timeline = Timeline(load_dataset(DATA))
    return timeline, build_payload(timeline)


def page_legend_label(state: dict, payload: dict) -> str:
    """What the page builds for a payload state: only the payload's templates and
    factions, filled by plain replacement of ``{name}`` fields."""
    legend = payload["style"]["legend"]
    factions = payload["factions"]
    status = state["status"]
    field = legend["name"][status]
    names = [factions[i][field] or factions[i]["name"] for i in state["factions"]]

    def fill(template: str, **values: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)

    if status == "held":
        label = fill(legend["held"], faction=names[0])
    else:
        label = fill(legend[status], factions=legend["separator"][status].join(names))
    if state["confidence"] in payload["style"]["tentative"]:
        label += fill(legend["tentative"], confidence=state["confidence"])
    return label


def test_page_and_export_legends_agree_for_every_state(shipped):
    timeline, payload = shipped
    factions = timeline.dataset.factions
    assert payload["states"], "the shipped data has control events"
    seen_statuses = set()
    for state in payload["states"]:
        ids = tuple(payload["factions"][i]["id"] for i in state["factions"])
        export = style_label(
            style_of(state["status"], ids, state["confidence"]), factions)
        assert page_legend_label(state, payload) == export
        seen_statuses.add(state["status"])
    assert seen_statuses == {"held", "contested", "joint"}
    no_data = style_label(style_of(NO_DATA, (), None), factions)
    assert no_data == payload["style"]["legend"]["no_data"]


def test_a_held_place_is_named_in_full_in_both_legends(shipped):
    timeline, payload = shipped
    held = [s for s in payload["states"] if s["status"] == "held"
            and s["confidence"] == "confirmed"
            and payload["factions"][s["factions"][0]]["short_name"]
            not in ("", None, payload["factions"][s["factions"][0]]["name"])]
    assert held, "a held state whose faction has a distinct short name"
    for state in held:
        faction = payload["factions"][state["factions"][0]]
        assert page_legend_label(state, payload) == faction["name"]


def test_payload_carries_the_style_module(shipped):
    _, payload = shipped
    declared = payload["style"]
    assert declared["fill_opacity"] == style.FILL_OPACITY
    assert declared["no_data"] == style.NO_DATA_STYLE
    assert declared["tentative"] == list(style.TENTATIVE)
    assert declared["line_darken"] == style.LINE_DARKEN
    assert declared["outline"] == style.OUTLINES
    assert declared["stripes"] == style.STRIPES
    assert declared["legend"] == style.LEGEND


def test_export_patches_use_the_declared_opacities(shipped):
    timeline, _ = shipped
    colors = dict(zip(timeline.dataset.factions.index, timeline.dataset.factions["color"],
                      strict=True))
    fid = next(iter(colors))
    firm = patch_style(style_of("held", (fid,), "confirmed"), colors)
    pale = patch_style(style_of("held", (fid,), "claimed"), colors)
    grey = patch_style(style_of(NO_DATA, (), None), colors)
    assert firm["facecolor"][3] == style.FILL_OPACITY["firm"]
    assert pale["facecolor"][3] == style.FILL_OPACITY["tentative"]
    assert grey["facecolor"][3] == style.NO_DATA_STYLE["fill_opacity"]
