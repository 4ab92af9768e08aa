"""A survey sheet re-sorted by the researcher keeps codings on answers several respondents gave word for word.

Old and new answers were matched by their text alone, so after sorting the rows by site a coding on R2's
"Longer opening hours at weekends please." (also R1's and R3's answer) was flagged "quote not found" with
W170 saying the turn's text was gone, and no table counted it. A survey answer is its respondent's answer to
its question: re-anchoring matches (speaker, question, text) first, and transcripts use the speaker to tell
identical turns apart. W170 names how many places fit when a quote really is ambiguous.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from thematic.ingest.report import IngestReport, IngestRow
from thematic.study import Study

from .unlike_example import write_study

Q1 = "What one change would you make to the service?"
Q2 = "What helped you most?"
SAME = "Longer opening hours at weekends please."
ROWS = [
    ["R1", "North", SAME, "The adviser phoned me back the same afternoon."],
    ["R2", "South", SAME, "Getting the bus pass sorted out for my appointments."],
    ["R3", "East", SAME, "Someone who spoke Polish at the front desk."],
    ["R4", "North", "More staff on the phones in the mornings.", "Free printing for the benefit forms in the library."],
]


def _write(root: Path, rows: list[list[str]]) -> None:
    with open(root / "data" / "raw" / "survey.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["respondent_id", "site", Q1, Q2])
        writer.writerows(rows)


def _answer(study: Study, respondent: str, question: str = Q1) -> str:
    segs = study.segments()
    return str(segs.loc[(segs["speaker"] == respondent) & (segs["question"] == question), "segment_id"].iloc[0])


def _coded_survey(tmp_path: Path) -> tuple[Path, Study, str]:
    root = write_study(tmp_path / "s")  # with two interview transcripts beside the survey
    _write(root, ROWS)
    study = Study(root)
    study.ingest()
    target = _answer(study, "R2")
    study.code(target, "time_pressure", coder="HT")
    return root, study, target


def _row(report: IngestReport) -> IngestRow:
    return next(r for r in report.rows if r.path.endswith("survey.csv"))


def _by_site(rows: list[list[str]]) -> list[list[str]]:
    return sorted(rows, key=lambda r: (r[1], r[0]))


def test_a_coding_follows_its_respondents_answer_when_the_sheet_is_sorted(tmp_path: Path) -> None:
    root, study, before = _coded_survey(tmp_path)
    study.mark_seen([_answer(study, "R2"), _answer(study, "R3"), _answer(study, "R1", Q2)], coder="HT")
    sample = study.sample(coder="SO", n=3, seed=2)
    sampled = {(r.speaker, r.question) for r in study.segments().set_index("segment_id")
               .loc[list(sample.segments["segment_id"])].itertuples()}
    study.store.add_decisions([{"consensus": "consensus", "coders": "HT,SO", "segment_id": before,
                                "document_id": "survey", "code_id": "time_pressure", "applied": True,
                                "memo": "R2's answer", "decided_by": "HT", "route": "terminal"}])
    _write(root, _by_site(ROWS))
    row = _row(study.ingest())
    assert row.status == "changed" and row.flagged == 0
    assert not [w for w in row.warnings if w.startswith(("[W106]", "[W117]", "[W170]"))]
    now = _answer(study, "R2")
    assert now != before  # R2's row moved down the sheet
    coding = study.store.codings(coder="HT").iloc[0]
    assert coding["segment_id"] == now and pd.isna(coding["flag"])
    assert study.store.document_text("survey")[int(coding["start"]):int(coding["end"])] == SAME
    seen = set(study.store.coverage("HT")["segment_id"])
    assert seen == {_answer(study, "R2"), _answer(study, "R3"), _answer(study, "R1", Q2)}
    segs = study.segments().set_index("segment_id")
    resampled = {(r.speaker, r.question) for r in segs.loc[list(
        study.store.sample_segments(sample.sample_id)["segment_id"])].itertuples()}
    assert resampled == sampled
    assert list(study.store.decisions()["segment_id"]) == [now]
    freq = study.frequencies()
    counted = freq.loc[freq["code_id"] == "time_pressure"].set_index("source")
    assert int(counted.loc["survey respondents", "n_participants"]) == 1


def test_an_edited_answer_never_moves_to_another_respondent_who_wrote_the_old_words(tmp_path: Path) -> None:
    root, study, _ = _coded_survey(tmp_path)
    edited = [list(r) for r in ROWS]
    edited[1][2] = "Opening on Saturdays would help my family a lot."
    _write(root, _by_site(edited))
    row = _row(study.ingest())
    coding = study.store.codings(coder="HT").iloc[0]
    assert pd.isna(coding["segment_id"]) and row.flagged == 1  # R2's words are gone: not R1's or R3's
    assert any(w.startswith("[W106]") for w in row.warnings)
    assert not any(w.startswith("[W170]") for w in row.warnings)


def test_a_partial_quote_in_an_edited_answer_stays_with_its_respondent_after_a_sort(tmp_path: Path) -> None:
    root, study, _ = _coded_survey(tmp_path)
    text = study.store.document_text("survey")
    seg = study.store.segment(_answer(study, "R2"))
    start = text.index("opening hours", seg.start)
    study.code(("survey", start, start + len("opening hours")), "funding_resources", coder="SO")
    edited = [list(r) for r in ROWS]
    edited[1][2] = "Longer opening hours at weekends please, and on bank holidays."
    _write(root, _by_site(edited))
    assert _row(study.ingest()).flagged == 1  # HT's coding of R2's whole old answer: those words are gone
    coding = study.store.codings(coder="SO").iloc[0]
    assert pd.isna(coding["flag"])
    assert coding["segment_id"] == _answer(study, "R2")
    assert study.store.document_text("survey")[int(coding["start"]):int(coding["end"])] == "opening hours"


def test_a_moved_short_turn_follows_its_speaker_when_another_speaker_says_the_same(tmp_path: Path) -> None:
    talk = ("Interviewer: Was it hard?\nAna: Yeah.\nInterviewer: And the funding?\nAna: Fine, in the end.\n")
    root = write_study(tmp_path / "s", {"talk.txt": talk})
    study = Study(root)
    study.ingest()
    segs = study.segments()
    yeah = str(segs.loc[(segs["text"] == "Yeah.") & ~segs["is_interviewer"].astype(bool), "segment_id"].iloc[0])
    study.code(yeah, "time_pressure", coder="HT")
    study.mark_seen([yeah], coder="HT")
    moved = ("Interviewer: And the funding?\nAna: Fine, in the end.\nInterviewer: Yeah.\n"
             "Interviewer: Was it hard?\nAna: Yeah.\n")
    (root / "data" / "raw" / "talk.txt").write_text(moved, encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].flagged == 0
    segs = study.segments().set_index("segment_id")
    coding = study.store.codings(coder="HT").iloc[0]
    assert segs.loc[coding["segment_id"], "text"] == "Yeah."
    assert not bool(segs.loc[coding["segment_id"], "is_interviewer"])  # Ana's, not the interviewer's
    assert list(study.store.coverage("HT")["segment_id"]) == [coding["segment_id"]]


def test_w170_says_how_many_places_fit_and_not_that_the_text_is_gone(tmp_path: Path) -> None:
    talk = "Interviewer: Was it hard?\nAna: Yeah.\nInterviewer: And the funding?\nAna: Fine, in the end.\n"
    root = write_study(tmp_path / "s", {"talk.txt": talk})
    study = Study(root)
    study.ingest()
    segs = study.segments()
    yeah = str(segs.loc[segs["text"] == "Yeah.", "segment_id"].iloc[0])
    study.code(yeah, "time_pressure", coder="HT")
    (root / "data" / "raw" / "talk.txt").write_text(
        talk.replace("Ana: Yeah.", "Ana: Yes, it was hard.")
        + "Interviewer: Time?\nAna: Yeah.\nInterviewer: Money?\nAna: Yeah.\n", encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].flagged == 1
    [note] = [w for w in report.rows[0].warnings if w.startswith("[W170]")]
    assert f"{yeah} (2 places)" in note
    assert "is gone" not in note
    coding = study.store.codings(coder="HT").iloc[0]
    notes = study.store.events(coding_id=str(coding["coding_id"]))["note"].dropna().astype(str)
    assert any("found in 2 places" in n for n in notes)  # the log says why, not "not found"


def test_without_an_id_column_a_row_number_is_no_identity_and_answers_follow_their_text(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    rows = [r[1:] for r in ROWS]  # no respondent ids: respondents are numbered by row
    rows[1][1] = "Longer opening hours at weekends, and a crèche while we wait."

    def write(body: list[list[str]]) -> None:
        with open(root / "data" / "raw" / "survey.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["site", Q1, Q2], *body])

    write(rows)
    study = Study(root)
    study.ingest()
    segs = study.segments()
    target = str(segs.loc[segs["text"] == rows[1][1], "segment_id"].iloc[0])
    study.code(target, "time_pressure", coder="HT")
    write(sorted(rows, key=lambda r: r[0]))  # East, North, North, South: row 2 is someone else now
    row = _row(study.ingest())
    assert row.flagged == 0
    coding = study.store.codings(coder="HT").iloc[0]
    assert study.segments().set_index("segment_id").loc[coding["segment_id"], "text"] == rows[1][1]


def test_an_answer_of_a_respondent_who_left_does_not_move_to_a_new_respondent_with_the_same_words(
        tmp_path: Path) -> None:
    root, study, _ = _coded_survey(tmp_path)
    rows = [r for r in ROWS if r[0] != "R2"] + [["R5", "West", SAME, "A quiet room to fill in the forms."]]
    _write(root, rows)
    row = _row(study.ingest())
    coding = study.store.codings(coder="HT").iloc[0]
    assert pd.isna(coding["segment_id"]) and row.flagged == 1  # R2's answer is gone; R1's, R3's, R5's are theirs
    assert any(w.startswith("[W106]") for w in row.warnings)
