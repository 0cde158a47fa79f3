"""The parameter layer: one rule per kind of value, and the OpenAPI document built from the
same declarations that parse the requests."""

from __future__ import annotations

import datetime as dt

import pytest

from mapapp import params
from mapapp.dataset import load_dataset
from mapapp.errors import RequestError
from mapapp.openapi import build_openapi
from mapapp.snapshot.options import MAX_ANIMATION_SIDE, MAX_SIDE, MIN_SIDE
from mapapp.timeline import Timeline


def test_a_range_with_from_after_to_is_refused_with_one_message():
    with pytest.raises(RequestError, match="from 2001-05-03 is after to 2001-05-01") as info:
        params.date_range({"from": "2001-05-03", "to": "2001-05-01"}, params.FROM, params.TO)
    assert info.value.parameter == "from"
    assert params.date_range({"from": "2001-05-01"}, params.FROM, params.TO) == (
        dt.date(2001, 5, 1), None)


def test_date_or_latest_is_the_latest_data_day(tiny_dir):
    timeline = Timeline(load_dataset(tiny_dir))
    assert params.DATE.parse_or_latest({}, timeline) == dt.date.fromisoformat(
        timeline.last_date)
    assert params.DATE.parse_or_latest({"date": " "}, timeline) == dt.date.fromisoformat(
        timeline.last_date)
    assert params.DATE.parse_or_latest({"date": "1999-01-02"}, timeline) == dt.date(1999, 1, 2)


@pytest.mark.parametrize(("raw", "expected"), [("on", True), ("1", True), ("YES", True),
                                               ("off", False), ("0", False), (None, True)])
def test_flags(raw, expected):
    assert params.Flag("labels", "labels", default=True).parse({"labels": raw}) is expected


def test_integer_limits_and_messages():
    width = params.Integer("width", "pixels", low=200, high=4000, default=1200)
    assert width.parse({}) == 1200 and width.parse({"width": "4000"}) == 4000
    with pytest.raises(RequestError, match="width '12px' is not a whole number"):
        width.parse({"width": "12px"})
    with pytest.raises(RequestError, match="width 5000 is out of range: 200 to 4000"):
        width.parse({"width": "5000"})


def test_extent_is_a_view_or_a_bbox_not_both():
    with pytest.raises(RequestError, match="either view or bbox"):
        params.extent({"view": "a", "bbox": "1,2,3,4"}, None)
    assert params.extent({"bbox": "1,2,3,4"}, None) == (None, (1.0, 2.0, 3.0, 4.0))
    with pytest.raises(RequestError, match="west 3.0 must be less than east 1.0"):
        params.extent({"bbox": "3,2,1,4"}, None)


def test_openapi_limits_are_the_enforced_ones():
    doc = build_openapi()
    snapshot = {p["name"]: p for p in
                doc["paths"]["/export/snapshot.{fmt}"]["get"]["parameters"]}
    animation = {p["name"]: p for p in
                 doc["paths"]["/export/animation.{fmt}"]["get"]["parameters"]}
    assert f"from {MIN_SIDE} to {MAX_SIDE}" in snapshot["width"]["description"]
    assert f"from {MIN_SIDE} to {MAX_ANIMATION_SIDE}" in animation["width"]["description"]
    assert "social" in snapshot["preset"]["description"]
    media = doc["paths"]["/export/state.{fmt}"]["get"]["responses"]["200"]["content"]
    assert set(media) == {params.MEDIA_TYPES[f] for f in ("geojson", "csv", "gpkg")}
    changes = {p["name"]: p for p in doc["paths"]["/api/changes"]["get"]["parameters"]}
    assert changes["from"]["required"] and changes["to"]["required"]
