"""A note written in a coding sheet beside two accepted suggestions goes to each as the coder's note only.

The memo cell of a turn shows all its codings' memos joined with "; "; for a suggestion the coder accepted that
is the suggester's evidence. When the coder added a note there, each accepted suggestion took only its own
evidence out of the cell, so it stored the other suggestion's evidence as the coder's words ("SO: keyword
'funding'; ; both apply here"). Now the evidence of every suggestion on the row is taken out: each coding
keeps its own evidence and gets the coder's note alone, and a manual coding of the row gets no evidence at all.
"""

from __future__ import annotations

import pytest

from coding.manual_support import codebook, edit_sheet, fill_store
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.models import Coding, Provenance


def _accepted(store, seg_id: str, code_id: str, evidence: str) -> None:
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, "thematic.rules.v1", status="suggested",
               text=seg.text, segment_id=seg.id, confidence=0.9, codebook_version="1.2.0",
               provenance=Provenance("suggester", "thematic.rules.v1", {}), memo=evidence)
    store.add_codings([c])
    store.set_status([c.id], "accepted", actor="SO")


@pytest.fixture
def two_accepted(store):
    fill_store(store)
    _accepted(store, "int-01:3", "funding", "keyword 'funding'")
    _accepted(store, "int-01:3", "security_vetting", "keyword 'vetting'")
    return store


def _memos(store, segment: str) -> dict[str, str]:
    c = store.codings()
    c = c[c["segment_id"] == segment]
    return dict(zip(c["code_id"], c["memo"]))


def _export(store, tmp_path, name: str = "SO.xlsx"):
    path = export_sheet(store, tmp_path / name, coder="SO", codebook=codebook()).path
    import openpyxl

    ws = openpyxl.load_workbook(path)["coding"]
    cols = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "int-01:3")
    return path, str(ws.cell(row, cols["memo"]).value)


def test_each_accepted_suggestion_keeps_its_evidence_and_gets_the_note(two_accepted, tmp_path) -> None:
    path, cell = _export(two_accepted, tmp_path)
    assert "keyword 'funding'" in cell and "keyword 'vetting'" in cell
    edit_sheet(path, {("int-01:3", "memo"): cell + "; both apply here"})
    report = import_sheet(two_accepted, path, coder="SO", codebook=codebook())
    assert report.memos == 2
    assert _memos(two_accepted, "int-01:3") == {"funding": "keyword 'funding'\nSO: both apply here",
                                                "security_vetting": "keyword 'vetting'\nSO: both apply here"}


def test_the_coders_earlier_note_is_kept_when_they_add_to_it(two_accepted, tmp_path) -> None:
    path, cell = _export(two_accepted, tmp_path)
    edit_sheet(path, {("int-01:3", "memo"): cell + "; both apply here"})
    import_sheet(two_accepted, path, coder="SO", codebook=codebook())
    path, cell = _export(two_accepted, tmp_path, "SO-2.xlsx")
    edit_sheet(path, {("int-01:3", "memo"): cell.replace("both apply here", "both apply, see turn 1")})
    import_sheet(two_accepted, path, coder="SO", codebook=codebook())
    assert _memos(two_accepted, "int-01:3") == {"funding": "keyword 'funding'\nSO: both apply, see turn 1",
                                                "security_vetting": "keyword 'vetting'\nSO: both apply, see turn 1"}


def test_a_manual_coding_beside_an_accepted_suggestion_gets_no_evidence(store, tmp_path) -> None:
    fill_store(store)
    _accepted(store, "int-01:3", "funding", "keyword 'funding'")
    code(store, "int-01:3", "shared_experience", coder="SO", codebook=codebook(), memo="been there")
    path, cell = _export(store, tmp_path)
    edit_sheet(path, {("int-01:3", "memo"): cell + "; says it twice"})
    import_sheet(store, path, coder="SO", codebook=codebook())
    memos = _memos(store, "int-01:3")
    assert memos["shared_experience"] == "been there; says it twice"
    assert memos["funding"] == "keyword 'funding'\nSO: been there; says it twice"
