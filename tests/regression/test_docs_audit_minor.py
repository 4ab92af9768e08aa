"""Small things a docs audit found untrue or silent in the CLI.

Before: `--level` help said "both" where the value is `all`; `tables cooccurrence --matrix` without
`--out` printed the pairs table, not the matrix; `thematic status` with two YAML files in codebooks/
and no setting showed `codebook -` without saying why; a participants.csv column titled `Contact`
was tallied like an attribute. Now: the help names `all`; `--matrix` prints the square matrix;
status names the ambiguity (E051); contact-detail columns are kept out of tallies.
"""

from __future__ import annotations

from pathlib import Path

from regression.tiny_study import CODEBOOK, cli, runner, study_with, ENV
from thematic._personal import is_personal
from thematic.cli.main import app


def test_level_help_names_the_value_all() -> None:
    for command in ("frequency", "cooccurrence", "matrix"):
        out = runner.invoke(app, ["tables", command, "--help"], env=ENV).output
        assert " both" not in out, command
        assert "all" in out, command


def test_cooccurrence_matrix_without_out_prints_the_square(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nAnna: The funding and the job went.\n"})
    cli(root, "ingest")
    cli(root, "code", "add", "int:1", "money", "--coder", "HT")
    cli(root, "code", "add", "int:1", "work", "--coder", "HT")
    pairs = cli(root, "tables", "cooccurrence")
    square = cli(root, "tables", "cooccurrence", "--matrix")
    assert "jaccard" in pairs
    assert "jaccard" not in square
    assert "Money" in square and "work" in square


def test_status_says_why_no_codebook_is_shown(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nAnna: Hello.\n"})
    (root / "codebooks" / "other.yaml").write_text(CODEBOOK, encoding="utf-8")
    out = cli(root, "status")
    assert "E051" in out
    assert "cb.yaml" in out and "other.yaml" in out


def test_contact_columns_are_personal() -> None:
    for title in ("Contact", "contact details", "Contact number", "Contact_info", "Contact information"):
        assert is_personal(title), title
    for title in ("Family contact", "contact_with_family", "Contact with services"):
        assert not is_personal(title), title
