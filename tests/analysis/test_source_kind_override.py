"""A document's source kind (interview, focus group, survey) was decided only by a rule on who speaks in it, and
nothing let a researcher say otherwise: a couple interviewed together (both in participants.csv) was always a
focus group, and a focus group of which one member was listed (one unmapped voice beside them) an interview, in
the "n of N" per source kind, the quote appendix's "Interview 3"/"Focus group 1" names and the tables of the
Python API.

Now ``kind = "interview"`` or ``kind = "focus group"`` (``focus_group``, ``focus-group``) in thematic.toml's
``[ingest.files."NAME"]`` names a transcript's kind. It is read when the tables are made, so changing it takes
effect at once, with no re-ingest and no transcript re-read; any other value, or a kind on a survey, is an error
naming thematic.toml, the file's table and the allowed values.
"""

from __future__ import annotations

import csv
from pathlib import Path

import docx
from typer.testing import CliRunner

import thematic
from regression.tiny_study import CODEBOOK, ENV, cli, study_with
from thematic.cli.main import app

FILES = {
    # a couple interviewed together: two listed participants, so the rule calls it a focus group
    "joint.txt": "Interviewer: How do you manage?\nAna: The funding ran out.\nBen: I lost my job.\n",
    "solo.txt": "Interviewer: How do you manage?\nCara: The funding is fine.\n",
    # a focus group of which one member is listed: two voices, so the rule calls it an interview
    "group.txt": "Facilitator: Welcome.\nDev: Funding is short.\nSpeaker 2: No job here.\n",
    "participants.csv": "participant_id,name\nP01,Ana\nP02,Ben\nP03,Cara\nP04,Dev\n",
}


def _study(tmp_path: Path) -> Path:
    """The three transcripts ingested, with HT's ``money`` on Ana's, Cara's and Dev's turns."""
    root = study_with(tmp_path / "s", CODEBOOK, FILES)
    cli(root, "ingest")
    for seg in ("joint:1", "solo:1", "group:1"):
        cli(root, "code", "add", seg, "money", "--coder", "HT")
    return root


def _set(root: Path, toml: str) -> None:
    path = root / "thematic.toml"
    path.write_text(path.read_text(encoding="utf-8") + toml, encoding="utf-8")


def _wide(root: Path) -> dict[str, str]:
    """``tables frequency --wide``'s row of ``money``: source column -> "n of N"."""
    out = root / "reports" / "freq.csv"
    cli(root, "tables", "frequency", "--level", "code", "--wide", "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        [row] = [r for r in csv.DictReader(f) if r["code_id"] == "money"]
    return {k: v for k, v in row.items() if k not in ("code_id", "label", "kind")}


def _appendix(root: Path) -> dict[str, str]:
    """The quote appendix's quotes (opened with python-docx): quote text -> the line attributing it."""
    out = root / "reports" / "appendix.docx"
    cli(root, "report", "quotes", "--out", str(out))
    lines = [p.text for p in docx.Document(str(out)).paragraphs]
    return {lines[i].strip("“”"): lines[i + 1] for i in range(len(lines) - 1) if lines[i].startswith("“")}


JOINT = '\n[ingest.files."joint.txt"]\nkind = "interview"\n'
GROUP = '\n[ingest.files."group.txt"]\nkind = "focus_group"\n'


def test_a_joint_interview_is_a_focus_group_by_the_rule_and_an_interview_with_kind(tmp_path: Path) -> None:
    root = _study(tmp_path)
    assert _wide(root) == {"interviewees": "2 of 2", "focus-group members": "1 of 2"}
    assert _appendix(root)["The funding ran out."] == "P01 · Focus group 1, turn 2"
    _set(root, JOINT)
    # Ana and Ben are interviewees now, beside Cara and Dev (an interviewee by the rule); Ben's turn is not coded
    assert _wide(root) == {"interviewees": "3 of 4"}
    quotes = _appendix(root)
    assert quotes["The funding ran out."] == "P01 · Interview 1, turn 2"
    assert quotes["The funding is fine."] == "P03 · Interview 2, turn 2"
    assert quotes["Funding is short."] == "P04 · Interview 3, turn 2"


def test_a_focus_group_with_one_listed_member_is_a_focus_group_with_kind(tmp_path: Path) -> None:
    root = _study(tmp_path)
    assert _appendix(root)["Funding is short."] == "P04 · Interview 2, turn 2"
    _set(root, JOINT + GROUP)
    assert _wide(root) == {"interviewees": "2 of 3", "focus-group members": "1 of 1"}
    quotes = _appendix(root)
    assert quotes["Funding is short."] == "P04 · Focus group 1, turn 2"
    assert quotes["The funding ran out."] == "P01 · Interview 1, turn 2"


def test_kind_reaches_the_python_api_and_needs_no_reingest(tmp_path: Path) -> None:
    root = _study(tmp_path)
    _set(root, JOINT + '\n[ingest.files."group"]\nkind = "Focus-Group"\n')  # a document id names the file too
    study = thematic.Study.open(root)
    freq = study.frequencies(level="code").query("code_id == 'money'").set_index("source")
    assert freq.loc["interviewees", "n_of_N"] == "2 of 3"
    assert freq.loc["focus-group members", "n_of_N"] == "1 of 1"
    assert set(study.quotes()["location"]) == {"Interview 1, turn 2", "Interview 2, turn 2", "Focus group 1, turn 2"}
    segments = study.frames().segments
    assert dict(zip(segments["document_id"], segments["source_kind"].fillna(""))) == {
        "group": "focus group", "joint": "interview", "solo": ""}
    report = study.ingest()  # the kind is read by the tables: no transcript is read again for it
    assert [row.status for row in report.rows] == ["unchanged"] * 3
    study.close()


def test_an_unknown_kind_is_an_error_naming_thematic_toml_the_file_and_the_allowed_values(tmp_path: Path) -> None:
    root = _study(tmp_path)
    _set(root, '\n[ingest.files."joint.txt"]\nkind = "couple"\n')
    for args in (["tables", "frequency"], ["report", "quotes"]):
        res = CliRunner().invoke(app, [*args, "--study", str(root)], env=ENV)
        assert res.exit_code == 1, res.output
        message = " ".join(res.output.split())
        assert "[E513]" in message and "thematic.toml" in message and 'ingest.files."joint.txt"' in message, message
        assert "'couple'" in message and '"interview"' in message and '"focus group"' in message, message
    (root / "data" / "raw" / "joint.txt").write_text(FILES["joint.txt"] + "Ana: And more.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["ingest", "--study", str(root)], env=ENV)  # a file read again is checked too
    assert "[E513]" in " ".join(res.output.split()), res.output


def test_a_kind_on_a_survey_is_an_error(tmp_path: Path) -> None:
    survey = ("respondent_id,what_helped\nR1,The funding from the council helped a lot.\n"
              "R2,Getting a job in the end helped most.\n")
    root = study_with(tmp_path / "s", CODEBOOK, {"survey.csv": survey, "solo.txt": FILES["solo.txt"]},
                      toml='\n[ingest.files."survey.csv"]\nkind = "interview"\n')
    cli(root, "ingest")
    res = CliRunner().invoke(app, ["tables", "frequency", "--study", str(root)], env=ENV)
    assert res.exit_code == 1, res.output
    message = " ".join(res.output.split())
    assert "[E514]" in message and 'ingest.files."survey.csv"' in message and "survey" in message, message
