"""The documentation names every setting and every command, and nothing that does not exist.

Settings are documented in docs/deploy.md: one table row per ``MAPAPP_*`` variable, with its
``create_app`` key. Commands are documented in docs/cli.md: a ``## `mapapp <command> …` ``
section per command naming each of its options (as ``--option``) and arguments.
"""

from __future__ import annotations

import re
from dataclasses import fields

import click
import pytest

from mapapp.cli import main
from mapapp.config import Settings
from tests.conftest import REPO

DOCS = REPO / "docs"
VARIABLE = re.compile(r"\bMAPAPP_[A-Z_]+\b")
OPTION = re.compile(r"`(--[a-z][a-z0-9-]*)")


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command under ``group``, by its full name (``export-state``, or ``a b``)."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _commands(command, f"{prefix}{name} ")
        else:
            found[prefix + name] = command
    return found


def _sections(markdown: str) -> dict[str, str]:
    """The text of each ``## `mapapp <command> …` `` section, by command name."""
    sections: dict[str, str] = {}
    for chunk in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]:
        heading, _, body = chunk.partition("\n")
        words = heading.strip("` ").split()
        if words[:1] == ["mapapp"]:
            name = " ".join(w for w in words[1:] if re.fullmatch(r"[a-z][a-z-]*", w))
            sections[name] = heading + "\n" + body
    return sections


COMMANDS = _commands(main)
SECTIONS = _sections((DOCS / "cli.md").read_text(encoding="utf-8"))


def test_every_command_has_a_section_and_every_section_a_command():
    assert sorted(SECTIONS) == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_and_argument_of_a_command_is_in_its_section(name):
    section = SECTIONS.get(name, "")
    declared: set[str] = set()
    for param in COMMANDS[name].params:
        if isinstance(param, click.Option):
            declared |= {o for o in param.opts + param.secondary_opts if o.startswith("--")}
        else:
            assert param.human_readable_name in section, (
                f"docs/cli.md: argument {param.human_readable_name} of mapapp {name}")
    documented = set(OPTION.findall(section))
    assert declared - documented == set(), f"docs/cli.md: mapapp {name} lacks these options"
    assert documented - declared == set(), f"docs/cli.md: mapapp {name} has no such options"


def test_every_setting_has_a_row_with_its_variable_and_key():
    rows = [line for line in (DOCS / "deploy.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("|") and VARIABLE.search(line)]
    for setting in fields(Settings):
        variable = f"`MAPAPP_{setting.name.upper()}`"
        row = next((r for r in rows if variable in r.split("|")[1]), None)  # its first cell
        assert row is not None, f"docs/deploy.md: no row for {variable}"
        assert f"`{setting.name}`" in row, f"docs/deploy.md: {variable}'s row lacks its key"


def test_every_variable_named_in_the_docs_is_a_setting():
    settings = {f"MAPAPP_{f.name.upper()}" for f in fields(Settings)}
    for path in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]:
        named = set(VARIABLE.findall(path.read_text(encoding="utf-8")))
        assert named <= settings, f"{path.name} names {sorted(named - settings)}"
