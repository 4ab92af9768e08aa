"""Adding participants.csv after coding keeps the codings and seen records (two-coder report, defect 2).

W022 advises adding participants.csv; doing so after coding rewrote the in-text pseudonym
("Speaker 1" -> "P01"), and every coding whose quote held the old pseudonym was flagged "quote not
found" and left every table, while both coders' seen records on those turns were dropped.
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .unlike_example import write_study

DANA = ("Interviewer: Thanks Dana for coming.\n"
        "Dana: People say \"Dana, you get it\", because I was inside too.\n"
        "Interviewer: And the time?\n"
        "Dana: There was never enough time, and the staff never trusted us.\n")
EVAN = ("Interviewer: Who helped you?\n"
        "Evan: Dana helped me, she had no time but gave me her funding tips.\n"
        "Interviewer: Anything else?\n"
        "Evan: No.\n")


def _turns(study: Study, document: str) -> dict[str, str]:
    segs = study.segments(document)
    segs = segs.loc[~segs["is_interviewer"].fillna(False).astype(bool)]
    return dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))


def test_codings_and_seen_records_follow_the_new_participant_ids(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"interview-01.txt": DANA, "interview-02.txt": EVAN})
    study = Study(root)
    study.ingest()
    dana, evan = _turns(study, "interview-01"), _turns(study, "interview-02")
    mention = next(s for s, t in dana.items() if "you get it" in t)
    helped = next(s for s, t in evan.items() if "helped me" in t)
    assert "Speaker 1, you get it" in dana[mention] and evan[helped].startswith("Speaker 1 helped me")
    text = study.store.document_text("interview-02")
    start = text.index("Speaker 1 helped me")
    for coder in ("HT", "SO"):
        study.code(mention, "qualitative_methods", coder=coder)
        study.code(("interview-02", start, start + len("Speaker 1 helped me")), "funding_resources", coder=coder)
        study.mark_seen(list(dana) + list(evan), coder=coder)
    before = study.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    table = study.frequencies().set_index("code_id")

    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,name,transcript\nP01,Dana,interview-01.txt\nP02,Evan,interview-02.txt\n", encoding="utf-8")
    report = study.ingest()
    warnings = [w for r in report.rows for w in r.warnings]
    assert not [w for w in warnings if w.startswith(("[W106]", "[W117]", "[W170]"))]
    assert study.store.codings(flagged=True).empty
    dana, evan = _turns(study, "interview-01"), _turns(study, "interview-02")
    assert "P01, you get it" in dana[mention] and evan[helped].startswith("P01 helped me")
    codings = study.store.codings()
    mentioned = codings.loc[codings["code_id"] == "qualitative_methods"]
    assert set(mentioned["segment_id"]) == {mention} and set(mentioned["text"]) == {dana[mention]}
    quoted = codings.loc[codings["code_id"] == "funding_resources"]
    assert set(quoted["segment_id"]) == {helped} and set(quoted["text"]) == {"P01 helped me"}
    new = study.store.document_text("interview-02")
    assert all(new[int(s):int(e)] == "P01 helped me" for s, e in zip(quoted["start"], quoted["end"]))
    seen = study.store.coverage()
    for coder in ("HT", "SO"):
        assert set(seen.loc[seen["coder"] == coder, "segment_id"]) == set(dana) | set(evan)
    after = study.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    assert after.loc["(all codes)", "n_shared"] == before.loc["(all codes)", "n_shared"] == len(dana) + len(evan)
    frequencies = study.frequencies().set_index("code_id")
    for code in ("qualitative_methods", "funding_resources"):
        assert frequencies.loc[code, "n_segments"] == table.loc[code, "n_segments"] == 1


def test_a_file_re_read_in_a_later_run_follows_its_own_speakers_new_ids(tmp_path: Path) -> None:
    """The key changed in an earlier run (only another file of Dana's was ingested then): the document's
    own old and new speaker labels still say Speaker 1 is now P01."""
    group = "Interviewer: Welcome.\nDana: Hello all.\nEvan: Hi Dana.\n"
    root = write_study(tmp_path / "s", {"interview-01.txt": DANA, "group-01.txt": group})
    study = Study(root)
    study.ingest()
    mention = next(s for s, t in _turns(study, "interview-01").items() if "you get it" in t)
    study.code(mention, "qualitative_methods", coder="HT")
    study.mark_seen([mention], coder="HT")
    raw = root / "data" / "raw"
    (raw / "participants.csv").write_text(
        "participant_id,name,transcript\nP01,Dana,interview-01.txt\nP02,Evan,\n", encoding="utf-8")
    study.ingest([raw / "group-01.txt"])  # the key now says P01; interview-01 is not re-read yet
    report = study.ingest()
    row = next(r for r in report.rows if r.document_id == "interview-01")
    assert row.status == "changed" and row.flagged == 0
    turns = _turns(study, "interview-01")
    coded = study.store.codings(coder="HT").iloc[0]
    assert coded["segment_id"] == mention and coded["text"] == turns[mention] and "P01, you get it" in coded["text"]
    assert list(study.store.coverage("HT")["segment_id"]) == [mention]
