"""The app factory's settings, as in Flask's tutorial: ``create_app()`` reads ``MAPAPP_*``
variables (as wsgi.py does), parsed by the type of each setting; a mapping passed to the
factory wins over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapapp import create_app
from mapapp.config import DEFAULT_DATA_DIR, Settings
from tests.tiny_dataset import write_tiny_dataset


@pytest.fixture
def env(monkeypatch, tiny_dir: Path):
    """The environment of a server started on the tiny data set, hot reload left default."""
    for name in Settings.__dataclass_fields__:
        monkeypatch.delenv(f"MAPAPP_{name.upper()}", raising=False)
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(tiny_dir))
    return monkeypatch


def settings_of(app) -> Settings:
    return app.config["MAPAPP_SETTINGS"]


def test_defaults_without_any_variable(env, tiny_dir):
    env.delenv("MAPAPP_DATA_DIR")
    settings = settings_of(create_app({"data_dir": tiny_dir}))
    assert settings == Settings(data_dir=tiny_dir)
    assert Settings().data_dir == DEFAULT_DATA_DIR and DEFAULT_DATA_DIR.name == "data"
    assert (settings.offer_online_tiles, settings.reload_interval) == (True, 2.0)


def test_the_data_directory_comes_from_the_environment(env, tiny_dir):
    app = create_app()
    assert settings_of(app).data_dir == tiny_dir
    assert app.test_client().get("/api/factions").get_json()["factions"][0]["id"] == "blue"


@pytest.mark.parametrize(("raw", "offered"), [
    ("1", True), ("true", True), ("TRUE", True), (" yes ", True), ("on", True),
    ("0", False), ("false", False), ("no", False), ("off", False),
])
def test_a_flag_is_parsed_from_the_usual_words(env, raw, offered):
    env.setenv("MAPAPP_OFFER_ONLINE_TILES", raw)
    app = create_app()
    assert settings_of(app).offer_online_tiles is offered
    csp = app.test_client().get("/").headers["Content-Security-Policy"]
    assert ("https://tile.openstreetmap.org" in csp) is offered


@pytest.mark.parametrize(("raw", "seconds"), [("0", 0.0), ("2.5", 2.5), (" 10 ", 10.0)])
def test_a_number_of_seconds_is_parsed_as_a_float(env, raw, seconds):
    env.setenv("MAPAPP_RELOAD_INTERVAL", raw)
    assert settings_of(create_app()).reload_interval == seconds


@pytest.mark.parametrize("raw", ["treu", "", "2", "enabled"])
def test_a_misspelt_flag_stops_the_app_from_starting_with_its_name(env, raw):
    env.setenv("MAPAPP_OFFER_ONLINE_TILES", raw)
    with pytest.raises(ValueError, match="MAPAPP_OFFER_ONLINE_TILES .* not "):
        create_app()


def test_a_number_that_is_not_one_stops_the_app_from_starting(env):
    env.setenv("MAPAPP_RELOAD_INTERVAL", "two seconds")
    with pytest.raises(ValueError, match="MAPAPP_RELOAD_INTERVAL .* must be a number"):
        create_app()


def test_a_whole_number_is_parsed_as_an_int(env):
    env.setenv("MAPAPP_DETAILS_CHUNK", " 7 ")
    assert settings_of(create_app()).details_chunk == 7


def test_text_settings_are_taken_as_written(env):
    env.setenv("MAPAPP_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    env.setenv("MAPAPP_TILE_ATTRIBUTION", "© Example")
    app = create_app()
    assert (settings_of(app).tile_url, settings_of(app).tile_attribution) == (
        "https://tiles.example.org/{z}/{x}/{y}.png", "© Example")
    assert "https://tiles.example.org" in app.test_client().get("/").headers[
        "Content-Security-Policy"]


def test_the_factorys_mapping_wins_over_the_environment(env, tmp_path):
    env.setenv("MAPAPP_OFFER_ONLINE_TILES", "1")
    env.setenv("MAPAPP_RELOAD_INTERVAL", "5")
    other = write_tiny_dataset(tmp_path / "elsewhere")
    settings = settings_of(create_app({"offer_online_tiles": False, "reload_interval": 0.0,
                                       "data_dir": str(other)}))
    assert (settings.offer_online_tiles, settings.reload_interval) == (False, 0.0)
    assert settings.data_dir == other  # a string becomes a Path
