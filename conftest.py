"""The names the ``>>>`` examples in mapapp/ may use, on the tiny test data set.

pytest runs those examples (``--doctest-modules``) from the repository root, so that
``Path("data")`` in an example is the shipped data set, as it is for a reader there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent
# Saved copies of the data (mapapp.last_good) go to a directory of this run, not the
# user's cache; every app a test creates, and every server it starts, inherits it.
os.environ["MAPAPP_CACHE_DIR"] = tempfile.mkdtemp(prefix="mapapp-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["MAPAPP_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def _tiny_names(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from mapapp.dataset import load_dataset
    from mapapp.exports import provenance_of
    from mapapp.timeline import Timeline
    from tests.tiny_dataset import write_tiny_dataset

    directory = tmp_path_factory.mktemp("doctest")
    ds = load_dataset(write_tiny_dataset(directory / "tiny"))
    return {"ds": ds, "tl": Timeline(ds), "prov": provenance_of(ds),
            "path": directory / "out.gpkg"}


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ds``, ``tl`` (its Timeline), ``prov`` (its provenance) and ``path`` (a file to
    write) for the examples; only doctests pay for loading them."""
    if isinstance(request.node, pytest.DoctestItem):
        request.getfixturevalue("doctest_namespace").update(
            request.getfixturevalue("_tiny_names"))
        monkeypatch.chdir(REPO)
