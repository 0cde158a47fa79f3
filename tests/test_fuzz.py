"""Property-based tests: malformed, extreme and unicode values at every parameter of every
described endpoint are never a 5xx, and every 4xx explains itself in JSON."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from mapapp.errors import RequestError
from mapapp.openapi import build_openapi
from mapapp.timeline import parse_date
from tests.tiny_dataset import write_tiny_dataset


@pytest.fixture(scope="module")
def fuzz_app(make_app, tmp_path_factory):
    # The tiny data set keeps every valid render fast, so the fuzzer can try many values.
    return make_app(write_tiny_dataset(tmp_path_factory.mktemp("fuzz") / "tiny"))


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)


OPERATIONS = [(path, "GET") for path in build_openapi()["paths"]]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_parameter_value_makes_a_server_error(fuzz_schema, fuzz_app, path, method):
    operation = fuzz_schema[path][method]

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(app=fuzz_app)
        case.validate_response(response, checks=[not_a_server_error])
        if 400 <= response.status_code < 500 and path.startswith("/ogc"):
            error = response.json()  # the OGC exception
            assert error["code"] and isinstance(error["description"], str)
        elif 400 <= response.status_code < 500:
            error = response.json()["error"]
            assert error["status"] == response.status_code
            assert isinstance(error["message"], str) and error["message"]

    check()


def test_openapi_describes_every_json_and_export_endpoint(fuzz_app):
    doc = fuzz_app.test_client().get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    rules = {r.rule for r in fuzz_app.url_map.iter_rules()
             if r.rule.startswith(("/api/", "/export/", "/ogc", "/feed"))
             and r.rule != "/api/openapi.json"}
    described = {p.replace("{", "<").replace("}", ">") for p in doc["paths"]}
    missing = {r for r in rules if r not in described}
    assert missing == set(), f"endpoints missing from the OpenAPI description: {missing}"


@given(st.text(max_size=40))
def test_parse_date_accepts_only_real_iso_dates(text):
    try:
        date = parse_date(text)
    except RequestError:
        return
    assert date.isoformat() == text.strip()


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_state_at_any_date_is_the_latest_event_on_or_before_it(tiny_timeline, date):
    state = tiny_timeline.state_at(date)
    events = tiny_timeline.control
    for place in tiny_timeline.place_ids:
        mine = events[(events["place"] == place) & (events["date"] <= date.isoformat())]
        expected = mine.iloc[-1]["id"] if len(mine) else None
        assert state.loc[place, "event_id"] == expected
