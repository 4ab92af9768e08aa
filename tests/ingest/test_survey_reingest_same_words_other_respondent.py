"""A re-read survey never gives one respondent's codings, seen records or sample rows to another with the same words.

Before, answers left over once (respondent, question, text) had matched were paired in sheet order by their
text alone. With an id column, a respondent who withdrew (R02, row deleted) and a late respondent typed into
that row (R07) who also answered "More funding." got R02's coding, R02's pending suggestion, the coder's seen
record and the sample row on that answer, with no warning, while R02's other coding was flagged. Without an
id column (respondents numbered by row), swapping two rows that both answered "More funding." split the
porter's codings across two people: the unique answer's coding followed the porter, the repeated answer's
stayed on the row, now the doctor's.

Now a survey answer is only ever paired with its own respondent's answer: with an id column a respondent who
is gone takes their records with them (codings flagged W106, seen and sample records dropped W117), and a
wholesale renaming of the ids (every answer the same) still keeps them. Without an id column a row is
identified by an answer that occurs once in the old and once in the new sheet, and its other answers follow
it; an answer of a row that cannot be told apart from others once rows moved is flagged (W170), not guessed.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from regression.tiny_study import CODEBOOK, study_with
from thematic.study import Study

Q1 = "What helped you most this year?"
Q2 = "What one thing would you change?"
SAME = "More funding."  # the rules suggester proposes 'money' for it (keyword 'funding')
SUGGESTED = ("thematic.rules.v1", "suggested")


def _write(root: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    path = root / "data" / "raw" / name
    if name.endswith(".xlsx"):
        book = Workbook()
        sheet = book.active
        for row in [header, *rows]:
            sheet.append(row)
        book.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])


def _questions(name: str) -> str:
    """thematic.toml lines naming the two open questions of ``name`` (short answers may read as attributes)."""
    return f'\n[ingest.survey."{name}"]\ntext_columns = ["{Q1}", "{Q2}"]\n'


def _ingest(study: Study) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    return [w for row in report.rows for w in row.warnings]


def _answer(study: Study, respondent: str, question: str) -> str:
    segs = study.segments()
    return str(segs.loc[(segs["participant_id"] == respondent) & (segs["question"] == question), "segment_id"].iloc[0])


def _on(study: Study, segment_ids: set[str]) -> list[tuple[str, str]]:
    """(coder, status) of every coding, suggestion included, on those segments."""
    rows = study.store.codings()
    rows = rows[rows["segment_id"].isin(segment_ids)]
    return sorted(zip(rows["coder"], rows["status"].astype(str)))


@pytest.mark.parametrize("name", ["survey.csv", "survey.xlsx"])
def test_a_withdrawn_respondents_records_never_move_to_a_new_respondent_in_their_row(tmp_path: Path, name: str) -> None:
    header = ["respondent_id", "role", Q1, Q2]
    rows = [["R01", "nurse", "My manager listened to me.", SAME],
            ["R02", "porter", "The team was kind.", SAME],
            ["R03", "nurse", "Extra training for the new system.", "Better pay."]]
    root = study_with(tmp_path / "s", CODEBOOK, toml=_questions(name))
    _write(root, name, header, rows)
    with Study(root) as study:
        _ingest(study)
        r02 = [_answer(study, "R02", Q1), _answer(study, "R02", Q2)]
        for sid in r02:
            study.code(sid, "work", coder="AB")
        study.mark_seen(list(study.segments()["segment_id"]), coder="AB")
        study.run_code(suggesters=["rules"], ingest=False)  # pending 'money' on each "More funding."
        study.sample(coder="CD", n=6)
        assert SUGGESTED in _on(study, {r02[1]})
    rows[1] = ["R07", "doctor", "Not much honestly.", SAME]  # R02 withdrew; R07 typed into that row
    _write(root, name, header, rows)
    with Study(root) as study:
        notes = _ingest(study)
        r07 = {_answer(study, "R07", Q1), _answer(study, "R07", Q2)}
        assert _on(study, r07) == []  # nobody coded R07, no suggestion on R07 was ever made
        assert not r07 & set(study.store.coverage("AB")["segment_id"])  # nobody has seen R07's answers
        assert not r07 & set(study.store.sample_segments("latest")["segment_id"])
        gone = study.store.codings(flagged=True)  # all of R02's: AB's two and the suggestion
        assert sorted(zip(gone["coder"], gone["text"])) == [
            ("AB", SAME), ("AB", "The team was kind."), ("thematic.rules.v1", SAME)]
        assert gone["segment_id"].isna().all()
        r01 = _answer(study, "R01", Q2)
        assert SUGGESTED in _on(study, {r01})  # R01's own suggestion stays on R01's answer
        assert r01 in set(study.store.coverage("AB")["segment_id"])
        assert any(n.startswith("[W106]") for n in notes) and any(n.startswith("[W117]") for n in notes)


def test_renamed_ids_with_every_answer_unchanged_keep_their_codings(tmp_path: Path) -> None:
    header = ["respondent_id", Q1, Q2]
    rows = [["R01", "My manager listened to me.", SAME], ["R02", "The team was kind.", SAME],
            ["R03", "Extra training for the new system.", "Better pay."]]
    root = study_with(tmp_path / "s", CODEBOOK, toml=_questions("survey.csv"))
    _write(root, "survey.csv", header, rows)
    with Study(root) as study:
        _ingest(study)
        study.code(_answer(study, "R02", Q2), "money", coder="AB")
    _write(root, "survey.csv", header, [[r[0].replace("R", "ID-"), *r[1:]] for r in rows])
    with Study(root) as study:
        notes = _ingest(study)
        coding = study.store.codings(coder="AB").iloc[0]
        assert pd.isna(coding["flag"]) and coding["segment_id"] == _answer(study, "ID-02", Q2)
        assert not [n for n in notes if n.startswith(("[W106]", "[W170]"))]


NOID = ["role", Q1, Q2]
PORTER = ["porter", "The team was supportive and kind.", SAME]
DOCTOR = ["doctor", "Nothing really.", SAME]
NURSES = [["nurse", "My manager listened to me.", SAME], ["nurse", "Extra training for the new system.", "Better pay."]]


def test_without_ids_swapped_rows_take_their_repeated_answers_with_them(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, toml=_questions("feedback.csv"))
    _write(root, "feedback.csv", NOID, [NURSES[0], PORTER, NURSES[1], DOCTOR])
    with Study(root) as study:
        _ingest(study)
        porter = [_answer(study, "feedback-R2", Q1), _answer(study, "feedback-R2", Q2)]
        study.code(porter[0], "work", coder="AB", memo="porter's Q1")
        study.code(porter[1], "money", coder="AB", memo="porter's Q2")
        study.mark_seen(porter, coder="AB")
    _write(root, "feedback.csv", NOID, [NURSES[0], DOCTOR, NURSES[1], PORTER])  # rows 2 and 4 swapped
    with Study(root) as study:
        notes = _ingest(study)
        codings = study.store.codings(coder="AB").set_index("memo")
        assert codings["flag"].isna().all(), notes
        assert codings.loc["porter's Q1", "segment_id"] == _answer(study, "feedback-R4", Q1)
        assert codings.loc["porter's Q2", "segment_id"] == _answer(study, "feedback-R4", Q2)
        assert set(study.store.coverage("AB")["segment_id"]) == {_answer(study, "feedback-R4", q) for q in (Q1, Q2)}
        people = study.store.participants().set_index("participant_id")
        assert people.loc["feedback-R4", "role"] == "porter"


def test_without_ids_an_answer_that_fits_several_rows_after_a_sort_is_flagged_not_guessed(tmp_path: Path) -> None:
    only = [["porter", "", SAME], ["doctor", "", SAME]]  # rows told apart by nothing they wrote
    root = study_with(tmp_path / "s", CODEBOOK, toml=_questions("feedback.csv"))
    _write(root, "feedback.csv", NOID, [NURSES[0], only[0], NURSES[1], only[1]])
    with Study(root) as study:
        _ingest(study)
        porter = _answer(study, "feedback-R2", Q2)
        nurse = _answer(study, "feedback-R1", Q2)
        study.code(porter, "money", coder="AB", memo="porter")
        study.code(nurse, "money", coder="AB", memo="nurse")
        study.mark_seen([porter], coder="AB")
    _write(root, "feedback.csv", NOID, [NURSES[1], only[1], NURSES[0], only[0]])  # sorted: the nurses moved
    with Study(root) as study:
        notes = _ingest(study)
        codings = study.store.codings(coder="AB").set_index("memo")
        assert codings.loc["nurse", "segment_id"] == _answer(study, "feedback-R3", Q2)  # its row is known
        assert pd.isna(codings.loc["nurse", "flag"])
        assert pd.isna(codings.loc["porter", "segment_id"]) and pd.notna(codings.loc["porter", "flag"])
        [w170] = [n for n in notes if n.startswith("[W170]")]
        assert f"{porter} (2 places)" in w170
        assert study.store.coverage("AB").empty  # which row it is cannot be told: nobody has seen it
