"""`ingest(study)` against a real SQLite store: new, unchanged, changed, failed; re-anchoring."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from thematic.ingest.reanchor import FLAG_NOT_FOUND, locate
from thematic.ingest.run import key_path
from thematic.models import Coding
from thematic.study import Study

from .helpers import INTERVIEW, make_docx

PARTICIPANTS = "participant_id,name,role,site\nP01,Rowan,peer mentor,Harlow\nP02,Tamsin,staff,Brackley\n"


def _raw(study: Study, name: str, content: str | bytes) -> Path:
    path = study.paths.raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _dump(study: Study) -> list[tuple]:
    con = sqlite3.connect(study.paths.db)
    try:
        return [tuple(r) for t in ("documents", "segments", "codings", "participants")
                for r in con.execute(f"SELECT * FROM {t} ORDER BY 1")]  # noqa: S608
    finally:
        con.close()


def test_run_ingests_new_files_with_participants_and_pseudonyms(study: Study) -> None:
    _raw(study, "participants.csv", PARTICIPANTS)
    _raw(study, "interviews/p01-rowan.txt", INTERVIEW)
    seen: list[str] = []
    report = study.ingest(progress=seen.append)
    assert seen == ["data/raw/interviews/p01-rowan.txt"]
    (row,) = report.rows
    assert (row.document_id, row.status, row.segments, row.speakers) == ("interviews-p01-rowan", "new", 4,
                                                                        ("Interviewer", "P01"))
    assert report.participants == 2 and report.ok and report.changed_documents == ("interviews-p01-rowan",)
    segs = study.segments()
    assert list(segs["participant_id"].fillna("-")) == ["-", "P01", "-", "P01"]
    text = study.store.document_text("interviews-p01-rowan")
    assert "Rowan" not in text and "Tamsin" not in text and "P02" in text  # a roster name inside a quote
    assert key_path(study).is_file() and not key_path(study).is_relative_to(study.root / "data")
    people = study.store.participants().set_index("participant_id")
    assert people.loc["P01", "role"] == "peer mentor" and "name" not in people.columns
    frame = report.to_frame()
    assert list(frame["status"]) == ["new"] and frame.loc[0, "speakers"] == 2


def test_run_second_run_skips_unchanged_and_is_idempotent(study: Study) -> None:
    _raw(study, "participants.csv", PARTICIPANTS)
    _raw(study, "a.txt", INTERVIEW)
    study.ingest()
    before = _dump(study)
    key_before = key_path(study).read_text()
    report = study.ingest()
    assert [r.status for r in report.rows] == ["unchanged"] and report.rows[0].segments == 4
    assert _dump(study)[:2] == before[:2] and key_path(study).read_text() == key_before
    forced = study.ingest(force=True)
    assert [r.status for r in forced.rows] == ["changed"]
    assert study.store.document_text("a") == before[0][4]  # same key: same pseudonymised text


def test_run_settings_change_re_reads_with_a_note(study: Study) -> None:
    _raw(study, "a.txt", INTERVIEW)
    study.ingest()
    report = study.ingest(unit="paragraph")
    assert report.rows[0].status == "changed" and report.rows[0].segments == 5
    assert any(w.startswith("[W107]") for w in report.rows[0].warnings)


def test_run_failed_file_leaves_store_and_others_are_ingested(study: Study) -> None:
    good = _raw(study, "good.txt", INTERVIEW)
    bad = _raw(study, "bad.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: hi\n")
    study.ingest()
    before = _dump(study)
    bad.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:0", encoding="utf-8")  # truncated
    good.write_text(INTERVIEW + "Interviewer: One more thing.\n", encoding="utf-8")
    report = study.ingest()
    assert [(r.path, r.status) for r in report.rows] == [("data/raw/good.txt", "changed"), ("data/raw/bad.vtt", "failed")]
    assert report.failed[0].error.startswith("[E105] data/raw/bad.vtt:3: cue 1")
    assert study.store.document("bad").text == [r for r in before if r[0] == "bad"][0][4]
    assert len(study.store.document("good").segments) == 5


def test_run_reanchors_moved_quotes_and_flags_lost_ones(study: Study) -> None:
    path = _raw(study, "a.txt", INTERVIEW)
    study.ingest()
    doc = study.store.document("a")
    quote = "She'd done the same sentence as me."
    lost = "He said the mentors had all been inside themselves."
    start, start2 = doc.text.index(quote), doc.text.index(lost)
    study.store.add_codings([
        Coding("a", start, start + len(quote), "shared_experience", "AB", text=quote, segment_id="a:3"),
        Coding("a", start2, start2 + len(lost), "hooks", "AB", text=lost, segment_id="a:1")])
    path.write_text("New header line\n\n" + INTERVIEW.replace(lost, "He said something else."), encoding="utf-8")
    report = study.ingest()
    assert (report.rows[0].reanchored, report.rows[0].flagged) == (1, 1)
    assert any(w.startswith("[W106]") for w in report.rows[0].warnings)
    codings = study.store.codings().set_index("code_id")
    new = study.store.document("a")
    moved = codings.loc["shared_experience"]
    assert new.text[int(moved.start):int(moved.end)] == quote and moved.segment_id == "a:3"
    assert codings.loc["hooks", "flag"] == FLAG_NOT_FOUND
    assert set(study.store.events()["kind"]) >= {"add", "reanchor", "flag"}
    again = study.ingest(force=True)  # flagged once: not flagged again, still counted
    assert again.rows[0].flagged == 1 and len(study.store.events().query("kind == 'flag'")) == 1


def test_run_paths_argument_ids_and_missing(study: Study, tmp_path: Path) -> None:
    _raw(study, "x.txt", INTERVIEW)
    make_docx(study.paths.raw / "x.docx", ["Interviewer: Hello?", "Ash: Hi."])
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Interviewer: Hi.\nJo: Hello.\n", encoding="utf-8")
    report = study.ingest([study.paths.raw, outside, tmp_path / "nope.txt"])
    ids = {r.path: (r.document_id, r.status) for r in report.rows}
    assert ids["data/raw/x.docx"] == ("x", "new") and ids["data/raw/x.txt"] == ("x-txt", "new")  # sorted order
    assert ids[str(outside.resolve())] == ("elsewhere", "new")
    assert ids[str(tmp_path / "nope.txt")][1] == "failed"
    (study.paths.raw / "x.txt").unlink()
    report = study.ingest()
    assert report.missing == ("data/raw/x.txt",)


def test_run_survey_exclusions_and_respondents(study: Study) -> None:
    _raw(study, "participants.csv", "participant_id,role\nR1,service user\n")
    _raw(study, "survey.csv", "id,age,answer,screening\n"
         "R1,30,Having someone who had been through it themselves.,\n"
         "R2,41,Knowing the mentor would not judge me for my past.,not eligible\n")
    report = study.ingest()
    assert report.rows[0].segments == 1 and not report.rows[0].warnings[1:]
    assert study.store.exclusions().to_dict("records") == [
        {"document_id": "survey", "respondent": "R2", "reason": "not eligible"}]
    people = study.store.participants().set_index("participant_id")
    assert people.loc["R1", "role"] == "service user" and people.loc["R1", "age"] == "30"


def test_run_locate_prefers_the_nearest_occurrence_and_ignores_whitespace() -> None:
    text = "yes. no. yes. maybe\nso."
    assert locate(text, "yes.", 9, 13) == (9, 13)
    assert locate(text, "yes.", 7, 11) == (9, 13)
    assert locate(text, "maybe so.", 0, 9) == (14, 23)
    assert locate(text, "gone", 0, 4) is None


def test_run_unit_change_moves_codings_to_the_new_segments(study: Study) -> None:
    _raw(study, "a.txt", INTERVIEW)
    study.ingest()
    doc = study.store.document("a")
    quote = "I didn't believe him at first."
    start = doc.text.index(quote)
    study.store.add_codings([Coding("a", start, start + len(quote), "doubt", "AB", text=quote, segment_id="a:1")])
    report = study.ingest(unit="sentence")
    assert (report.rows[0].reanchored, report.rows[0].flagged) == (0, 0)
    row = study.store.codings().iloc[0]
    seg = study.store.segment(str(row.segment_id))
    assert (int(row.start), int(row.end)) == (start, start + len(quote)) and seg.text == quote and seg.kind == "sentence"
