"""A whole-turn coding follows its turn when a newer reader takes a speaker-label line out of the turn.

Older readers kept Teams-style ``Surname, Given   0:10`` lines inside each turn of a .txt; today's reader makes
them speaker labels, so every turn now starts after its label line. Re-anchoring kept each coding that covered
a whole old turn at its old span (its quote was found again), so it started before its new segment and held
the label line: the ingest said only "moved with their quote", the coder's sheet pre-ticked none of them
(a coding across the label gap belongs to no row), and re-ticking one stored a duplicate. Now such a coding
becomes a whole-turn coding of the one new segment inside its old span (span and text the segment's), logged
as a ``reanchor`` and counted as re-fitted; a coding on part of a turn keeps today's behaviour.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from coding.manual_support import codebook
from thematic.cli.main import app
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.models import Coding, Segment
from thematic.study import Study

TEAMS = """Okonkwo, Adaeze   0:03
Thanks for joining. What helped most?

Brannigan, Tove   0:10
Honestly the peer mentor. She knew the score, she had been there.

Okonkwo, Adaeze   0:25
And what got in the way?

Brannigan, Tove   0:31
The vetting check. Employers would not touch me. No funding for training either.
"""
DOC = "teams-chat"
runner = CliRunner()


def _as_an_older_reader_stored_it(study: Study) -> list[Segment]:
    """Store the document as a reader that kept each label line inside its turn would have, and mark it read
    by that older reader (its fingerprint differs), so the next ingest re-reads it."""
    doc = study.store.document(DOC)
    old = []
    for s in doc.segments:
        start = doc.text.rfind("\n", 0, s.start - 1) + 1  # the label line above the turn
        assert doc.text[start:s.start].rstrip().endswith(("0:03", "0:10", "0:25", "0:31"))
        old.append(dataclasses.replace(s, start=start, text=doc.text[start:s.end]))
    study.store.save_document(dataclasses.replace(doc, segments=tuple(old)))
    study.store.set_meta("ingest:fingerprint:" + DOC, "read by an older reader")
    return old


def _coding(seg: Segment, code: str, text: str, start: int | None = None) -> Coding:
    start = seg.start if start is None else start
    return Coding(DOC, start, start + len(text), code, "HT", text=text, segment_id=seg.id)


def _ticked(path: Path) -> dict[str, list[str]]:
    ws = openpyxl.load_workbook(path)["coding"]
    header = [c.value for c in ws[1]]
    codes = [h for h in header if h in {"shared_experience", "security_vetting", "funding"}]
    return {str(r[0].value): [h for h in codes if r[header.index(h)].value] for r in ws.iter_rows(min_row=2)}


def test_whole_turn_codings_are_refitted_to_their_turn_after_the_label_line_left_it(study: Study,
                                                                                   tmp_path: Path) -> None:
    (study.paths.raw / f"{DOC}.txt").write_text(TEAMS, encoding="utf-8")
    study.ingest()
    old = _as_an_older_reader_stored_it(study)
    cb = codebook()
    part_start = old[1].text.index("the peer mentor")
    study.store.add_codings([
        _coding(old[1], "shared_experience", old[1].text),
        _coding(old[3], "security_vetting", old[3].text),
        _coding(old[3], "funding", old[3].text),
        _coding(old[1], "funding", "the peer mentor", old[1].start + part_start),  # part of a turn
    ], actor="HT")

    report = study.ingest()

    (row,) = report.rows
    assert row.status == "changed" and row.flagged == 0
    assert row.refitted == 3 and row.reanchored == 0  # the partial coding's words did not move
    frame = report.to_frame()
    assert (int(frame.loc[0, "refitted"]), int(frame.loc[0, "reanchored"])) == (3, 0)
    doc = study.store.document(DOC)
    segs = {s.id: s for s in doc.segments}
    codings = study.store.codings(document=DOC)
    for c in codings.to_dict("records"):
        assert doc.text[int(c["start"]):int(c["end"])] == c["text"]
        if c["text"] == "the peer mentor":  # a partial coding keeps its words
            continue
        seg = segs[str(c["segment_id"])]
        assert (int(c["start"]), int(c["end"]), c["text"]) == (seg.start, seg.end, seg.text)
        assert "0:10" not in c["text"] and "0:31" not in c["text"]
    assert len(codings) == 4
    events = study.store.events()
    refitted = events[(events["kind"] == "reanchor") & events["note"].str.contains("re-fitted", na=False)]
    assert set(refitted["coding_id"]) == set(codings.loc[codings["text"] != "the peer mentor", "coding_id"])

    sheet = export_sheet(study.store, tmp_path / "HT.xlsx", coder="HT", codebook=cb, include_interviewer=True)
    assert sheet.prefilled == 4
    ticks = _ticked(sheet.path)
    assert sorted(ticks[f"{DOC}:1"]) == ["funding", "shared_experience"]
    assert sorted(ticks[f"{DOC}:3"]) == ["funding", "security_vetting"]
    again = import_sheet(study.store, sheet.path, coder="HT", codebook=cb)
    assert again.added == 0 and len(study.store.codings(document=DOC)) == 4  # nothing doubled


def test_a_coding_on_part_of_the_turn_and_label_stays_where_its_quote_is(study: Study) -> None:
    (study.paths.raw / f"{DOC}.txt").write_text(TEAMS, encoding="utf-8")
    study.ingest()
    old = _as_an_older_reader_stored_it(study)
    first_line = old[1].text.split("\n")[0] + "\nHonestly"
    study.store.add_codings([_coding(old[1], "funding", first_line)], actor="HT")

    (row,) = study.ingest().rows

    assert row.refitted == 0
    (c,) = study.store.codings(document=DOC).to_dict("records")
    assert (int(c["start"]), int(c["end"])) == (old[1].start, old[1].start + len(first_line))


def test_the_ingest_says_how_many_were_refitted(study: Study) -> None:
    (study.paths.raw / f"{DOC}.txt").write_text(TEAMS, encoding="utf-8")
    study.ingest()
    old = _as_an_older_reader_stored_it(study)
    study.store.add_codings([_coding(old[3], "funding", old[3].text)], actor="HT")

    result = runner.invoke(app, ["ingest", "--study", str(study.root)], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    assert "0 moved with their quote, 1 re-fitted to the whole of their turn" in " ".join(result.output.split())


def test_a_refit_that_would_double_a_coding_is_not_made(study: Study) -> None:
    (study.paths.raw / f"{DOC}.txt").write_text(TEAMS, encoding="utf-8")
    study.ingest()
    old = _as_an_older_reader_stored_it(study)
    words = old[1].text.split("\n", 1)[1]  # the turn without its label line, ticked again after an upgrade
    study.store.add_codings([_coding(old[1], "funding", old[1].text),
                             _coding(old[1], "funding", words, old[1].end - len(words))], actor="HT")

    (row,) = study.ingest().rows

    assert row.refitted == 0
    spans = sorted((int(c["start"]), int(c["end"])) for c in study.store.codings(document=DOC).to_dict("records"))
    assert spans == [(old[1].start, old[1].end), (old[1].end - len(words), old[1].end)]
