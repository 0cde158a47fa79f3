"""CSV exports of data that starts like spreadsheet formulas: read back with Python's csv
module every text cell is the data with a leading apostrophe where a spreadsheet would
have run it, and LibreOffice opens every file with no formula in it."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import main
from mapapp.csvsafe import FORMULA_STARTS, original
from mapapp.dataset import load_dataset
from tests.formula_dataset import CREDIT, write_formula_dataset

EVENT_TEXTS = ("summary", "source_title", "notes", "place_name")
STATE_TEXTS = ("name", "geometry_source", "source_title")


@pytest.fixture(scope="module")
def formula_dir(tmp_path_factory) -> Path:
    return write_formula_dataset(tmp_path_factory.mktemp("formulas") / "data")


@pytest.fixture(scope="module")
def exported(formula_dir, make_app, tmp_path_factory) -> dict[str, bytes]:
    """Every CSV the project writes from this data: the two URLs and the two commands."""
    client = make_app(formula_dir).test_client()
    files = {}
    for name, url in (("web-events", "/export/events.csv"),
                      ("web-state", "/export/state.csv?date=2001-05-03")):
        response = client.get(url)
        assert response.status_code == 200, response.data
        files[name] = response.data
    out = tmp_path_factory.mktemp("cli")
    for name, args in (("cli-events", ["export-events"]),
                       ("cli-state", ["export-state", "--date", "2001-05-03"])):
        path = out / f"{name}.csv"
        result = CliRunner().invoke(main, [*args, "--data", str(formula_dir), "--format", "csv",
                                           "--out", str(path)])
        assert result.exit_code == 0, result.output
        files[name] = path.read_bytes()
    return files


def rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


def test_no_cell_starts_like_a_formula_and_the_data_reads_back_unchanged(exported,
                                                                         formula_dir):
    dataset = load_dataset(formula_dir)
    events, places = dataset.events, dataset.places
    for name, body in exported.items():
        table = rows(body)
        assert table, name
        for row in table:
            for column, cell in row.items():
                assert not cell.startswith(FORMULA_STARTS), (name, column, cell)
            assert original(row["attribution"]).startswith(CREDIT)
            if "events" in name:
                source = events.loc[row["id"]]
                for column in EVENT_TEXTS[:3]:
                    assert original(row[column]) == (source[column] or ""), (name, column)
                assert original(row["place_name"]) == places.loc[row["place"], "name"]
            else:
                for column in STATE_TEXTS[:2]:
                    assert original(row[column]) == places.loc[row["id"], column], column
        # the formulas really are in there, neutralised: the test data is hostile
        neutralised = sum(row[c].startswith("'") for row in table for c in row)
        assert neutralised >= len(table), name


def test_numbers_stay_numbers(exported):
    for name in ("web-state", "cli-state"):
        for row in rows(exported[name]):
            if row["lon"]:
                float(row["lon"]), float(row["lat"]), float(row["area_km2"])


@pytest.mark.server
def test_libreoffice_opens_every_export_with_no_formula(exported, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: run `make test`, which installs it")
    for name, body in exported.items():
        (tmp_path / f"{name}.csv").write_bytes(body)
    # One conversion for all four files; a private profile so that nothing is shared.
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "fods", "--outdir",
                    str(tmp_path / "out"), *sorted(str(p) for p in tmp_path.glob("*.csv"))],
                   check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    for name in exported:
        sheet = (tmp_path / "out" / f"{name}.fods").read_text(encoding="utf-8")
        assert "table:formula" not in sheet, name
        cells = re.findall(r"<text:p>([^<]*)</text:p>", sheet)
        assert "&apos;=1+2 place 0" in cells, name
        assert not [c for c in cells if c.startswith(("=", "+", "@"))], name
