"""A reconciled study keeps its consensus through a REFI-QDA round trip, and says so where it cannot.

What was wrong: ``thematic refi export`` wrote neither the segments each coder saw nor which segments the
consensus coder settled, nor the decision log, and the import gave every coding provenance ``refi``. A
reconciled study imported into a new study therefore counted, in every table, the codes the team had decided
against (Waiting 1 of 5 became 2 of 5), its agreement lost the turns a coder read and left uncoded, nothing
warned at export or import, and ``thematic reconcile`` then refused the consensus coder (E610).

What is true now: the export carries what each coder saw, the consensus's settled segments and decisions in
``sources/<GUID>.records.json`` beside each text (the XML still validates against the REFI schema) and marks
the consensus codings' notes with a ``thematic-reconcile:`` line; a thematic import reads them back, so the
tables, agreement and decision log after the round trip equal those before. The export warns (W541) what other
programs will see. An import that gets a consensus coder without its settled segments (a file through another
program, or from one) warns (W543) and the tables say that coder settled nothing; one whose consensus coder is
not the study's says so (W544); a records file that no longer fits its text is named (W542).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from thematic.analysis.frames import load_frames
from thematic.reconcile import reconcile_items, settle, settle_agreed
from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

CODEBOOK = """\
name: cb
version: 0.1.0
themes:
- {id: barriers, label: Barriers, definition: What got in the way.}
codes:
- {id: waiting, label: Waiting, parent: barriers, definition: Delays.}
- {id: transport, label: Transport, parent: barriers, definition: Buses.}
"""
ANSWERS = ["Waiting three months", "The bus there", "Nobody rang back", "Two buses each way", "Fine thanks"]


def _reconciled(tmp_path: Path) -> Study:
    """A survey of 5 respondents: HT and SO saw every answer (SO left two uncoded); the team decided R3's
    'Nobody rang back' is not about waiting (HT had coded it)."""
    study = init_study(tmp_path / "st", name="survey")
    (study.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["respondent_id", "What was hardest?"])
    for i, answer in enumerate(ANSWERS, 1):
        ws.append([f"R{i}", answer])
    wb.save(study.root / "data" / "raw" / "survey.xlsx")
    with open(study.root / "thematic.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[ingest.survey."survey.xlsx"]\nid_column = "respondent_id"\ntext_columns = ["What was hardest?"]\n')
    study.close()
    study = Study(tmp_path / "st")
    study.ingest()
    ids = list(study.segments()["segment_id"])
    for i, code in [(0, "waiting"), (1, "transport"), (2, "waiting"), (3, "transport")]:
        study.code(ids[i], code, coder="HT")
    for i, code in [(0, "waiting"), (1, "transport"), (3, "transport")]:
        study.code(ids[i], code, coder="SO")
    study.mark_seen(ids, coder="HT", source="sheet")
    study.mark_seen(ids, coder="SO", source="sheet")  # R3 and R5 read and left uncoded
    items = reconcile_items(study.store, coders=["HT", "SO"])
    settle_agreed(study.store, items, coders=["HT", "SO"], consensus="consensus", decided_by="HT", route="sheet")
    [disputed] = [i for i in items if i.disputed]
    settle(study.store, disputed, [], coders=["HT", "SO"], consensus="consensus", decided_by="HT", route="sheet",
           memo="not about waiting")
    return study


def _tables(study: Study) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    freq = study.frequencies(level="code").reset_index(drop=True)
    agree = study.agreement(["HT", "SO"], n_boot=0).reset_index(drop=True)
    return freq, agree, load_frames(study).consensus_note


def _decisions(study: Study) -> list[tuple]:
    log = study.store.decisions()
    return [tuple(r) for r in log[["consensus", "coders", "segment_id", "code_id", "applied", "memo", "decided_by",
                                   "route"]].itertuples(index=False)]


def test_a_reconciled_study_comes_back_with_the_same_tables(tmp_path: Path) -> None:
    study = _reconciled(tmp_path)
    freq, agree, note = _tables(study)
    assert freq.set_index("code_id").loc["waiting", "n_participants"] == 1  # the team's decision counts
    out = tmp_path / "st.qdpx"
    summary = export_refi(study, out)
    report = import_refi(out, tmp_path / "copy")
    copy = Study(tmp_path / "copy")
    freq2, agree2, note2 = _tables(copy)
    pd.testing.assert_frame_equal(freq2, freq)
    assert report.not_carried_over == [] and report.mismatches == []
    assert any(n.startswith("[W541]") and "'consensus'" in n for n in summary.notes)
    pd.testing.assert_frame_equal(agree2, agree)  # SO's uncoded R3 and R5 are still seen: the same units
    assert note2 == note and "settled" in note
    assert _decisions(copy) == _decisions(study)
    cover = copy.store.coverage("consensus")
    assert len(cover) == 5 and set(cover["source"]) == {"reconcile:sheet"}
    consensus = copy.store.codings(coder="consensus")
    assert set(consensus["source"]) == {"reconcile"}
    assert reconcile_items(copy.store, coders=["HT", "SO"]) == []  # nothing to settle again, and no E610
    copy.close()
    study.close()


def test_the_records_file_keeps_the_project_xml_valid(tmp_path: Path, shared_dir: Path) -> None:
    import xmlschema

    study = _reconciled(tmp_path)
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode("utf-8")
        names = z.namelist()
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml)
    assert "thematic-reconcile: HT,SO; sheet" in xml
    assert any(n.startswith("sources/") and n.endswith(".records.json") for n in names)
    study.close()


def _without_records(src: Path, dst: Path, *, keep_notes: bool = True) -> Path:
    """``src`` as another program would give it back: no thematic side files (and, optionally, no notes)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            if name.endswith(".records.json"):
                continue
            data = zin.read(name)
            if name == "project.qde" and not keep_notes:
                data = data.replace(b"thematic-reconcile: HT,SO; sheet", b"")
            zout.writestr(name, data)
    return dst


@pytest.mark.parametrize("keep_notes", [True, False])
def test_a_consensus_without_its_settled_segments_is_named(tmp_path: Path, keep_notes: bool) -> None:
    study = _reconciled(tmp_path)
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    other = _without_records(out, tmp_path / "other.qdpx", keep_notes=keep_notes)
    report = import_refi(other, tmp_path / "copy")
    [warning] = [w for w in report.not_carried_over if w.startswith("[W543]")]
    assert "'consensus'" in warning and "3 coding(s)" in warning
    copy = Study(tmp_path / "copy")
    note = load_frames(copy).consensus_note
    assert "'consensus'" in note and "settled no segment" in note  # the tables say it, too
    copy.close()
    study.close()


def test_a_consensus_the_study_does_not_count_is_named(tmp_path: Path) -> None:
    study = _reconciled(tmp_path)
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    target = init_study(tmp_path / "team", name="team")
    with open(target.root / "thematic.toml", "r+", encoding="utf-8") as fh:
        text = fh.read().replace('consensus = "consensus"', 'consensus = "Team"', 1)
        fh.seek(0)
        fh.write(text)
        fh.truncate()
    target.close()
    report = import_refi(out, tmp_path / "team")
    [warning] = [w for w in report.notes if w.startswith("[W544]")]
    assert "'consensus'" in warning and "'Team'" in warning
    study.close()


def test_records_that_no_longer_fit_their_text_are_named(tmp_path: Path) -> None:
    study = _reconciled(tmp_path)
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(edited, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name.endswith(".txt"):
                data += b"\n\nR6\nWhat was hardest?\nNothing\n"  # edited in another program
            zout.writestr(name, data)
    report = import_refi(edited, tmp_path / "copy")
    [warning] = [w for w in report.not_carried_over if w.startswith("[W542]")]
    assert "survey" in warning and "text differs" in warning
    study.close()


def test_importing_the_export_back_adds_no_record_twice(tmp_path: Path) -> None:
    study = _reconciled(tmp_path)
    freq, agree, note = _tables(study)
    seen, log = len(study.store.coverage()), len(study.store.decisions())
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    report = import_refi(out, study)
    assert "segments recorded as seen" not in report.imported and "consensus decisions" not in report.imported
    assert (len(study.store.coverage()), len(study.store.decisions())) == (seen, log)
    freq2, agree2, note2 = _tables(study)
    pd.testing.assert_frame_equal(freq2, freq)
    assert note2 == note
    study.close()
