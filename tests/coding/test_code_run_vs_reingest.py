"""A transcript re-ingested while `thematic code` was suggesting got suggestions at its OLD offsets.

`thematic code` reads the segments and computes its suggestions outside any transaction; only the write
is one. When another command re-ingested a corrected transcript meanwhile, the run stored the
suggestions it had computed on the old text, at the old offsets and segment ids, on the new text: each
quote now pointed at another passage, nothing was flagged or said, and nothing repaired them later.
Now the write compares each planned document with what the store holds inside its transaction: the
suggestions of a document that changed are not stored, the run says so (W390, naming the document and
`thematic code`), the document is not recorded as done, and the next `thematic code` suggests on its
new text. This holds for a run in this process, for a suggester streamed from a runner process, and for
the Dask path (which commits document by document).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from coding.assisted_support import write_codebook
from thematic.codebook import load_codebook
from thematic.coding.run import code
from thematic.study import Study, init_study

RULES = "thematic.rules.v1"

ANA = (
    "Interviewer: How did you start as a mentor?\n"
    "Ana: The vetting took five months before I could go on the wing.\n"
    "Interviewer: And the money side?\n"
    "Ana: We had no grant left for the mentoring course, the funding stopped.\n"
    "Interviewer: What helps the men you see?\n"
    "Ana: I have been there myself, we are in the same boat.\n"
)
#: Ana's corrected transcript: a consent exchange before the first question shifts every later offset and id.
ANA_CORRECTED = ANA.replace(
    "Interviewer: How did you start",
    "Interviewer: Before we start, you can stop the recording at any time, is that fine?\n"
    "Ana: Yes, that is fine, go ahead.\n"
    "Interviewer: How did you start", 1)
BEN = (
    "Interviewer: What gets in the way?\n"
    "Ben: My security clearance came back refused because of an old conviction.\n"
    "Interviewer: Anything else?\n"
    "Ben: The budget cuts hit us hard, there is no money.\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A study with two ingested interviews (Ana's and Ben's) and the fixture codebook, not yet coded."""
    s = init_study(tmp_path / "study", name="reingest race")
    try:
        write_codebook(s)
        (s.paths.raw / "ana.txt").write_text(ANA, encoding="utf-8")
        (s.paths.raw / "ben.txt").write_text(BEN, encoding="utf-8")
        s.ingest()
        return Path(s.root)
    finally:
        s.close()


def _reingest_corrected_ana(root: Path) -> None:
    """What another terminal does: correct Ana's transcript and `thematic ingest` it (its own connection)."""
    (root / "data" / "raw" / "ana.txt").write_text(ANA_CORRECTED, encoding="utf-8")
    with Study(root) as other:
        report = other.ingest()
    assert "ana" in report.changed_documents


def _stale(s: Study) -> list[tuple[str, str, str]]:
    """Unflagged codings whose stored quote is not the document's text at their offsets."""
    texts = {d: s.store.document(d).text for d in s.store.document_hashes()}
    cods = s.store.codings()
    return [(c["coding_id"], c["text"], texts[c["document_id"]][c["start"]:c["end"]])
            for c in cods.to_dict("records")
            if c["flag"] is None and texts[c["document_id"]][c["start"]:c["end"]] != c["text"]]


def _done(s: Study) -> dict[str, str]:
    """The documents the rules suggester has recorded as done (what the next run skips)."""
    return json.loads(s.store.get_meta(f"assisted:{RULES}") or "{}").get("documents", {})


def _ana_suggestions_on_new_text(root: Path) -> None:
    """A second `thematic code` suggests on Ana's corrected transcript, at its offsets."""
    with Study(root) as s:
        again = code(s, suggesters=["rules"])
        assert again.runs[0].status == "ran" and again.runs[0].documents == 1
        assert not any("[W390]" in n for n in again.notes)
        ana = s.store.codings(document="ana", status="suggested")
        text = s.store.document("ana").text
        assert len(ana) == 3 and again.added == 3
        assert set(ana["segment_id"]) == {"ana:3", "ana:5", "ana:7"}  # the ids after the inserted exchange
        for c in ana.to_dict("records"):
            seg = s.store.segment(c["segment_id"])
            assert text[c["start"]:c["end"]] == c["text"] and seg.start <= c["start"] < c["end"] <= seg.end
        assert _stale(s) == [] and "ana" in _done(s)


def test_code_run_reingest_while_suggesting_in_process(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from thematic.cli.code import render_code_report

    monkeypatch.setenv("THEMATIC_WORKERS", "1")  # every suggester in this process (the documented setting)
    fired: list[str] = []

    def reingest_once(stage: str, done: int, total: int) -> None:  # suggestions computed, not yet stored
        if stage.startswith("suggest:") and not fired:
            _reingest_corrected_ana(root)
            fired.append(stage)

    with Study(root) as s:
        report = code(s, suggesters=["rules"], progress=reingest_once)
        assert fired
        assert _stale(s) == []
        assert s.store.codings(document="ana").empty
        assert set(s.store.codings(status="suggested")["document_id"]) == {"ben"} and report.added == 2
        (note,) = [n for n in report.notes if "[W390]" in n]
        assert "ana" in note and "ben" not in note and "thematic code" in note
        assert "ana" not in _done(s) and "ben" in _done(s)
    render_code_report(report)  # what `thematic code` prints
    printed = " ".join(capsys.readouterr().err.split())
    assert "[W390]" in printed and "ana" in printed
    _ana_suggestions_on_new_text(root)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="runner processes need fork (Linux)")
def test_code_run_reingest_while_a_runner_streams(root: Path) -> None:
    from thematic.coding.execute import runner as _runner
    from thematic.coding.execute.jobs import start_job
    from thematic.coding.plan import plan_run
    from thematic.coding.write import write_jobs

    with Study(root) as s:
        plans, cb_path, hashes, training = plan_run(s, [RULES], None, set())
        cb = load_codebook(cb_path)
        job = start_job(plans[0], s, cb, training, {}, _runner.start_runner(plans[0].suggester), None)
        assert job.runner is not None  # the segments went to the runner before the re-ingest
        _reingest_corrected_ana(root)
        batch_id, runs, changed = write_jobs(s, None, [RULES], [job], hashes, cb.version, None)
        assert changed == ("ana",) and runs[0].added == 2 and batch_id is not None
        assert _stale(s) == [] and s.store.codings(document="ana").empty
        assert "ana" not in _done(s) and "ben" in _done(s)
    _ana_suggestions_on_new_text(root)


def test_code_run_reingest_on_the_dask_path(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.cluster_run import run_on_cluster
    from thematic.coding.execute.base import InProcessExecutor
    from thematic.coding.plan import plan_run

    monkeypatch.setenv("THEMATIC_DASK_CHUNK", "1")  # one passage per task: Ana is not complete after the first
    fired: list[int] = []

    def reingest_once(stage: str, done: int, total: int) -> None:
        if stage.startswith("suggest:") and not fired:
            _reingest_corrected_ana(root)
            fired.append(done)

    with Study(root) as s:
        plans, cb_path, hashes, training = plan_run(s, [RULES], None, set())
        cb = load_codebook(cb_path)
        batch_id, runs, changed = run_on_cluster(s, InProcessExecutor(), plans, cb, training, hashes, [RULES],
                                                 None, {}, reingest_once)
        assert fired == [1] and changed == ("ana",)
        assert runs[0].added == 2 and batch_id is not None
        assert _stale(s) == [] and s.store.codings(document="ana").empty
        assert "ana" not in _done(s) and "ben" in _done(s)
    _ana_suggestions_on_new_text(root)
