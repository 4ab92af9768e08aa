"""Documentation is tested: every command has help text and is in the README's CLI reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.cli.reference import END, START, is_group, iter_commands, reference_markdown

README = Path(__file__).resolve().parents[2] / "README.md"
COMMANDS = [(path, cmd) for path, cmd in iter_commands() if path != "thematic"]


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_reference_every_command_has_help_text(path: str, cmd) -> None:
    assert (cmd.help or "").strip(), f"`{path}` has no help text"
    if not is_group(cmd):
        for param in cmd.params:
            if param.param_type_name == "option" and not getattr(param, "hidden", False):
                assert (param.help or "").strip(), f"`{path}` option {param.opts} has no help text"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_reference_every_command_is_in_the_readme(path: str) -> None:
    assert f"`{path}`" in README.read_text(encoding="utf-8"), f"`{path}` is missing from README.md"


def test_reference_readme_block_is_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    block = START + text.split(START, 1)[1].split(END, 1)[0] + END
    assert block == reference_markdown(), "run `python -m thematic.cli.reference README.md`"
