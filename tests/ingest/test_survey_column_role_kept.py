"""A survey column keeps its role (question or attribute) at every re-ingest of the file.

The split into questions and attributes was guessed afresh from the data at every read, so one more response
("More staff." again) turned a coded question into an attribute: its answers stopped being segments, its
codings were flagged with W106 saying the quote "could not be found in the changed text" (it had not changed)
and the table fell to "0 of 5", with no word that the column changed role. Now a stored survey's questions
stay questions and its attributes stay attributes (``text_columns`` / ``attribute_columns`` still decide);
when the settings do move a coded question away, W030 names the column and the codings flagged with it, and
W106 no longer claims the text changed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ingest.survey_support import STAFF_CODEBOOK
from thematic.study import Study

CODEBOOK = STAFF_CODEBOOK
Q = "What would you change?"
ROWS = [
    ["R1", "Leeds", "More staff would help me a lot with the waiting times.", "More staff."],
    ["R2", "York", "My family helped me get there each week, every week.", "More staff."],
    ["R3", "Leeds", "Money for the bus fare, I cannot afford to travel.", "More staff."],
    ["R4", "Hull", "Staff were kind and listened to me for hours on end.",
     "Less waiting around in the cold, and a heated room for people who come early."],
]
R5 = ["R5", "Hull", "The group on Tuesdays, I made friends there.", "More staff."]


def _write(root: Path, rows: list[list[str]]) -> None:
    with open(root / "data" / "raw" / "s.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["respondent_id", "site", "What helped?", Q])
        writer.writerows(rows)


def _coded(study: Study) -> tuple[Path, Study]:
    root = study.root
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    _write(root, ROWS)
    study = Study(root)
    study.ingest()
    assert study.store.document("s").attributes["columns"]["questions"] == ["What helped?", Q]
    segs = study.segments()
    for who in ("R1", "R2"):
        study.code(segs.loc[(segs["speaker"] == who) & (segs["question"] == Q), "segment_id"].iloc[0], "staff",
                   coder="HT")
    return root, study


def test_a_coded_question_stays_a_question_when_a_response_is_appended(study: Study) -> None:
    root, study = _coded(study)
    _write(root, [*ROWS, R5])
    row = study.ingest().rows[0]
    assert row.status == "changed" and row.flagged == 0
    assert study.store.document("s").attributes["columns"]["questions"] == ["What helped?", Q]
    assert study.store.codings(coder="HT")["flag"].isna().all()
    assert int(study.frequencies().set_index("code_id").loc["staff", "n_participants"]) == 2


def test_settings_that_move_a_coded_question_away_name_the_column_and_its_codings(study: Study) -> None:
    root, study = _coded(study)
    with open(root / "thematic.toml", "a", encoding="utf-8") as f:
        f.write('\n[ingest.survey."s.csv"]\ntext_columns = ["What helped?"]\n')
    study = Study(root)
    row = study.ingest().rows[0]
    (note,) = [w for w in row.warnings if w.startswith("[W030]")]
    assert f"'{Q}'" in note and "2 coding(s)" in note and "text_columns" in note
    assert not [w for w in row.warnings if w.startswith("[W106]") and "changed text" in w]
    assert study.store.codings(coder="HT")["flag"].notna().all()
    assert pd.isna(study.store.codings(coder="HT")["segment_id"]).all()
