"""One attribute value spelt two ways (``Mentor`` / ``mentor``) is one group with one name in every table.

Before, the group was named by the commonest spelling among the participants each table happened to count:
the interviewees' column read ``Mentor (interviewees)``, the focus group's ``mentor (focus-group members)``,
and ``report quotes --by role --groups mentor`` dropped the interviewees' counts; in a study of interviews
only, where participants.csv rows without a transcript used the other spelling, it wrote an empty appendix
and exited 0. Now the group is named once over all participants on record, by the spelling ingest's [W024]
announces, and an appendix whose groups have no quote is an error ([E418]) rather than an empty document.
Fictional files written fresh.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from regression.tiny_study import codebook_yaml, study_with
from thematic.study import Study

runner = CliRunner()
CODEBOOK = codebook_yaml("- {id: hope, label: Hope, parent: tone, definition: Hope.}\n", theme="tone")


def _study(root: Path, *, with_group: bool, extra_rows: str = "") -> tuple[Path, list[str]]:
    """Two interviews of ``Mentor``s (and a focus group of three ``mentor``s), each speaker coded ``hope``."""
    study_with(root, CODEBOOK, name="groups")
    raw = root / "data" / "raw"
    (raw / "one.txt").write_text("Interviewer: Hi.\nP01: I am hopeful.\n", encoding="utf-8")
    (raw / "two.txt").write_text("Interviewer: Hi.\nP02: Hope is everything.\n", encoding="utf-8")
    rows = "participant_id,transcript,role\nP01,one.txt,Mentor\nP02,two.txt,Mentor\n"
    if with_group:
        (raw / "group.txt").write_text("Moderator: Go.\nP03: Hopeful here.\nP04: Me too.\nP05: Also hopeful.\n",
                                       encoding="utf-8")
        rows += "P03,,mentor\nP04,,mentor\nP05,,mentor\n"
    (raw / "participants.csv").write_text(rows + extra_rows, encoding="utf-8")
    with Study(root) as study:
        report = study.ingest()
        turns = study.store.segments()
        for seg in turns.loc[~turns["is_interviewer"].astype(bool), "segment_id"]:
            study.code(seg, "hope", coder="HT")
    announced = [w for w in report.study_warnings if w.startswith("[W024]")]
    return root, [re.search(r"counted as one group \('([^']+)'\)", w).group(1) for w in announced]


def test_every_source_kind_names_the_group_as_w024_does(tmp_path: Path) -> None:
    root, names = _study(tmp_path / "s", with_group=True)
    assert names == ["mentor"]
    with Study(root) as study:
        freq = study.frequencies(by="role", level="code")
    assert set(freq["group"]) == {"All", "mentor"}
    hope = freq.loc[freq["group"] == "mentor"].set_index("source")["n_of_N"]
    assert hope.to_dict() == {"interviewees": "2 of 2", "focus-group members": "3 of 3"}
    from thematic.analysis import frequency_wide

    assert list(frequency_wide(freq).columns) == [
        "label", "kind", "interviewees", "mentor (interviewees)", "focus-group members", "mentor (focus-group members)"]


def test_quotes_for_the_group_keep_every_kind_s_counts(tmp_path: Path) -> None:
    root, _ = _study(tmp_path / "s", with_group=True)
    out = root / "q.md"
    result = runner.invoke(app, ["report", "quotes", "--by", "role", "--groups", "Mentor", "--out", str(out),
                                 "--study", str(root)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Theme / code"))
    assert "mentor (interviewees)" in header and "mentor (focus-group members)" in header
    assert "| **Tone** | 2 of 2 | 2 of 2 | 3 of 3 | 3 of 3 |" in text
    assert text.count("By role: mentor (interviewees) 2 of 2; mentor (focus-group members) 3 of 3.") == 2, text
    assert "P01 (Mentor)" in text and "P03 (mentor)" in text


def test_rows_without_a_transcript_take_part_in_naming_the_group(tmp_path: Path) -> None:
    # The speakers are spelt "Mentor" (2), the silent participants.csv rows "mentor" (3): the group is "mentor".
    root, names = _study(tmp_path / "s", with_group=False, extra_rows="P06,,mentor\nP07,,mentor\nP08,,mentor\n")
    assert names == ["mentor"]
    with Study(root) as study:
        assert set(study.frequencies(by="role")["group"]) == {"All", "mentor"}
    out = root / "q.md"
    result = runner.invoke(app, ["report", "quotes", "--by", "role", "--groups", "mentor", "--out", str(out),
                                 "--study", str(root)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## Tone" in text and "P01 (Mentor)" in text and "P02 (Mentor)" in text
    assert "| Theme / code | All | mentor |" in text


def test_an_appendix_for_a_group_nobody_quoted_is_an_error(tmp_path: Path) -> None:
    root, _ = _study(tmp_path / "s", with_group=False, extra_rows="P06,,coordinator\n")
    out = root / "q.md"
    result = runner.invoke(app, ["report", "quotes", "--by", "role", "--groups", "coordinator", "--out", str(out),
                                 "--study", str(root)])
    assert result.exit_code != 0
    assert "[E418]" in result.output and "coordinator" in result.output and "Mentor" in result.output
    assert not out.exists()
