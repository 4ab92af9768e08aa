"""A fresh study whose codebook has definitions but no keywords gets suggestions from its first run.

Before, `thematic code` ran rules and the model by default: the rules had no keywords to find and
the model nothing to learn from, so a researcher's first run stored no suggestion at all.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import CODEBOOK, write_study


def _without_keywords(codebook: str) -> str:
    return "\n".join(line for line in codebook.splitlines() if not line.strip().startswith("keywords:")) + "\n"


def test_first_run_suggests_from_the_definitions(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    (root / "codebooks" / "small-study.yaml").write_text(_without_keywords(CODEBOOK), encoding="utf-8")
    out = CliRunner().invoke(app, ["code", "--study", str(root)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "ensemble" in out.output and "[W526]" in out.output
    with Study(root) as s:
        sug = s.codings(status="suggested")
        assert not sug.empty and set(sug["coder"]) == {"thematic.ensemble.v1"}
        right = {"I mostly run interviews": {"qualitative_methods"},
                 "never enough time": {"time_pressure", "funding_resources"},
                 "Family life": {"time_pressure"}, "Qualitative interviews": {"qualitative_methods"},
                 "grant money": {"funding_resources", "time_pressure"}}
        for text, code in zip(sug["text"], sug["code_id"]):
            assert any(k in text and code in codes for k, codes in right.items()), (text, code)
