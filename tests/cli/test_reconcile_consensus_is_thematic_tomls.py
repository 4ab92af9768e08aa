"""`--consensus` must name thematic.toml's consensus coder, the one the tables count.

``thematic reconcile --coders HT,SO --consensus Team`` settled every dispute as Team while thematic.toml's
consensus was "consensus": every table (frequencies, quotes, the workbook, the appendix) counts only the
consensus thematic.toml names, so Team's decisions were counted nowhere, with no note and no warning, though
the help said "Tables then count the consensus where it exists". Now a ``--consensus`` other than
thematic.toml's (case aside) is refused with E611 by ``reconcile`` and ``import reconcile``, before anything is
stored, saying to set ``[study] consensus`` first; with that set, the tables count Team's decisions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


def _run(root: Path, *args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], input=input, env={"COLUMNS": "160"})
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


@pytest.fixture
def disputed(study) -> Path:  # noqa: ANN001
    """HT and SO dispute funding on int-01:3 (SO only) and int-02:1 (HT only); they agree on int-01:1."""
    fill_study(study)
    toml = study.paths.config
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT", "SO"]'), encoding="utf-8")
    for who in ("HT", "SO"):
        study.code("int-01:1", "funding", coder=who)
        study.mark_seen(["int-01:1", "int-01:3", "int-02:1"], coder=who)
    study.code("int-01:3", "funding", coder="SO")
    study.code("int-02:1", "funding", coder="HT")
    study.close()
    return study.root


def _funding(root: Path) -> int:
    with Study(root) as s:
        return int(s.frequencies(level="code").set_index("code_id").loc["funding", "n_segments"])


def test_a_consensus_other_than_thematic_tomls_is_refused(disputed: Path, tmp_path: Path) -> None:
    out = _run(disputed, "reconcile", "--coders", "HT,SO", "--by", "HT", "--consensus", "Team",
               input="n\n\nn\n\n", code=1)
    assert "[E611]" in out and "consensus = \"Team\"" in out and "'consensus'" in out
    book = tmp_path / "decide.xlsx"
    _run(disputed, "reconcile", "--coders", "HT,SO", "--out", str(book))
    assert "[E611]" in _run(disputed, "import", "reconcile", str(book), "--by", "HT", "--consensus", "Team", code=1)
    with Study(disputed) as s:
        assert s.codings(coder="Team").empty and s.seen("Team").empty and s.store.decisions().empty
    assert _funding(disputed) == 3


def test_the_same_name_in_another_case_is_thematic_tomls(disputed: Path) -> None:
    _run(disputed, "reconcile", "--coders", "HT,SO", "--by", "HT", "--consensus", "Consensus", input="n\n\nn\n\n")
    with Study(disputed) as s:
        assert len(s.seen("consensus")) == 3
    assert _funding(disputed) == 1


def test_set_in_thematic_toml_the_tables_count_it(disputed: Path) -> None:
    toml = disputed / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('consensus = "consensus"', 'consensus = "Team"'),
                    encoding="utf-8")
    _run(disputed, "reconcile", "--coders", "HT,SO", "--by", "HT", "--consensus", "Team", input="n\n\nn\n\n")
    assert _funding(disputed) == 1


def test_the_help_says_what_is_true() -> None:
    for cmd in (["reconcile", "--help"], ["import", "reconcile", "--help"]):
        text = " ".join(runner.invoke(app, cmd, env={"COLUMNS": "200"}).output.split())
        assert "thematic.toml" in text and "Tables then count the consensus where it exists" not in text
