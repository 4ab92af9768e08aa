"""`codebook validate` showed the 2 MB size refusal (E211) as C001, whose documented meaning is "YAML syntax error".

The refusal is now reported under its own code, E211 (the README now says the codebook has this fixed cap
rather than `[limits]`); a YAML syntax error is still C001.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook.files import MAX_CODEBOOK_BYTES
from thematic.codebook.validate import validate_codebook

REPO = Path(__file__).resolve().parents[2]


def _big(tmp_path: Path) -> Path:
    p = tmp_path / "big.yaml"
    text = (REPO / "codebooks/peer-work-desistance.yaml").read_text(encoding="utf-8")
    p.write_text(text + "# " + "x" * (MAX_CODEBOOK_BYTES + 10) + "\n", encoding="utf-8")
    return p


def test_size_refusal_is_e211_not_c001(tmp_path: Path) -> None:
    problems = validate_codebook(_big(tmp_path))
    assert [p.code for p in problems] == ["E211"]
    assert "over the limit of 2 MB" in problems[0].message
    assert "[C001]" not in str(problems[0]) and str(problems[0]).count("[E211]") == 1


def test_cli_validate_shows_e211(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["codebook", "validate", str(_big(tmp_path))])
    assert result.exit_code == 1
    assert "[E211]" in result.output and "[C001]" not in result.output


def test_yaml_syntax_error_stays_c001(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("version: 1.0.0\nthemes: [\n", encoding="utf-8")
    assert [q.code for q in validate_codebook(p)] == ["C001"]
