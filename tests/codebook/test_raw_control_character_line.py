"""A control character pasted raw into a codebook (Word's manual line break U+000B, an ESC, a DEL) used to stop
validation with `[C001] YAML error: unacceptable character #x000b ... position 1885`: no line, an offset counted
from the start of the file, and no other problem of the file listed. docs/codebook.md said C020 names such a
character "pasted with the text".

What is true now: each such character is a C020 problem at its own line, naming the character and its column, and
the rest of the file is still checked, so every other problem is listed in the same pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.codebook import load_codebook, validate_codebook
from thematic.errors import CodebookError

HEAD = "name: cb\nversion: 1.0.0\nthemes:\n- id: work\n  definition: Work things.\ncodes:\n"


def _codebook(tmp_path: Path, pasted: str, newline: str = "\n") -> Path:
    body = (HEAD + "".join(f"- id: code_{i}\n  parent: work\n  definition: Code number {i}.\n" for i in range(3))
            + f"- id: vetting\n  parent: work\n  definition: Security checks{pasted}pasted from Word.\n"
            + "- id: pay\n  parent: wrk\n  definition: Pay.\n")
    path = tmp_path / "cb.yaml"
    path.write_bytes(body.replace("\n", newline).encode("utf-8"))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_pasted_vertical_tab_is_c020_at_its_line_and_the_rest_is_still_checked(tmp_path: Path, newline: str) -> None:
    path = _codebook(tmp_path, "\x0b", newline)
    problems = validate_codebook(path)
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"C020", "C007"}, problems
    assert by_code["C020"].line == 18 and by_code["C007"].line == 20
    message = by_code["C020"].message
    assert "U+000B" in message and "column 30" in message and "line break" in message
    assert "position" not in message.split("U+000B")[0]
    with pytest.raises(CodebookError, match=r"cb\.yaml:18: \[C020\]"):
        load_codebook(path)


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x9b"])
def test_every_character_yaml_refuses_is_named_with_its_line(tmp_path: Path, char: str) -> None:
    path = _codebook(tmp_path, char)
    found = [p for p in validate_codebook(path) if p.code == "C020"]
    assert len(found) == 1 and found[0].line == 18, found
    assert f"U+{ord(char):04X}" in found[0].message
    assert "U+000B" not in found[0].message and "line break is" not in found[0].message  # no hint about another character
    assert not [p for p in validate_codebook(path) if p.code == "C001"]


def test_several_pasted_characters_are_each_reported(tmp_path: Path) -> None:
    path = _codebook(tmp_path, "\x0b")
    path.write_text(path.read_text(encoding="utf-8").replace("Code number 1.", "Code\x0cnumber 1."), encoding="utf-8")
    assert [p.line for p in validate_codebook(path) if p.code == "C020"] == [12, 18]
