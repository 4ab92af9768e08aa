"""A returned coding sheet finds each row's turn by who said it and what it answers, not by its words alone.

When a re-ingest shifted segment ids (a late survey response on top, a question column inserted, a turn
inserted in a transcript), a sheet row was found again by (document, text) only. So a one-word answer such as
"Nothing" was imported on ANOTHER respondent's identical answer to another question, silently, because the old
id now held those words; and a row whose words occurred twice in the document was skipped with W341 saying the
text had been edited, though the turn had only moved. Now a row is matched by its document, speaker,
participant, question (where the study has them) and text; the old id counts only while its turn matches all
of them. A row that several turns fit equally is skipped with W537 (no claim of an edit), and one whose old id
now holds the same words as someone else's turn, with no turn of its own speaker left, with W538. A transcript
speaker renamed since the export (participants.csv added) keeps their rows, as before.

Real store, real CSV surveys and transcripts written in tmp_path, real .xlsx sheets filled with openpyxl.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd

from thematic.study import Study

from .unlike_example import write_study

HELPED, ELSE, HARDEST, CHANGE = "What helped?", "Anything else?", "What was hardest?", "What would you change?"


def _survey(root: Path, questions: list[str], rows: list[list[str]]) -> None:
    with open(root / "data" / "raw" / "survey.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["respondent_id", *questions])
        writer.writerows(rows)
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8").split('[ingest.survey."survey.csv"]')[0]
    listed = ", ".join(f'"{q}"' for q in questions)
    toml.write_text(f'{text}[ingest.survey."survey.csv"]\nid_column = "respondent_id"\ntext_columns = [{listed}]\n',
                    encoding="utf-8")


def _survey_root(tmp_path: Path, questions: list[str], rows: list[list[str]]) -> Path:
    """A study whose only document is the survey."""
    root = write_study(tmp_path / "s")
    for transcript in (root / "data" / "raw").glob("*.txt"):
        transcript.unlink()
    _survey(root, questions, rows)
    return root


def _survey_study(tmp_path: Path, questions: list[str], rows: list[list[str]]) -> tuple[Path, Study]:
    root = _survey_root(tmp_path, questions, rows)
    study = Study(root)
    study.ingest()
    return root, study


def _tick(sheet: Path, ticks: dict[tuple[str, str, str], str]) -> None:
    """Tick a code on the rows given by (speaker, question, text); ``question`` is '' for a transcript."""
    wb = openpyxl.load_workbook(sheet)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        key = tuple(str(ws.cell(r, cols[c]).value or "") if c in cols else "" for c in ("speaker", "question", "text"))
        if key in ticks:
            ws.cell(r, cols[ticks[key]]).value = 1
    wb.save(sheet)


def _turn(segs: pd.DataFrame, sid: str) -> tuple[str, str, str]:
    """(speaker, question or '', text) of a segment."""
    question = segs.loc[sid, "question"]
    return str(segs.loc[sid, "speaker"]), "" if pd.isna(question) else str(question), str(segs.loc[sid, "text"])


def _whose(study: Study, ids: object) -> set[tuple[str, str, str]]:
    segs = study.segments().set_index("segment_id")
    return {_turn(segs, s) for s in ids}


def _coded(study: Study, coder: str = "SO") -> set[tuple[str, str, str, str]]:
    c = study.codings(coder=coder)
    segs = study.segments().set_index("segment_id")
    return {(*_turn(segs, s), str(code)) for s, code in zip(c["segment_id"], c["code_id"])}


def test_a_one_word_answer_is_not_imported_on_another_respondents_identical_answer(tmp_path: Path) -> None:
    root, study = _survey_study(tmp_path, [HELPED, ELSE], [["R1", "Nothing", "Good service overall"],
                                                           ["R2", "Staff", "Nothing"]])
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {("R1", HELPED, "Nothing"): "time_pressure", ("R2", HELPED, "Staff"): "funding_resources"})
    # a late response arrives on top (newest first), so every id shifts; R3 skipped the first question
    _survey(root, [HELPED, ELSE], [["R3", "", "Nothing"], ["R1", "Nothing", "Good service overall"],
                                   ["R2", "Staff", "Nothing"]])
    study.ingest()
    report = study.import_sheet(sheet, coder="SO")
    assert _coded(study) == {("R1", HELPED, "Nothing", "time_pressure"), ("R2", HELPED, "Staff", "funding_resources")}
    assert _whose(study, study.seen("SO")["segment_id"]) == {
        ("R1", HELPED, "Nothing"), ("R1", ELSE, "Good service overall"), ("R2", HELPED, "Staff"), ("R2", ELSE, "Nothing")}
    assert report.skipped == 0 and not report.changed_rows and not report.unreadable, report.problems()
    study.close()


def test_rows_whose_words_repeat_are_found_after_a_question_column_is_inserted(tmp_path: Path) -> None:
    wave1 = [["R1", "Waiting", "Thanks"], ["R2", "Waiting", "Thanks"], ["R3", "The bus", "More buses please"],
             ["R4", "Waiting for a call back", "Thanks"]]
    root, study = _survey_study(tmp_path, [HARDEST, ELSE], wave1)
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {("R2", ELSE, "Thanks"): "funding_resources", ("R1", HARDEST, "Waiting"): "time_pressure"})
    wave2 = [[r, a, new, b] for (r, a, b), new in zip(wave1, ["Evening sessions", "Nothing really", "Later buses",
                                                              "Phone me back"])]
    _survey(root, [HARDEST, CHANGE, ELSE], wave2)
    study.ingest()
    report = study.import_sheet(sheet, coder="SO")
    assert report.skipped == 0 and not report.changed_rows and not report.unreadable, report.problems()
    assert _coded(study) == {("R2", ELSE, "Thanks", "funding_resources"), ("R1", HARDEST, "Waiting", "time_pressure")}
    assert _whose(study, study.seen("SO")["segment_id"]) == {(r, q, t) for r, a, b in wave1
                                                             for q, t in ((HARDEST, a), (ELSE, b))}
    study.close()


def test_a_respondent_removed_leaves_the_row_skipped_not_imported_on_someone_elses_same_answer(tmp_path: Path) -> None:
    root, study = _survey_study(tmp_path, [HARDEST, ELSE], [["R1", "Waiting", ""], ["R2", "Waiting", "Thanks"]])
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {("R1", HARDEST, "Waiting"): "time_pressure", ("R2", ELSE, "Thanks"): "funding_resources"})
    _survey(root, [HARDEST, ELSE], [["R2", "Waiting", "Thanks"]])  # R1 withdrew: R2's answers move up
    study.ingest()
    report = study.import_sheet(sheet, coder="SO")
    assert _coded(study) == {("R2", ELSE, "Thanks", "funding_resources")}
    assert _whose(study, study.seen("SO")["segment_id"]) == {("R2", HARDEST, "Waiting"), ("R2", ELSE, "Thanks")}
    assert [(p.line, p.code) for p in report.changed_rows] == [(2, "W538")], report.problems()
    message = report.changed_rows[0].message
    assert "'R1'" in message and "'R2'" in message and "edited in the sheet" not in message
    study.close()


FOCUS = ("Interviewer: What did you make of the training?\n"
         "Ana: It was fine, honestly.\n"
         "Ben: It was fine, honestly.\n"
         "Interviewer: And the funding?\n"
         "Ben: The grant ran out in March.\n")


def test_two_speakers_saying_the_same_words_keep_their_own_rows(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"group.txt": FOCUS})
    study = Study(root)
    study.ingest()
    speakers = dict(zip(study.segments()["text"], study.segments()["speaker"]))
    ben = speakers["The grant ran out in March."]
    ana = next(s for s in study.segments()["speaker"] if s not in (ben, "Interviewer") and "nterviewer" not in str(s))
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {(ben, "", "It was fine, honestly."): "time_pressure"})
    (root / "data" / "raw" / "group.txt").write_text("Ben: Thanks for having us.\n" + FOCUS, encoding="utf-8")
    study.ingest()  # one turn on top: Ben's old id now holds Ana's identical words
    report = study.import_sheet(sheet, coder="SO")
    assert _coded(study) == {(ben, "", "It was fine, honestly.", "time_pressure")}
    assert _whose(study, study.seen("SO")["segment_id"]) == {
        (ana, "", "It was fine, honestly."), (ben, "", "It was fine, honestly."), (ben, "", "The grant ran out in March.")}
    assert report.skipped == 0, report.problems()
    study.close()


REPEATS = ("Interviewer: Was the training useful?\n"
           "Ana: Yeah.\n"
           "Interviewer: And the mentoring?\n"
           "Ana: Yeah.\n"
           "Interviewer: Anything hard?\n"
           "Ana: Never enough time for it.\n")


def test_a_moved_row_that_several_turns_fit_is_skipped_without_claiming_an_edit(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"ana.txt": REPEATS})
    study = Study(root)
    study.ingest()
    ana = dict(zip(study.segments()["text"], study.segments()["speaker"]))["Never enough time for it."]
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {(ana, "", "Yeah."): "time_pressure", (ana, "", "Never enough time for it."): "time_pressure"})
    (root / "data" / "raw" / "ana.txt").write_text("Ana: Happy to help.\n" + REPEATS, encoding="utf-8")
    study.ingest()  # every id shifts by one: neither "Yeah." row's id holds a "Yeah." now
    report = study.import_sheet(sheet, coder="SO")
    assert [(p.line, p.code) for p in report.changed_rows] == [(2, "W537"), (3, "W537")], report.problems()
    for p in report.changed_rows:
        assert "2 turns" in p.message and "edited" not in p.message, p.message
    assert _coded(study) == {(ana, "", "Never enough time for it.", "time_pressure")}
    assert _whose(study, study.seen("SO")["segment_id"]) == {(ana, "", "Never enough time for it.")}
    study.close()


def test_an_unchanged_interview_with_repeated_words_imports_every_row(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"ana.txt": REPEATS})
    study = Study(root)
    study.ingest()
    ana = dict(zip(study.segments()["text"], study.segments()["speaker"]))["Never enough time for it."]
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {(ana, "", "Yeah."): "time_pressure"})
    report = study.import_sheet(sheet, coder="SO")
    assert report.skipped == 0 and report.added == 2, report.problems()
    assert len(study.seen("SO")) == 3
    study.close()


def test_a_speaker_renamed_since_the_export_keeps_their_rows(tmp_path: Path) -> None:
    talk = ("Interviewer: How was it?\nMaria Gomez: It was hard, honestly.\nInterviewer: Why?\n"
            "Maria Gomez: Never enough time.\n")
    root = write_study(tmp_path / "s", {"interview-01.txt": talk})
    study = Study(root)
    study.ingest()
    was = dict(zip(study.segments()["text"], study.segments()["speaker"]))["Never enough time."]
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {(was, "", "Never enough time."): "time_pressure"})
    # participants.csv added after the export (as W022 suggests): the speaker's pseudonym becomes P04
    (root / "data" / "raw" / "participants.csv").write_text("participant_id,name\nP04,Maria Gomez\n", encoding="utf-8")
    study.ingest()
    assert set(study.segments(include_interviewer=False)["speaker"]) == {"P04"} != {was}
    report = study.import_sheet(sheet, coder="SO")
    assert report.skipped == 0 and not report.changed_rows, report.problems()
    assert _coded(study) == {("P04", "", "Never enough time.", "time_pressure")}
    assert len(study.seen("SO")) == 2
    study.close()


def test_a_respondent_who_left_is_not_taken_for_one_who_arrived(tmp_path: Path) -> None:
    root, study = _survey_study(tmp_path, [HARDEST], [["R1", "Waiting"], ["R2", "Fine"]])
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {("R1", HARDEST, "Waiting"): "time_pressure"})
    _survey(root, [HARDEST], [["R3", "Waiting"], ["R2", "Fine"]])  # R1 withdrew, R3 answered alike
    study.ingest()
    report = study.import_sheet(sheet, coder="SO")
    assert [(p.line, p.code) for p in report.changed_rows] == [(2, "W538")], report.problems()
    assert _coded(study) == set()
    assert _whose(study, study.seen("SO")["segment_id"]) == {("R2", HARDEST, "Fine")}
    study.close()


def test_a_participant_mapped_since_the_export_keeps_the_speakers_rows(tmp_path: Path) -> None:
    talk = "Interviewer: How was it?\nMaria Gomez: It was hard, honestly.\nInterviewer: Why?\nMaria Gomez: No time.\n"
    root = write_study(tmp_path / "s", {"interview-01.txt": talk})
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    study = Study(root)
    study.ingest()
    sheet = tmp_path / "so.xlsx"
    study.export_sheet(sheet, coder="SO")
    _tick(sheet, {("Maria Gomez", "", "No time."): "time_pressure"})
    (root / "data" / "raw" / "participants.csv").write_text("participant_id,name\nP04,Maria Gomez\n", encoding="utf-8")
    study.ingest()  # the label stays, the participant becomes P04: the same person
    assert set(study.segments(include_interviewer=False)["participant_id"]) == {"P04"}
    report = study.import_sheet(sheet, coder="SO")
    assert report.skipped == 0 and not report.changed_rows, report.problems()
    assert _coded(study) == {("Maria Gomez", "", "No time.", "time_pressure")}
    study.close()
