"""REFI-QDA round trips keep what a study holds (new-user exploration defects): suggestion status,
imported documents through the next ingest, participant mapping, the study's codebook, flags,
per-file segmentation and cue times, and typed attributes. Small fictional studies, real .qdpx files."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

import pandas as pd
import pytest

from thematic.refi import import_refi
from thematic.study import Study

from .unlike_example import TRANSCRIPTS, code_by_words, write_study

NS = {"q": "urn:QDA-XML:project:1.0"}


def _project(path):
    with zipfile.ZipFile(path) as z:
        return ET.fromstring(z.read("project.qde"))


def _validate(path, shared_dir):
    """The project.qde of ``path`` passes the official schema (as tests/refi/test_export does)."""
    import xmlschema

    with zipfile.ZipFile(path) as z:
        xml = z.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml)


def _suggested_study(tmp_path):
    root = write_study(tmp_path / "study", TRANSCRIPTS)
    with Study(root) as study:
        study.run_code(suggesters=["rules"])
        queue = study.review_queue()
        assert len(queue) >= 3
        study.decide(str(queue["coding_id"].iloc[0]), "accept", reviewer="SO")
        study.decide(str(queue["coding_id"].iloc[1]), "reject", reviewer="SO")
        pending = len(queue) - 2
        counted = study.frequencies()[["code_id", "n_segments"]].reset_index(drop=True)
    return root, pending, counted


def test_suggestions_come_back_as_suggestions_and_accepted_ones_with_their_reviewer(tmp_path, shared_dir):
    root, pending, counted = _suggested_study(tmp_path)
    with Study(root) as study:
        study.export_refi(tmp_path / "study.qdpx", include_suggested=True)
    _validate(tmp_path / "study.qdpx", shared_dir)
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        codings = copy.store.codings()
        assert (codings["status"] == "suggested").sum() == pending
        accepted = codings.loc[codings["status"] == "accepted"]
        assert len(accepted) == 1 and list(accepted["reviewer"]) == ["SO"]
        assert len(copy.review_queue()) == pending
        after = copy.frequencies()[["code_id", "n_segments"]].reset_index(drop=True)
        assert after.equals(counted)


SURVEY = ("Case,Age,freetext,other\nID4,24,I never have enough time for courses.,Evenings only.\n"
          "ID5,31,Work and family take all my time.,Grant money helps.\n"
          "ID6,67,The grant money ran out.,Nothing else.\n")
SEG_COLS = ["document_id", "start", "end", "speaker", "participant_id", "is_interviewer", "kind", "question"]
FREQ_COLS = ["code_id", "source", "n_segments", "n_participants", "N_participants"]


def _segments(study):
    segs = study.store.segments()
    return segs[SEG_COLS].astype(str).sort_values(["document_id", "start"]).values.tolist()


def _freq(study):
    return study.frequencies()[FREQ_COLS].astype(str).values.tolist()


def _coded_survey_study(tmp_path):
    root = write_study(tmp_path / "study", {**TRANSCRIPTS, "survey.csv": SURVEY})
    with Study(root) as study:
        study.ingest()
        code_by_words(study, {"time_pressure": ("time",), "funding_resources": ("grant", "funding")})
        study.export_refi(tmp_path / "study.qdpx")
    return root


def test_an_imported_study_keeps_its_segments_through_the_next_ingest_and_code(tmp_path):
    from typer.testing import CliRunner

    from thematic.cli.main import app

    _coded_survey_study(tmp_path)
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        segments, table = _segments(copy), _freq(copy)
        assert any(row[7] != "None" and row[4] == "ID4" for row in segments)  # survey answers with respondents
        report = copy.ingest()
        assert all(r.status == "unchanged" for r in report.rows), [(r.path, r.status, r.warnings) for r in report.rows]
        assert _segments(copy) == segments and _freq(copy) == table
    result = CliRunner().invoke(app, ["code", "--study", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert "W107" not in result.output
    with Study(tmp_path / "copy") as copy:
        assert _segments(copy) == segments and _freq(copy) == table


def test_an_imported_document_whose_text_changes_is_read_again_with_a_warning(tmp_path):
    _coded_survey_study(tmp_path)
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    raw = sorted((tmp_path / "copy" / "data" / "raw" / "refi").glob("ana*.txt"))[0]
    raw.write_text(raw.read_text(encoding="utf-8") + "Ana: One more thing about time.\n", encoding="utf-8")
    with Study(tmp_path / "copy") as copy:
        report = copy.ingest()
        row = next(r for r in report.rows if r.path.endswith(raw.name))
        assert row.status == "changed"
        assert any("W50" in w and "REFI" in w for w in row.warnings), row.warnings
        assert len(copy.store.codings(document=row.document_id)) > 0


PARTICIPANTS = "participant_id,name,role\nP1,Ana,nurse\nP2,David,doctor\n"


def _coded_interviews(tmp_path, with_roster):
    from .unlike_example import code_two_coders

    root = write_study(tmp_path / "study", TRANSCRIPTS)
    if with_roster:
        (root / "data" / "raw" / "participants.csv").write_text(PARTICIPANTS, encoding="utf-8")
    code_two_coders(root)
    return root



@pytest.mark.parametrize("with_roster", [False, True], ids=["no-participants-csv", "participants-csv"])
def test_importing_a_study_s_own_export_back_changes_no_table(tmp_path, with_roster):
    root = _coded_interviews(tmp_path, with_roster)
    roster = root / "data" / "raw" / "participants.csv"
    before_roster = roster.read_bytes() if with_roster else None
    with Study(root) as study:
        table, segments = _freq(study), _segments(study)
        study.export_refi(tmp_path / "study.qdpx")
        import_refi(tmp_path / "study.qdpx", study)
    assert (roster.read_bytes() if roster.exists() else None) == before_roster  # no participants.csv appears
    with Study(root) as study:
        report = study.ingest()
        assert not [w for r in report.rows for w in r.warnings if "W020" in w or "W021" in w]
        assert _freq(study) == table and _segments(study) == segments


def test_importing_into_a_study_keeps_its_only_codebook_and_reports_new_codes(tmp_path):
    from typer.testing import CliRunner

    from thematic.cli.main import app

    root = _coded_interviews(tmp_path, False)
    with Study(root) as study:
        study.export_refi(tmp_path / "study.qdpx")
        chosen = study.codebook_path
    for _ in range(2):  # the same file again: still one codebook, nothing written
        report = import_refi(tmp_path / "study.qdpx", root)
        assert report.codebook_path is None
        assert sorted(p.name for p in (root / "codebooks").glob("*.y*ml")) == ["small-study.yaml"]
    # a file that brings a new code: the study keeps its codebook; the new one is reported and put aside
    other = write_study(tmp_path / "other", TRANSCRIPTS)
    (other / "codebooks" / "small-study.yaml").write_text(
        (other / "codebooks" / "small-study.yaml").read_text(encoding="utf-8")
        + "- id: peer_support\n  label: Peer support\n  parent: work_life\n  definition: Help from colleagues.\n",
        encoding="utf-8")
    with Study(other) as o:
        o.export_refi(tmp_path / "other.qdpx")
    result = CliRunner().invoke(app, ["refi", "import", str(tmp_path / "other.qdpx"), "--study", str(root)])
    assert result.exit_code == 0, result.output
    assert "peer_support" in result.output and "small-study.yaml" in result.output
    with Study(root) as study:
        assert study.codebook_path == chosen
        assert sorted(p.name for p in (root / "codebooks").glob("*.y*ml")) == ["small-study.yaml"]
        assert len(list((root / "codebooks" / "imported").glob("*.yaml"))) == 1
    result = CliRunner().invoke(app, ["code", "--study", str(root)])
    assert result.exit_code == 0 and "E051" not in result.output, result.output


def test_importing_into_a_new_study_writes_one_codebook(tmp_path):
    root = _coded_interviews(tmp_path, False)
    with Study(root) as study:
        study.export_refi(tmp_path / "study.qdpx")
    report = import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    assert report.codebook_path == tmp_path / "copy" / "codebooks" / "codebook.yaml"
    assert [p.name for p in (tmp_path / "copy" / "codebooks").rglob("*.y*ml")] == ["codebook.yaml"]


def test_a_coding_s_flag_and_memo_survive_the_round_trip(tmp_path, shared_dir):
    root = _coded_interviews(tmp_path, False)
    with Study(root) as study:
        ht = study.store.codings(coder="HT")
        flagged, memoed = str(ht["coding_id"].iloc[0]), str(ht["coding_id"].iloc[1])
        study.store.flag_codings([flagged], "split: check against peer_support", actor="HT")
        study.store.update_codings({memoed: {"memo": "Quote for chapter 2."}}, kind="memo", actor="HT")
        want = ht.set_index("coding_id").loc[[flagged, memoed], ["document_id", "start", "end", "code_id"]]
        study.export_refi(tmp_path / "study.qdpx")
    _validate(tmp_path / "study.qdpx", shared_dir)
    report = import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    assert report.imported["memos"] >= 1  # the coding memo is counted
    with Study(tmp_path / "copy") as copy:
        back = copy.store.codings(coder="HT").set_index(["document_id", "start", "end", "code_id"])
        f = back.loc[tuple(want.iloc[0])]
        m = back.loc[tuple(want.iloc[1])]
        assert f["flag"] == "split: check against peer_support" and f["status"] == "manual"
        assert m["memo"] == "Quote for chapter 2." and pd.isna(m["flag"])


def test_two_suggesters_accepted_on_one_span_are_one_coding_of_the_reviewer(tmp_path, shared_dir):
    from thematic.models import Coding, Provenance

    root = _coded_interviews(tmp_path, False)
    with Study(root) as study:
        seg = study.store.segments().iloc[1]
        rows = [Coding(document_id=str(seg["document_id"]), start=int(seg["start"]), end=int(seg["end"]),
                       code_id="funding_resources", coder=name, status="suggested", text=str(seg["text"]),
                       provenance=Provenance("suggester", name)) for name in ("thematic.rules.v1", "thematic.embed.v1")]
        study.store.add_codings(rows)
        study.store.set_status([c.id for c in rows], "accepted", actor="SO")
        study.export_refi(tmp_path / "study.qdpx")
    _validate(tmp_path / "study.qdpx", shared_dir)
    xml = _project(tmp_path / "study.qdpx")
    keys = [(sel.get("startPosition"), c.find("q:CodeRef", NS).get("targetGUID"), c.get("creatingUser"))
            for sel in xml.iterfind(".//q:PlainTextSelection", NS) for c in sel.iterfind("q:Coding", NS)]
    assert len(keys) == len(set(keys))
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        acc = copy.store.codings(status="accepted")
        assert sorted(zip(acc["coder"], acc["reviewer"])) == [("thematic.embed.v1", "SO"), ("thematic.rules.v1", "SO")]


VTT = """WEBVTT

1
00:00:01.500 --> 00:00:04.000
<v Interviewer>What takes your time?</v>

2
00:00:05.000 --> 00:00:09.250
<v Rosa>Marking, mostly. There is never enough time.</v>

3
00:00:09.400 --> 00:00:12.000
<v Rosa>And the grant reports.</v>
"""
LONG = ("Interviewer: Tell me about the week.\n"
        "Ben: Monday is teaching.\n\nTuesday is meetings, all day.\n\nThe rest is research, if there is time.\n")


def test_per_file_units_and_cue_times_survive_export_and_import(tmp_path, shared_dir):
    root = write_study(tmp_path / "study", {"rosa.vtt": VTT, "ben.txt": LONG})
    with open(root / "thematic.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[ingest.files."ben.txt"]\nunit = "paragraph"\n')
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        assert segs["time_start"].notna().sum() == 2 and (segs["kind"] == "paragraph").sum() >= 3
        cols = [*SEG_COLS, "time_start", "time_end", "text"]
        before = segs[cols].astype(str).sort_values(["document_id", "start"]).values.tolist()
        study.export_refi(tmp_path / "study.qdpx")
    _validate(tmp_path / "study.qdpx", shared_dir)
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        segs = copy.store.segments()
        assert segs[cols].astype(str).sort_values(["document_id", "start"]).values.tolist() == before
        copy.ingest()
        segs = copy.store.segments()
        assert segs[cols].astype(str).sort_values(["document_id", "start"]).values.tolist() == before


def test_a_layout_file_for_another_text_is_not_used(tmp_path):
    from thematic.refi.layout import layout_json, read_layout
    from thematic.models import Segment

    text = "Ana: one.\nBen: two.\n"
    layout = layout_json(text, [Segment("d", 0, 0, 9, text[:9], speaker="Ana")]).encode()
    assert read_layout("d", text, layout)[0][0].speaker == "Ana"
    segments, why = read_layout("d", text + "more\n", layout)
    assert segments is None and "differs" in why
    assert read_layout("d", text, b"{not json")[0] is None


def test_participant_attributes_from_participants_csv_are_exported_typed_and_come_back_typed(tmp_path, shared_dir):
    root = _coded_interviews(tmp_path, False)
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,name,role,age,score,on_leave,code\n"
        "P1,Ana,nurse,34,2.5,true,007\nP2,David,doctor,51,,False,12\n", encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        study.export_refi(tmp_path / "study.qdpx")
    _validate(tmp_path / "study.qdpx", shared_dir)
    xml = _project(tmp_path / "study.qdpx")
    types = {v.get("name"): v.get("typeOfVariable") for v in xml.iterfind("q:Variables/q:Variable", NS)}
    assert {k: types[k] for k in ("role", "age", "score", "on_leave", "code")} == {
        "role": "Text", "age": "Integer", "score": "Float", "on_leave": "Boolean", "code": "Text"}
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        people = {p.id: dict(p.attributes) for p in copy.store.participant_records()}
    assert people["P1"] == {"role": "nurse", "age": 34, "score": 2.5, "on_leave": True, "code": "007"}
    assert people["P2"] == {"role": "doctor", "age": 51, "on_leave": False, "code": "12"}
