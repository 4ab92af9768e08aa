"""When a participant's pseudonym changes on re-ingest (their id changed in participants.csv, or participants.csv
added after a first ingest), every file that mentions them says the new pseudonym at once, and a coding whose
quote changed only by that pseudonym follows it (not flagged)."""

from __future__ import annotations

from thematic.models import Coding
from thematic.study import Study


def _write(study: Study, name: str, text: str) -> None:
    (study.paths.raw / name).write_text(text, encoding="utf-8")


def _code(study: Study, segment_id: str) -> None:
    seg = study.segments().set_index("segment_id").loc[segment_id]
    doc = segment_id.split(":")[0]
    study.store.add_codings([Coding(doc, int(seg["start"]), int(seg["end"]), "phd", "HT", text=str(seg["text"]),
                                    segment_id=segment_id)])


def _text(study: Study, segment_id: str) -> str:
    return str(study.segments().set_index("segment_id").loc[segment_id, "text"])


def test_an_id_changed_in_participants_csv_reaches_a_file_that_only_mentions_them(study: Study) -> None:
    _write(study, "participants.csv", "participant_id,name,transcript\nP01,Zoe Hart,int-01.txt\n"
                                      "P04,Renee Dubois,int-04.txt\n")
    _write(study, "int-01.txt", "Interviewer: Hi.\nZoe Hart: My colleague Renee was also doing a PhD.\n")
    _write(study, "int-04.txt", "Interviewer: Hi.\nRenee Dubois: My PhD was about survey methods.\n")
    study.ingest()
    assert _text(study, "int-01:1") == "My colleague P04 was also doing a PhD."
    _code(study, "int-01:1")
    _write(study, "participants.csv", "participant_id,name,transcript\nP01,Zoe Hart,int-01.txt\n"
                                      "P09,Renee Dubois,int-04.txt\n")
    report = study.ingest()
    assert _text(study, "int-01:1") == "My colleague P09 was also doing a PhD."
    assert study.segments().set_index("segment_id").loc["int-04:1", "speaker"] == "P09"
    assert not any("[W106]" in w for r in report.rows for w in r.warnings)
    assert study.store.codings(flagged=True).empty
    (coding,) = study.store.codings().to_dict("records")
    assert coding["text"] == "My colleague P09 was also doing a PhD." and coding["segment_id"] == "int-01:1"


def test_participants_csv_added_after_coding_renames_the_mention_in_an_earlier_file(study: Study) -> None:
    _write(study, "a-interview.txt", "Interviewer: Hi.\nZoe: My colleague Renee was also doing a PhD.\n")
    _write(study, "b-interview.txt", "Interviewer: Hi.\nRenee: My PhD was about survey methods.\n")
    study.ingest()
    _code(study, "a-interview:1")
    _write(study, "participants.csv", "participant_id,name\nP01,Zoe\nP04,Renee\n")
    report = study.ingest()
    assert _text(study, "a-interview:1") == "My colleague P04 was also doing a PhD."
    assert study.store.codings(flagged=True).empty
    assert not any("[W106]" in w for r in report.rows for w in r.warnings)
    _write(study, "c-interview.txt", "Interviewer: Hi.\nMaria: I did a PhD too.\nOmar: So did I.\n")
    study.ingest()
    assert _text(study, "a-interview:1") == "My colleague P04 was also doing a PhD."  # never Omar's pseudonym


def test_a_changed_speaker_map_of_one_file_rereads_an_unchanged_file_that_mentions_them(study: Study) -> None:
    _write(study, "a-interview.txt", "Interviewer: Hi.\nZoe: My colleague Renee was also doing a PhD.\n")
    _write(study, "b-interview.txt", "Interviewer: Hi.\nRenee: My PhD was about survey methods.\n")
    study.ingest()
    _code(study, "a-interview:1")
    old = _text(study, "a-interview:1")
    assert "Renee" not in old
    _write(study, "b-interview.txt", "---\nspeakers: Renee = R7\n---\nInterviewer: Hi.\n"
                                     "Renee: My PhD was about survey methods.\n")
    report = study.ingest()
    assert _text(study, "a-interview:1") == "My colleague R7 was also doing a PhD."
    assert any("[W387]" in w for r in report.rows for w in r.warnings)
    assert study.store.codings(flagged=True).empty
