"""D1: a named speaker's pseudonym never equals a speaker label or participant id the study's texts already use.

Sonix, Otter, Descript and Zoom label some people ``Speaker 1``, ``Speaker 2`` and others by name; the named
ones must not be pseudonymised to a label someone else already has, in the same file or another one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.ingest import read_transcript
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.run import key_path
from thematic.study import Study

FOCUS_GROUP = """Focus group 3

Speaker 1: Welcome all, let's go round the table.

Maria Gomez: I'm Maria, I work in the library.

Speaker 2: I'm the other facilitator, just observing.

Maria Gomez: Great to meet you.
"""

GENERIC_ONLY = """Focus group 4

Speaker 1: Shall we begin?

Speaker 2: Yes, I run the evening classes.

Speaker 1: Thank you.
"""

NAMED_ONLY = """Focus group 5

Interviewer: Who would like to start?

Tom Reilly: I will, I came for the evening classes.
"""


def _raw(study: Study, name: str, text: str) -> None:
    path = study.paths.raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _speakers(study: Study, document: str) -> list[tuple[str, str]]:
    segs = study.segments(document)
    return [(str(s), str(p)) for s, p in zip(segs["speaker"], segs["participant_id"])]


def test_key_skips_reserved_labels_and_keeps_existing_entries(tmp_path: Path) -> None:
    key = PseudonymKey(tmp_path / "key.csv")
    assert key.assign("speaker", "Ann Lee") == "Speaker 1"
    key.reserve(["Speaker 1", "speaker 2", "SPEAKER 4", "Case 1"])
    assert key.assign("speaker", "Ann Lee") == "Speaker 1"  # an existing entry is never renumbered
    assert key.assign("speaker", "Maria Gomez") == "Speaker 3"  # 2 is a label already in use
    assert key.assign("speaker", "Tom Reilly") == "Speaker 5"
    assert key.assign("case", "doc / Respondent") == "Case 2"
    key.save()
    again = PseudonymKey.load(tmp_path / "key.csv")
    assert again.assign("speaker", "Zed") == "Speaker 6"


def test_named_speaker_does_not_take_the_files_own_generic_label(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("focus-group-3.txt", FOCUS_GROUP))
    speakers = [s.speaker for s in doc.segments]
    assert speakers[0] == "Speaker 1" and speakers[2] == "Speaker 2"
    assert speakers[1] == speakers[3] and speakers[1] not in {"Speaker 1", "Speaker 2"}
    assert "Maria" not in doc.text and f"{speakers[1]}: I'm {speakers[1]}, I work" in doc.text
    assert doc.text.count("Speaker 1:") == 1


def test_study_keeps_people_apart_in_one_file_and_across_files(study: Study) -> None:
    _raw(study, "focus-group-3.txt", FOCUS_GROUP)
    _raw(study, "focus-group-4.txt", GENERIC_ONLY)
    study.ingest()
    maria = _speakers(study, "focus-group-3")[1]
    assert maria[0] not in {"Speaker 1", "Speaker 2"} and maria[1] not in {"Speaker 1", "Speaker 2"}
    _raw(study, "focus-group-5.txt", NAMED_ONLY)  # a later run: stored generic labels count too
    study.ingest()
    tom = _speakers(study, "focus-group-5")[1]
    assert tom[0] not in {"Speaker 1", "Speaker 2", maria[0]}
    key_before = key_path(study).read_text(encoding="utf-8")
    study.ingest(force=True)
    assert key_path(study).read_text(encoding="utf-8") == key_before  # a re-ingest renumbers nobody
    assert _speakers(study, "focus-group-3")[1] == maria and _speakers(study, "focus-group-5")[1] == tom


def test_named_speaker_in_one_file_skips_generic_labels_of_another_file_in_the_same_run(study: Study) -> None:
    _raw(study, "a-named.txt", NAMED_ONLY.replace("Tom Reilly", "Maria Gomez"))  # read first
    _raw(study, "b-generic.txt", GENERIC_ONLY)
    study.ingest()
    maria = _speakers(study, "a-named")[1]
    assert maria[0] not in {"Speaker 1", "Speaker 2"}
    assert _speakers(study, "b-generic")[0][0] == "Speaker 1"


def test_case_pseudonym_skips_a_participant_id_a_file_uses(study: Study) -> None:
    _raw(study, "a.txt", "Interview A\n\nInterviewer: Hello.\n\nRespondent: Hi there.\n")
    _raw(study, "b.txt", "Interview B\n\nInterviewer: Hello.\n\nCase 1: Hi, I'm case one.\n")
    study.ingest()
    a = _speakers(study, "a")[1][1]
    b = _speakers(study, "b")[1][1]
    assert b == "Case 1" and a != "Case 1"


def test_existing_clash_in_the_key_is_kept_and_warned(study: Study) -> None:
    _raw(study, "a-named.txt", NAMED_ONLY.replace("Tom Reilly", "Maria Gomez"))
    study.ingest()
    assert _speakers(study, "a-named")[1] == ("Speaker 1", "Speaker 1")
    _raw(study, "b-generic.txt", GENERIC_ONLY)  # arrives later, with its own "Speaker 1"
    report = study.ingest()
    assert "speaker,Maria Gomez,Speaker 1" in key_path(study).read_text(encoding="utf-8")  # stable
    row = next(r for r in report.rows if r.document_id == "b-generic")
    notes = [w for w in row.warnings if w.startswith("[W150]")]
    assert len(notes) == 1 and "'Speaker 1'" in notes[0] and "pseudonym-key.csv" in notes[0]
    assert "Maria" not in notes[0]
