"""The lock file pins every requirement of pyproject.toml to a version it allows, so a fresh
clone installs what CI tested (`make install` takes the lock as it is; `make lock` writes it)."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = list(project["project"]["dependencies"])
    for extra in project["project"]["optional-dependencies"].values():
        declared += extra
    declared += project["build-system"]["requires"]
    return [Requirement(r) for r in declared]


def test_every_requirement_is_pinned_to_a_version_it_allows():
    pins = _pins()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.txt: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.txt pins {name}=={pins[name]}, pyproject.toml asks for "
            f"{requirement}: run `make lock`")


def test_pip_and_setuptools_are_pinned_too():
    # The Makefile installs pip from the lock first and builds the package without isolation.
    assert {"pip", "setuptools"} <= set(_pins())
