"""Two people who both speak as ``Sam:`` in their own interviews (each file mapped by participants.csv's transcript
column) left one pseudonym-key row, ``Sam -> P02``, whichever file was read last: every "Sam" in every other file
was replaced by P02, naming one of them where the text does not say which. A label that names several participants
is now ambiguous, like a name part two people share: it is written ``[name]`` everywhere but in each person's own
file, and the key gives it no participant's id, whatever order the files arrive in."""

from __future__ import annotations

import csv

from thematic.models import Coding
from thematic.study import Study

ROSTER = "participant_id,name,transcript,role\nP01,Sam Lee,int-a.txt,mentee\nP02,Sam Park,int-b.txt,mentor\n" \
         "P03,Kim Ode,int-c.txt,staff\n"
FILES = {
    "int-a.txt": "Interviewer: How was it?\n\nSam: It was hard at first.\n",
    "int-b.txt": "Interviewer: And you?\n\nSam: Much better now.\n",
    "group.txt": "Moderator: Welcome both.\n\nSam Lee: I agree with what Sam said earlier.\n\nSam Park: Thanks, Sam.\n",
    "int-c.txt": "Interviewer: Anyone else?\n\nRespondent: My friend Sam told me about it.\n",
}
EXPECTED = {
    "group:1": ("P01", "I agree with what [name] said earlier."), "group:2": ("P02", "Thanks, [name]."),
    "int-a:1": ("P01", "It was hard at first."), "int-b:1": ("P02", "Much better now."),
    "int-c:1": ("P03", "My friend [name] told me about it."),
}


def _write(study: Study, *names: str) -> None:
    for name in names:
        (study.paths.raw / name).write_text(FILES[name], encoding="utf-8")


def _turns(study: Study) -> dict[str, tuple[str, str]]:
    segs = study.segments(include_interviewer=False)
    return {sid: (pid, text) for sid, pid, text in zip(segs["segment_id"], segs["participant_id"], segs["text"])}


def _key(study: Study) -> list[list[str]]:
    with open(study.root / "private" / "pseudonym-key.csv", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_a_label_two_participants_speak_under_is_name_elsewhere(study: Study) -> None:
    (study.paths.raw / "participants.csv").write_text(ROSTER, encoding="utf-8")
    _write(study, *FILES)
    assert study.ingest().ok
    assert _turns(study) == EXPECTED
    assert not [row for row in _key(study) if row[1] == "Sam" and row[2] in {"P01", "P02"}]
    assert study.ingest(force=True).ok
    assert _turns(study) == EXPECTED


def test_the_second_persons_file_added_later_gives_the_same_text(study: Study) -> None:
    (study.paths.raw / "participants.csv").write_text(ROSTER, encoding="utf-8")
    _write(study, "int-a.txt", "group.txt", "int-c.txt")
    assert study.ingest().ok
    assert _turns(study)["int-c:1"] == ("P03", "My friend P01 told me about it.")  # one Sam so far: P01
    seg = study.segments().set_index("segment_id").loc["int-c:1"]
    study.store.add_codings([Coding("int-c", int(seg["start"]), int(seg["end"]), "peers", "HT", text=str(seg["text"]),
                                    segment_id="int-c:1")])
    _write(study, "int-b.txt")
    report = study.ingest()
    assert report.ok, report.rows
    assert _turns(study) == EXPECTED
    [row] = [r for r in report.rows if r.path.endswith("int-c.txt")]
    assert any(w.startswith("[W391]") and "P01" in w for w in row.warnings), row.warnings
    assert study.store.codings(flagged=True).empty
    [coding] = study.store.codings().to_dict("records")
    assert coding["text"] == "My friend [name] told me about it." and coding["segment_id"] == "int-c:1"
    assert not [row for row in _key(study) if row[1] == "Sam" and row[2] in {"P01", "P02"}]
