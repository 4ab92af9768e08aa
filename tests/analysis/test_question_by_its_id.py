"""`--question Q3` was refused (E413) for a Qualtrics export, although ingest names its questions by those column
ids (W119, thematic.toml's `text_columns = ["Q3"]`) and the docs say a question is given by "id or text": only the
full question text matched. Now a survey question is found by its column id too (exactly, or as a `*` pattern),
and E413 lists each question's id beside its text."""

from __future__ import annotations

from pathlib import Path

from regression.tiny_study import ENV, cli, codebook_yaml, runner, study_with
from thematic.cli.main import app

QUALTRICS = (
    'StartDate,ResponseId,Q1,Q2,Q3\n'
    'Start Date,Response ID,Which site?,What helped you most?,What would you change?\n'
    '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}",'
    '"{""ImportId"":""QID2_TEXT""}","{""ImportId"":""QID3_TEXT""}"\n'
    '2024-05-01 09:00:00,R_1aaa,North,More staff who actually have time to listen.,Longer opening hours in the evening.\n'
    '2024-05-01 10:00:00,R_2bbb,South,My mentor who had been through it all.,More staff on Fridays when it is busy.\n'
    '2024-05-01 11:00:00,R_3ccc,North,The weekly group with people like me.,A private room for personal talks.\n'
)


def _study(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", codebook_yaml("- {id: staff, label: Staff, parent: life, definition: Staff.}\n"),
                      {"qualtrics.csv": QUALTRICS})
    cli(root, "ingest")
    cli(root, "code", "add", "qualtrics:1", "staff", "--coder", "HT")  # R_1aaa's answer to Q3
    cli(root, "code", "add", "qualtrics:3", "staff", "--coder", "HT")  # R_2bbb's answer to Q3
    return root


def _frequency(root: Path, question: str) -> str:
    res = runner.invoke(app, ["tables", "frequency", "--question", question, "--study", str(root)], env=ENV)
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def test_a_question_is_found_by_its_column_id(tmp_path: Path) -> None:
    root = _study(tmp_path)
    by_text = _frequency(root, "What would you change?")
    assert "2 of 3" in by_text and "everyone who answered What would you change?" in by_text
    assert _frequency(root, "Q3") == by_text
    assert _frequency(root, "q3") == by_text
    assert "0 of 3" in _frequency(root, "Q2")  # the other question: nobody coded there


def test_a_pattern_matches_ids_too(tmp_path: Path) -> None:
    root = _study(tmp_path)
    assert "2 of 3" in _frequency(root, "Q3*")


def test_the_error_lists_ids_beside_texts(tmp_path: Path) -> None:
    root = _study(tmp_path)
    res = runner.invoke(app, ["tables", "frequency", "--question", "Q9", "--study", str(root)], env=ENV)
    assert res.exit_code == 1
    out = " ".join(res.output.split())
    assert "[E413]" in out and "Q2 (What helped you most?)" in out and "Q3 (What would you change?)" in out
