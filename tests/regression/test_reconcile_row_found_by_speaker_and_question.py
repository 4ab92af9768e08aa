"""A reconcile decision workbook finds each row's turn by who said it and what it answers, not by its words alone.

After a re-ingest shifted segment ids, a decision row was found again by (document, text) only: a row whose
words another respondent also wrote was skipped with W620 ("that turn edited or removed") though the turn had
only moved, and a row whose old id now held another respondent's identical answer to another question was
settled THERE. The workbook now carries each turn's ``speaker``, and a row is matched by its document, speaker
(or participant), question (from ``where``: an answer shows ``Q: ...``) and text; the old id counts only while
its turn matches them all. A row that several turns still fit is skipped with W537, which claims no edit.

Real store, real CSV surveys and transcripts written in tmp_path, real .xlsx workbooks filled with openpyxl.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from thematic.export.tables import write_table
from thematic.reconcile import import_reconcile, reconcile_items, reconcile_table
from thematic.study import Study

from .test_sheet_row_found_by_speaker_and_question import (ELSE, FOCUS, HARDEST, HELPED, _survey, _survey_root,
                                                             _turn)
from .unlike_example import write_study

PAIR = ["HT", "SO"]
CHANGE = "What would you change?"


def _disputed_everywhere(study: Study) -> None:
    """HT codes every turn time_pressure, SO nothing; both saw every turn."""
    ids = list(study.segments(include_interviewer=False)["segment_id"])
    for sid in ids:
        study.code(sid, "time_pressure", coder="HT")
    for coder in PAIR:
        study.mark_seen(ids, coder=coder)


def _workbook(study: Study, path: Path, decide: dict[tuple[str, str, str], str], *, speaker: bool = True) -> Path:
    """The decision workbook as `reconcile --out` writes it, with ``decide`` (by speaker, question, text) filled in;
    without ``speaker`` the column is deleted (a workbook written before it existed)."""
    segs = study.segments().set_index("segment_id")
    book = write_table(reconcile_table(reconcile_items(study.store, coders=PAIR), PAIR), path, format="xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    cols = {c.value: c.column for c in ws[1]}
    assert "speaker" in cols
    for r in range(2, ws.max_row + 1):
        ws.cell(r, cols["decision"]).value = decide.get(_turn(segs, str(ws.cell(r, cols["segment_id"]).value)), "none")
    if not speaker:
        ws.delete_cols(cols["speaker"])
    wb.save(book)
    return book


def _consensus(study: Study) -> tuple[set[tuple[str, str, str, str]], set[tuple[str, str, str]]]:
    """The consensus codings (speaker, question, text, code) and the turns it settled."""
    segs = study.segments().set_index("segment_id")
    cons = study.codings(coder="consensus")
    settled = study.store.coverage("consensus")["segment_id"]
    return ({(*_turn(segs, s), str(c)) for s, c in zip(cons["segment_id"], cons["code_id"])},
            {_turn(segs, str(s)) for s in settled})


def _survey_study(tmp_path: Path, questions: list[str], rows: list[list[str]]) -> tuple[Path, Study]:
    root = _survey_root(tmp_path, questions, rows)
    study = Study(root)
    study.ingest()
    _disputed_everywhere(study)
    return root, study


WAVE1 = [["R1", "Waiting", "Thanks"], ["R2", "Waiting", "Thanks"], ["R3", "The bus", "More buses please"]]


def test_decisions_on_repeated_answers_are_applied_after_a_question_column_is_inserted(tmp_path: Path) -> None:
    root, study = _survey_study(tmp_path, [HARDEST, ELSE], WAVE1)
    book = _workbook(study, tmp_path / "decide.xlsx", {("R2", HARDEST, "Waiting"): "time_pressure",
                                                       ("R1", ELSE, "Thanks"): "time_pressure"})
    _survey(root, [HARDEST, CHANGE, ELSE], [[r, a, c, b] for (r, a, b), c in zip(WAVE1, ["Evenings", "Calls", "Buses"])])
    study.ingest()
    report = import_reconcile(study.store, book, decided_by="HT")
    assert not report.problems and report.settled == 6, report.problems
    codes, settled = _consensus(study)
    assert codes == {("R2", HARDEST, "Waiting", "time_pressure"), ("R1", ELSE, "Thanks", "time_pressure")}
    assert settled == {(r, q, t) for r, a, b in WAVE1 for q, t in ((HARDEST, a), (ELSE, b))}
    study.close()


def test_an_old_workbook_without_speakers_skips_what_it_cannot_tell_apart_and_claims_no_edit(tmp_path: Path) -> None:
    root, study = _survey_study(tmp_path, [HARDEST, ELSE], WAVE1)
    book = _workbook(study, tmp_path / "decide.xlsx", {("R3", ELSE, "More buses please"): "time_pressure"},
                     speaker=False)
    _survey(root, [HARDEST, CHANGE, ELSE], [[r, a, c, b] for (r, a, b), c in zip(WAVE1, ["Evenings", "Calls", "Buses"])])
    study.ingest()
    report = import_reconcile(study.store, book, decided_by="HT")
    # with no speaker, R1's and R2's "Thanks" rows read alike and neither old id holds a "Thanks" now: never guessed.
    # R1's "Waiting" row still fits its old id, so R2's is the other "Waiting" answer.
    assert sorted((p.line, p.code) for p in report.problems) == [(3, "W537"), (5, "W537")], report.problems
    assert all("edited" not in p.message and "decide.xlsx" in p.message for p in report.problems)
    codes, settled = _consensus(study)
    assert codes == {("R3", ELSE, "More buses please", "time_pressure")}
    assert settled == {("R1", HARDEST, "Waiting"), ("R2", HARDEST, "Waiting"), ("R3", HARDEST, "The bus"),
                       ("R3", ELSE, "More buses please")}
    study.close()


def test_a_decision_is_not_settled_on_another_respondents_identical_answer(tmp_path: Path) -> None:
    rows = [["R0", "Fine", ""], ["R1", "Good", "Nothing"], ["R2", "Nothing", "Staff"]]
    root, study = _survey_study(tmp_path, [HELPED, ELSE], rows)
    # an old workbook (no speaker column): the question in 'where' still tells the two "Nothing" rows apart
    book = _workbook(study, tmp_path / "decide.xlsx", {("R1", ELSE, "Nothing"): "time_pressure"}, speaker=False)
    _survey(root, [HELPED, ELSE], rows[1:])  # R0 withdrew: every later id shifts by one
    study.ingest()
    report = import_reconcile(study.store, book, decided_by="HT")
    assert [(p.line, p.code) for p in report.problems] == [(2, "W620")], report.problems  # R0's answer is gone
    codes, settled = _consensus(study)
    assert codes == {("R1", ELSE, "Nothing", "time_pressure")}
    assert settled == {("R1", HELPED, "Good"), ("R1", ELSE, "Nothing"), ("R2", HELPED, "Nothing"), ("R2", ELSE, "Staff")}
    study.close()


def test_two_speakers_saying_the_same_words_keep_their_own_decisions(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"group.txt": FOCUS})
    study = Study(root)
    study.ingest()
    _disputed_everywhere(study)
    segs = study.segments()
    ben = dict(zip(segs["text"], segs["speaker"]))["The grant ran out in March."]
    book = _workbook(study, tmp_path / "decide.xlsx", {(ben, "", "It was fine, honestly."): "time_pressure"})
    (root / "data" / "raw" / "group.txt").write_text("Ben: Thanks for having us.\n" + FOCUS, encoding="utf-8")
    study.ingest()  # Ben's old id now holds the other speaker's identical words
    report = import_reconcile(study.store, book, decided_by="HT")
    assert not report.problems, report.problems
    codes, settled = _consensus(study)
    assert codes == {(ben, "", "It was fine, honestly.", "time_pressure")}
    assert len(settled) == 3 and not pd.isna(ben)
    study.close()


def test_a_speaker_renamed_since_the_export_keeps_their_decisions(tmp_path: Path) -> None:
    talk = ("Interviewer: How was it?\nMaria Gomez: It was hard, honestly.\nInterviewer: Why?\n"
            "Maria Gomez: Never enough time.\n")
    root = write_study(tmp_path / "s", {"interview-01.txt": talk})
    study = Study(root)
    study.ingest()
    _disputed_everywhere(study)
    was = dict(zip(study.segments()["text"], study.segments()["speaker"]))["Never enough time."]
    book = _workbook(study, tmp_path / "decide.xlsx", {(was, "", "Never enough time."): "time_pressure"})
    (root / "data" / "raw" / "participants.csv").write_text("participant_id,name\nP04,Maria Gomez\n", encoding="utf-8")
    study.ingest()  # the speaker's pseudonym becomes P04; no id moves
    report = import_reconcile(study.store, book, decided_by="HT")
    assert not report.problems and report.settled == 2, report.problems
    codes, settled = _consensus(study)
    assert codes == {("P04", "", "Never enough time.", "time_pressure")}
    assert settled == {("P04", "", "It was hard, honestly."), ("P04", "", "Never enough time.")}
    study.close()
