"""A coding flagged at one re-ingest stays flagged at the next unless its quote has exactly one new place.

R2's "More staff." was coded; R1 and R3 wrote the same words. When R2's row was deleted (or R2 edited the
answer) the coding was flagged, as documented. At the next re-ingest (a typo fixed in someone else's answer)
it was un-flagged and put on the occurrence nearest its stale offsets: R3's (or R1's) answer, counted in
every table for a person who never said it. Now a flagged coding comes back only where its quote has exactly
one place that no unchanged turn already owns (R2's row restored: R2's answer), and otherwise stays flagged.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ingest.survey_support import STAFF_CODEBOOK
from thematic.study import Study

CODEBOOK = STAFF_CODEBOOK
SAME = "More staff."
ROWS = {
    "R1": ["R1", "More staff would help me with the waiting times.", SAME],
    "R2": ["R2", "My family helped me get there each week.", SAME],
    "R3": ["R3", "Money for the bus fare, I cannot afford it.", SAME],
    "R4": ["R4", "Staff were kind and listened to me for hours.", "Less waiting around in the cold."],
    "R5": ["R5", "Time off work to attend the sessions helped.", "Nothing."],
}


def _write(root: Path, rows: list[list[str]]) -> None:
    with open(root / "data" / "raw" / "s.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["respondent_id", "q_help", "q_change"])
        writer.writerows(rows)


def _coded(study: Study) -> tuple[Path, Study]:
    root = study.root
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    with open(root / "thematic.toml", "a", encoding="utf-8") as f:
        f.write('\n[ingest.survey."s.csv"]\ntext_columns = ["q_help", "q_change"]\n')
    _write(root, [ROWS[r] for r in ("R1", "R2", "R3", "R4", "R5")])
    study = Study(root)
    assert not study.ingest().failed
    segs = study.segments()
    target = segs.loc[(segs["speaker"] == "R2") & (segs["question"] == "q_change"), "segment_id"].iloc[0]
    study.code(target, "staff", coder="HT")
    return root, study


def _coding(study: Study) -> pd.Series:
    return study.store.codings(coder="HT").iloc[0]


def _typo_fixed(rows: list[list[str]]) -> list[list[str]]:
    return [r if r[0] != "R5" else ["R5", "Time off work to attend the sessions helped me.", "Nothing."] for r in rows]


def test_a_coding_flagged_when_its_row_was_deleted_stays_flagged_at_the_next_reingest(study: Study) -> None:
    root, study = _coded(study)
    left = [ROWS[r] for r in ("R1", "R3", "R4", "R5")]
    _write(root, left)
    study.ingest()
    assert pd.isna(_coding(study)["segment_id"]) and not pd.isna(_coding(study)["flag"])
    _write(root, _typo_fixed(left))
    row = study.ingest().rows[0]
    coding = _coding(study)
    assert pd.isna(coding["segment_id"]) and not pd.isna(coding["flag"])  # not moved onto R1's or R3's words
    assert row.flagged == 1
    freq = study.frequencies().set_index("code_id")
    assert int(freq.loc["staff", "n_participants"]) == 0  # counted for nobody until re-coded


def test_a_coding_flagged_when_its_answer_was_edited_stays_flagged_at_the_next_reingest(study: Study) -> None:
    root, study = _coded(study)
    edited = [r if r[0] != "R2" else ["R2", r[1], "Staff, we need more of them."] for r in ROWS.values()]
    _write(root, edited)
    study.ingest()
    assert not pd.isna(_coding(study)["flag"])
    _write(root, _typo_fixed(edited))
    study.ingest()
    coding = _coding(study)
    assert pd.isna(coding["segment_id"]) and not pd.isna(coding["flag"])


def test_a_flagged_coding_comes_back_to_its_respondent_when_the_row_is_restored(study: Study) -> None:
    root, study = _coded(study)
    by_answer = sorted(ROWS.values(), key=lambda r: r[1])
    _write(root, by_answer)  # sorted: the coding follows R2's answer down the sheet
    study.ingest()
    assert pd.isna(_coding(study)["flag"])
    _write(root, [r for r in by_answer if r[0] != "R2"])  # then R2's row deleted: its offsets now point elsewhere
    study.ingest()
    assert not pd.isna(_coding(study)["flag"])
    _write(root, list(ROWS.values()))  # the original file again
    study.ingest()
    coding = _coding(study)
    segs = study.segments().set_index("segment_id")
    assert pd.isna(coding["flag"]) and segs.loc[coding["segment_id"], "speaker"] == "R2"
    assert segs.loc[coding["segment_id"], "question"] == "q_change"
