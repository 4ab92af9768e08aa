"""A coding sheet's memo edit keeps the suggester's evidence, and an untick with the memo cell left as
exported raises no W346.

(a) Unticking every code of a row whose memo cell the coder did not touch reported "[W346] a memo on a row
with no codes was not stored" under "Cells not read", though the row was read and applied and no memo was
written. W346 is now raised only for a memo the coder actually wrote.
(b) An accepted suggestion's memo is the suggester's evidence (``coding.evidence``); a memo edit in the
sheet replaced it, and so did ``code`` with ``memo=`` on a span the coder owns through an accepted
suggestion. Both now keep the evidence and add the coder's note on a line of its own ("AB: ...");
writing the note again replaces the note, never the evidence.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from coding.manual_support import fill_study
from thematic.models import Coding, Provenance

EVIDENCE = "keyword 'vetting'; keyword 'clearance'"


def _suggest(store, seg_id: str, code_id: str, memo: str) -> str:  # noqa: ANN001
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, "thematic.rules.v1", status="suggested",
               text=seg.text, segment_id=seg.id, confidence=0.6,
               provenance=Provenance("suggester", "thematic.rules.v1"), memo=memo)
    store.add_codings([c])
    return c.id


@pytest.fixture
def accepted(study):  # noqa: ANN001, ANN201 - AB accepted two suggestions, each with its evidence
    fill_study(study)
    study.untick = _suggest(study.store, "int-01:1", "generativity", "keyword 'give something back'")
    study.kept = _suggest(study.store, "int-01:3", "security_vetting", EVIDENCE)
    for cid in (study.untick, study.kept):
        study.decide(cid, "accept", reviewer="AB")
    return study


def _edit(study, path: Path, changes: dict[tuple[str, str], object]) -> Path:  # noqa: ANN001
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (sid, col), value in changes.items():
        ws.cell(rows[sid], cols[col]).value = value
    out = path.with_name("back-" + path.name)
    wb.save(out)
    return out


def _memo_cell(path: Path, sid: str) -> str | None:
    ws = openpyxl.load_workbook(path)["coding"]
    cols = {c.value: c.column for c in ws[1]}
    return next(ws.cell(r, cols["memo"]).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == sid)


def test_untick_with_the_memo_left_as_exported_is_no_w346(accepted, tmp_path) -> None:  # noqa: ANN001
    path = accepted.export_sheet(tmp_path / "AB.xlsx", coder="AB").path
    report = accepted.import_sheet(_edit(accepted, path, {("int-01:1", "generativity"): None}), coder="AB")
    assert report.rejected == 1
    assert [p.code for p in report.problems()] == []
    assert accepted.store.coding(accepted.untick)["memo"] == "keyword 'give something back'"


def test_a_memo_written_on_a_row_left_without_codes_is_still_w346(accepted, tmp_path) -> None:  # noqa: ANN001
    path = accepted.export_sheet(tmp_path / "AB.xlsx", coder="AB").path
    back = _edit(accepted, path, {("int-01:1", "generativity"): None, ("int-01:1", "memo"): "not this one"})
    report = accepted.import_sheet(back, coder="AB")
    assert [p.code for p in report.problems()] == ["W346"]


def test_a_sheet_memo_edit_keeps_the_evidence(accepted, tmp_path) -> None:  # noqa: ANN001
    path = accepted.export_sheet(tmp_path / "AB.xlsx", coder="AB").path
    assert _memo_cell(path, "int-01:3") == EVIDENCE
    report = accepted.import_sheet(_edit(accepted, path, {("int-01:3", "memo"): "clearly about vetting"}),
                                   coder="AB")
    assert report.memos == 1
    assert accepted.store.coding(accepted.kept)["memo"] == f"{EVIDENCE}\nAB: clearly about vetting"

    again = accepted.export_sheet(tmp_path / "AB2.xlsx", coder="AB").path  # as exported: no edit
    assert accepted.import_sheet(again, coder="AB").memos == 0
    cell = _memo_cell(again, "int-01:3")
    report = accepted.import_sheet(_edit(accepted, again, {("int-01:3", "memo"): cell.replace("clearly", "surely")}),
                                   coder="AB")
    assert report.memos == 1
    assert accepted.store.coding(accepted.kept)["memo"] == f"{EVIDENCE}\nAB: surely about vetting"

    third = accepted.export_sheet(tmp_path / "AB3.xlsx", coder="AB").path  # the coder clears the cell
    accepted.import_sheet(_edit(accepted, third, {("int-01:3", "memo"): None}), coder="AB")
    assert accepted.store.coding(accepted.kept)["memo"] == EVIDENCE


def test_code_with_a_memo_keeps_the_evidence_too(accepted) -> None:  # noqa: ANN001
    accepted.code("int-01:3", "security_vetting", coder="AB", memo="first note")
    accepted.code("int-01:3", "security_vetting", coder="AB", memo="second note")
    assert accepted.store.coding(accepted.kept)["memo"] == f"{EVIDENCE}\nAB: second note"
