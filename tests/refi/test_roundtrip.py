"""Acceptance: a study exported to .qdpx and imported into a new study comes back the same."""

from __future__ import annotations

from pathlib import Path

from thematic.codebook import load_codebook
from thematic.refi import export_refi, import_refi
from thematic.study import Study


def _codings(study: Study) -> set[tuple]:
    df = study.store.codings()
    return {(r.document_id, int(r.start), int(r.end), r.code_id, r.coder, r.text) for r in df.itertuples()}


def test_roundtrip_qdpx_keeps_documents_codes_codings_and_attributes(coded_study: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_refi(coded_study, out)
    report = import_refi(out, tmp_path / "copy")
    copy = Study(tmp_path / "copy")

    assert report.created_study and report.not_carried_over == [] and report.mismatches == []
    assert report.verified == 7  # every exported selection (6 coded: one per passage and coder, 1 memo) checked
    # documents: same ids and the same (non-ASCII) normalised text
    for doc_id in ("int-01", "int-02"):
        assert copy.store.document(doc_id).text == coded_study.store.document(doc_id).text
        assert copy.store.document(doc_id).title == coded_study.store.document(doc_id).title
    assert copy.store.document("int-02").attributes["memos"][0]["memo"] == "Ask about 2020."
    # codes: same ids, labels, hierarchy, definitions, criteria and colours
    before, after = load_codebook(coded_study.codebook_path), load_codebook(copy.codebook_path)
    assert list(after.entries) == list(before.entries)
    for code in before:
        twin = after[code.id]
        assert (twin.label, twin.parent, twin.definition, twin.include, twin.exclude, twin.examples, twin.color) == (
            code.label, code.parent, code.definition, code.include, code.exclude, code.examples, code.color)
    assert after.ancestors("vetting_delay")[-1].id == "barriers"  # three levels deep
    assert "Merge with shared_experience?" in (after["role_model"].memo or "")
    # codings: manual + accepted by default (the suggestion and the rejection stay behind)
    counted = {c for c in _codings(coded_study) if c[4] != "thematic.rules.v1" or c[1:4] == (65, 83, "vetting")}
    assert _codings(copy) == counted
    assert set(copy.store.codings()["source"]) == {"refi"}
    memo = copy.store.codings(coder="AB", code="shared_experience")["memo"].iloc[0]
    assert memo == "Strong example; quote in chapter 3."
    # participants and their attributes, with their types
    people = {p.id: dict(p.attributes) for p in copy.store.participant_records()}
    assert people == {p.id: dict(p.attributes) for p in coded_study.store.participant_records()}
    copy.close()


def test_roundtrip_include_suggested_exports_pending_suggestions(coded_study: Study, tmp_path: Path) -> None:
    out = tmp_path / "all.qdpx"
    summary = export_refi(coded_study, out, include_suggested=True)
    assert summary.counts["codings"] == 7
    import_refi(out, tmp_path / "copy")
    copy = Study(tmp_path / "copy")
    rules = copy.store.codings(coder="thematic.rules.v1")
    # the accepted one stays accepted; the pending one comes back pending (a suggestion never counts unreviewed)
    assert set(zip(rules["code_id"], rules["status"])) == {("vetting", "accepted"), ("shared_experience", "suggested")}
    copy.close()


def test_roundtrip_reimport_into_same_study_adds_nothing(coded_study: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_refi(coded_study, out)
    n_before = len(coded_study.store.codings())
    report = import_refi(out, coded_study)
    assert report.imported["documents reused"] == 2 and report.imported["documents"] == 0
    assert report.imported["codings"] == 0 and report.imported["codings already present"] == 6
    assert len(coded_study.store.codings()) == n_before
    assert report.codebook_path is None  # every code is already in the study's codebook: nothing written
    assert sorted(p.name for p in (coded_study.root / "codebooks").rglob("*.yaml")) == ["codebook.yaml"]


def test_roundtrip_study_facade(coded_study: Study, tmp_path: Path) -> None:
    summary = coded_study.export_refi(tmp_path / "s.qdpx")
    other = Study(tmp_path / "study")  # the same study: importing its own export adds nothing new
    report = other.import_refi(summary.path)
    assert summary.kind == "qdpx" and report.imported["codings"] == 0
