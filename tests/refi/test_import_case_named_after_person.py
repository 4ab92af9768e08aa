"""A REFI case named after the person (``Maria Gomez``, as NVivo projects and a non-pseudonymised study's export
name them) is pseudonymised on import into a pseudonymising study: the text, the speaker column and the
participant id all carry the key's pseudonym. Id-like case names (``P02``) stay as they are."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from refi.refi_support import pseudonym_key

from thematic.refi import import_refi
from thematic.study import Study, init_study

U = "AAAAAAAA-0000-4000-8000-000000000001"
CODE = "CCCCCCCC-0000-4000-8000-000000000001"
S1, S2 = "5B1E0C0A-0000-4000-8000-000000000001", "5B1E0C0A-0000-4000-8000-000000000002"
C1, C2 = "CA5E0000-0000-4000-8000-000000000001", "CA5E0000-0000-4000-8000-000000000002"


def _text(label: str) -> str:
    return (f"Interviewer: Tell me about work.\n{label}: There is never enough time, honestly.\n"
            f"Interviewer: And then?\n{label}: Family wants my time too. Gomez is my family name.\n")


OTHER = "Interviewer: Hi.\nP02: I met Maria Gomez at work.\n"


def _selections(text: str, quotes: list[str], first: int) -> str:
    out = []
    for n, quote in enumerate(quotes, start=first):
        start = text.index(quote)
        out.append(f'<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-0000000000{n:02d}" name="{quote}" '
                   f'startPosition="{start}" endPosition="{start + len(quote)}" creatingUser="{U}">'
                   f'<Coding guid="EEEEEEEE-0000-4000-8000-0000000000{n:02d}" creatingUser="{U}">'
                   f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')
    return "".join(out)


def _vendor(path: Path, label: str, quotes: list[str], case: str = "Maria Gomez") -> Path:
    text = _text(label)
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="people" origin="NVivo 14 (Windows)">
<Users><User guid="{U}" name="Anna"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Time" isCodable="true"/></Codes></CodeBook>
<Cases><Case guid="{C1}" name="{case}"><SourceRef targetGUID="{S1}"/></Case>
<Case guid="{C2}" name="P02"><SourceRef targetGUID="{S2}"/></Case></Cases>
<Sources><TextSource guid="{S1}" name="Interview 1" plainTextPath="internal://{S1}.txt">{_selections(text, quotes, 1)}
</TextSource><TextSource guid="{S2}" name="Interview 2" plainTextPath="internal://{S2}.txt">
{_selections(OTHER, ["I met Maria Gomez at work."], 50)}</TextSource></Sources></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S1}.txt", text.encode("utf-8"))
        z.writestr(f"sources/{S2}.txt", OTHER.encode("utf-8"))
    return path


@pytest.mark.parametrize("label", ["Maria Gomez", "Maria"])
def test_a_case_named_after_the_person_gets_her_pseudonym_in_text_speakers_and_participant_id(
        tmp_path: Path, label: str) -> None:
    quotes = ["There is never enough time", f"{label}: There is never", "Gomez is my family name."]
    report = import_refi(_vendor(tmp_path / "nvivo.qdpx", label, quotes), tmp_path / "study")
    with Study(tmp_path / "study") as study:
        key = pseudonym_key(study)
        pid = key["Maria Gomez"]
        assert pid != "Maria Gomez" and "Maria" not in pid
        assert key[label] == pid  # the one named speaker of the case's document: the case's pseudonym
        assert {p.id for p in study.store.participant_records()} == {pid, "P02"}  # the id-like case stays
        doc = study.store.document("interview-1")
        assert doc.text == _text(pid).replace("Gomez is", f"{pid} is")
        segs = study.store.segments(document="interview-1")
        assert set(segs["speaker"].dropna()) == {"Interviewer", pid}
        assert set(segs.loc[~segs["is_interviewer"].astype(bool), "participant_id"]) == {pid}
        other = study.store.document("interview-2")
        assert other.text == f"Interviewer: Hi.\nP02: I met {pid} at work.\n"
        others = study.store.segments(document="interview-2")
        assert set(others.loc[~others["is_interviewer"].astype(bool), "participant_id"]) == {"P02"}
        codings = study.store.codings()
        for c in codings.itertuples():  # every span still covers exactly its words
            text = study.store.document(c.document_id).text
            assert text[int(c.start):int(c.end)] == c.text
        assert set(codings["text"]) == {"There is never enough time", f"{pid}: There is never",
                                        f"{pid} is my family name.", f"I met {pid} at work."}
        stored = [*(study.store.document(d).text for d in ("interview-1", "interview-2")),
                  *segs["speaker"].dropna(), *segs["participant_id"].dropna(), *codings["text"]]
        assert not any("Maria" in s or "Gomez" in s for s in stored)
    assert report.imported["participants"] == 2


def test_id_like_case_names_stay_and_name_like_ones_do_not() -> None:
    from thematic.refi.pseudonyms import is_case_id

    for case in ("P01", "R_12", "Case 3", "interview-02", "Interview-02", "Focus group 3", "815U3321N28865LI",
                 "Respondent", "Speaker 2"):
        assert is_case_id(case), case
    for case in ("Maria Gomez", "Maria", "MARIA GOMEZ", "Maria Gomez (P01)", "Dr. Smith", "Maria Gomez 2"):
        assert not is_case_id(case), case


@pytest.mark.parametrize("case", ["Maria Gomez", "maria gomez"])  # a name participants.csv knows, in any form
def test_a_named_case_takes_the_participant_id_participants_csv_gives_her(tmp_path: Path, case: str) -> None:
    study = init_study(tmp_path / "study", name="people")
    (study.root / "data" / "raw" / "participants.csv").write_text("participant_id,speaker,site\nP01,Maria Gomez,Leeds\n",
                                                                  encoding="utf-8")
    study.close()
    import_refi(_vendor(tmp_path / "nvivo.qdpx", "Maria Gomez", ["There is never enough time"], case=case),
                tmp_path / "study")
    with Study(tmp_path / "study") as study:
        assert pseudonym_key(study)[case] == "P01"
        assert {p.id for p in study.store.participant_records()} == {"P01", "P02"}
        assert study.store.document("interview-1").text.startswith("Interviewer: Tell me about work.\nP01: There")
        segs = study.store.segments(document="interview-1")
        assert set(segs.loc[~segs["is_interviewer"].astype(bool), "participant_id"]) == {"P01"}


def test_a_lower_case_id_that_spells_a_replaced_name_is_kept_with_a_warning(tmp_path: Path) -> None:
    report = import_refi(_vendor(tmp_path / "nvivo.qdpx", "Maria Gomez", ["There is never enough time"],
                                 case="maria-01"), tmp_path / "study")
    with Study(tmp_path / "study") as study:
        assert {p.id for p in study.store.participant_records()} == {"maria-01", "P02"}
        assert "Maria" not in study.store.document("interview-1").text
    (warned,) = [w for w in report.notes if w.startswith("[W511]")]  # the id stays, with a warning
    assert "case 'maria-01'" in warned and "nvivo.qdpx" in warned and "Maria" not in warned


def test_a_non_pseudonymised_study_exported_and_imported_into_a_pseudonymising_one(tmp_path: Path) -> None:
    """The reviewer's repro: in a study without pseudonymisation (and no participants.csv) the participant id is
    the name, so its export's case is ``Maria Gomez``."""
    src = init_study(tmp_path / "src", name="source")
    (src.root / "codebooks" / "cb.yaml").write_text(
        "name: cb\nversion: 1.0.0\nthemes:\n- id: work\n  label: Work\n  definition: Work.\ncodes:\n"
        "- id: time_pressure\n  label: Time pressure\n  parent: work\n  definition: Not enough time.\n",
        encoding="utf-8")
    toml = src.root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false")
                    .replace("coders = []", 'coders = ["HT"]'), encoding="utf-8")
    src.close()
    (tmp_path / "src" / "data" / "raw" / "maria.txt").write_text(_text("Maria Gomez"), encoding="utf-8")
    with Study(tmp_path / "src") as s:
        s.ingest()
        seg = s.segments("maria")
        sid = seg.loc[seg["text"].str.contains("never")]["segment_id"].iloc[0]
        s.code(sid, "time_pressure", coder="HT")
        assert "Maria Gomez" in set(seg["participant_id"].dropna())  # the participant id is the name
        s.export_refi(tmp_path / "src.qdpx")
    import_refi(tmp_path / "src.qdpx", tmp_path / "dst")
    with Study(tmp_path / "dst") as d:
        pid = pseudonym_key(d)["Maria Gomez"]
        text = d.store.document("maria").text
        assert "Maria" not in text and f"\n{pid}: There is never enough time" in text
        assert [p.id for p in d.store.participant_records()] == [pid]
        segs = d.store.segments(document="maria")
        assert set(segs["speaker"].dropna()) == {"Interviewer", pid}
        assert set(segs.loc[~segs["is_interviewer"].astype(bool), "participant_id"]) == {pid}
        (c,) = d.store.codings().itertuples()
        assert text[int(c.start):int(c.end)] == c.text == "There is never enough time, honestly."
