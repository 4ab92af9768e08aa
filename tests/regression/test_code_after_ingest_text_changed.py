"""`thematic code` after a separate `thematic ingest` re-suggests a document whose stored text changed while
its file's bytes did not (a survey respondent un-excluded): the plan keys each document on its file and on
how ingest read it, not on the file's bytes alone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from regression.tiny_study import cli, codebook_yaml, study_with


CODEBOOK = codebook_yaml("""\
- id: money
  label: Money
  parent: life
  definition: Money, debt and bills.
  keywords: [money, debt, bills]
""")
SURVEY = ("respondent_id,answer_text\nR01,I like the park on Sundays and walking.\n"
          "R02,Money is always tight and the bills keep coming.\nR03,The weather is lovely this time of year.\n")
EXCLUDE = '\n[ingest.survey."survey.csv"]\nexclude = { R02 = "withdrew" }\n'


def _study(root: Path) -> Path:
    return study_with(root, CODEBOOK, {"survey.csv": SURVEY}, toml=EXCLUDE)


def _suggested(root: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(root / "data" / "coded" / "thematic.db") as con:
        return sorted(con.execute("SELECT segment_id, code_id FROM codings WHERE status='suggested'").fetchall())


def test_unexcluded_answer_gets_its_suggestion(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    cli(root, "ingest")
    cli(root, "code", "--suggesters", "rules")
    assert _suggested(root) == []  # R02 excluded: nothing about money
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(EXCLUDE, ""), encoding="utf-8")
    assert "changed" in cli(root, "ingest")  # R02's answer is back; survey.csv's bytes are the same
    out = cli(root, "code", "--suggesters", "rules")
    assert "Nothing changed" not in out
    assert _suggested(root) == [("survey:1", "money")]
    assert "Nothing changed" in cli(root, "code", "--suggesters", "rules")  # and then it is done


def test_state_written_before_keeps_its_documents(tmp_path: Path) -> None:
    """A study coded by an older thematic (no stored-text hashes anywhere) does not re-run every document,
    and a document re-read after the upgrade is done again."""
    root = _study(tmp_path / "s")
    cli(root, "code", "--suggesters", "rules")
    with sqlite3.connect(root / "data" / "coded" / "thematic.db") as con:
        (raw,) = con.execute("SELECT value FROM meta WHERE key='assisted:thematic.rules.v1'").fetchone()
        state = json.loads(raw)
        assert set(state.pop("stored")) == {"survey"}
        con.execute("UPDATE meta SET value=? WHERE key='assisted:thematic.rules.v1'", (json.dumps(state),))
        con.execute("DELETE FROM meta WHERE key LIKE 'document:stored:%'")
    assert "Nothing changed" in cli(root, "code", "--suggesters", "rules")
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(EXCLUDE, ""), encoding="utf-8")
    cli(root, "ingest")
    assert "Nothing changed" not in cli(root, "code", "--suggesters", "rules")
    assert _suggested(root) == [("survey:1", "money")]
