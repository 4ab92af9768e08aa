"""`thematic ingest --prune` after a file was removed, then the file put back and ingested again.

What was wrong: a prune flagged the document's codings 'orphaned: document removed' but left the coders' seen
records, its double-coding sample rows and the consensus's settled turns on its segment ids. When the file came back
(byte for byte, even with --force) the codings stayed orphaned for good, while those records re-attached to whatever
turns now had those ids: agreement counted turns where both coders "applied nothing", the participant dropped out of
the frequencies, and with an edited file the coders were recorded as having seen words added after they coded.

What is true now: a prune keeps the seen records and sample rows aside with their turns' words, so they count
nowhere; consensus decisions stay as the log but their turns are no longer settled. When the same document comes
back, an orphaned coding returns to its turn where that turn's very words (same speaker and question) are back, a
record kept aside returns only onto a turn with the very words it was on, and the rest stays flagged or aside
(W121 says what came back, W106 what stays flagged). A byte-identical file gives every table back as it was.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from regression.tiny_study import study_with
from thematic import reconcile as R
from thematic.models import FLAG_NOT_FOUND, FLAG_ORPHANED
from thematic.study import Study

CODEBOOK = """\
name: cb
version: 0.1.0
schema_version: 1
themes:
- {id: t, label: T, definition: theme}
codes:
- {id: money, label: Money, parent: t, definition: money}
- {id: staff, label: Staff, parent: t, definition: staffing}
"""
ALPHA = ("Interviewer: How was the year?\nAnn: The budget was cut.\n"
         "Interviewer: And staff?\nAnn: We lost two nurses.\n")
BETA = ("Interviewer: How was the year?\nBen: Money was fine.\nInterviewer: Really?\nBen: Yes.\n"
        "Interviewer: And staff?\nBen: The staff were tired.\nInterviewer: Tired?\nBen: Yes.\n")
#: BETA with an exchange added at the top and its second "Yes." edited.
BETA_EDITED = ("Interviewer: First, your job?\nBen: I drive the van.\n"
               + BETA.replace("Tired?\nBen: Yes.", "Tired?\nBen: Yes, very."))


def _ingest(study: Study, **kw: bool) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest(**kw)
    return [w for row in report.rows for w in row.warnings]


def _seen(study: Study, document: str | None = None) -> set[tuple[str, str, str]]:
    """(coder, segment id, the words of that turn now) of every seen record."""
    texts = dict(zip(study.store.segments()["segment_id"], study.store.segments()["text"]))
    cov = study.store.coverage()
    if document is not None:
        cov = cov.loc[cov["document_id"] == document]
    return {(c, s, texts.get(s, "<no such turn>")) for c, s in zip(cov["coder"], cov["segment_id"])}


def _state(study: Study) -> tuple[object, ...]:
    freq = study.frequencies().set_index("code_id").to_dict()
    agreement = study.agreement(["AB", "CD"]).set_index("code_id").to_dict()
    sample = sorted(study.store.sample_segments("latest")["segment_id"])
    flagged = len(study.store.codings(flagged=True))
    return freq, agreement, sorted(_seen(study)), sample, flagged


def _coded_study(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": ALPHA, "beta.txt": BETA})
    with Study(root) as study:
        _ingest(study)
        s = study.segments(include_interviewer=False)
        sid = {(d, t): i for d, t, i in zip(s["document_id"], s["text"], s["segment_id"])}
        ids = list(s["segment_id"])
        yes = [i for d, t, i in zip(s["document_id"], s["text"], s["segment_id"]) if t == "Yes."]
        for coder in ("AB", "CD"):
            study.code(sid["alpha", "The budget was cut."], "money", coder=coder)
            study.code(sid["beta", "Money was fine."], "money", coder=coder)
            study.code(sid["beta", "The staff were tired."], "staff", coder=coder)
            study.code(yes[1], "staff", coder=coder)
        study.code(sid["alpha", "We lost two nurses."], "staff", coder="AB")  # CD left it uncoded
        study.code(yes[0], "money", coder="AB")
        study.mark_seen(ids, coder="AB")
        study.mark_seen(ids, coder="CD")
        study.sample(coder="CD", n=6)
        for item in R.reconcile_items(study.store, coders=["AB", "CD"], codebook=study.codebook):
            R.settle(study.store, item, [], coders=["AB", "CD"], consensus="consensus", decided_by="ZZ",
                     route="cli", memo="settled")
    return root


def test_prune_then_identical_restore_gives_every_table_back(tmp_path: Path) -> None:
    root = _coded_study(tmp_path)
    raw = root / "data" / "raw" / "beta.txt"
    with Study(root) as study:
        before = _state(study)
        n_decisions = len(study.store.decisions())
        assert any(seg.startswith("beta:") for _, seg, _ in before[2])
        assert {c for c, _, _ in _seen(study, "beta")} == {"AB", "CD", "consensus"}
    raw.unlink()
    with Study(root) as study:
        _ingest(study, prune=True)
        # the pruned document's records count nowhere, and none waits on a segment id a later file may reuse
        assert _seen(study, "beta") == set()
        assert not study.store.sample_segments("latest")["document_id"].eq("beta").any()
        assert len(study.store.decisions()) == n_decisions  # the log stays
        agreement = study.agreement(["AB", "CD"]).set_index("code_id")
        assert int(agreement.loc["staff", "n_segments"]) == 2  # Ann's two turns only
        assert set(study.store.codings(document="beta")["flag"]) == {FLAG_ORPHANED}
    raw.write_text(BETA, encoding="utf-8")
    with Study(root) as study:
        notes = _ingest(study, force=True)
        back = [w for w in notes if w.startswith("[W121]")]
        assert len(back) == 1 and "beta" in back[0], notes
        assert not [w for w in notes if w.startswith(("[W106]", "[W117]"))], notes
        assert _state(study) == before
        assert study.store._conn.execute("SELECT count(*) FROM parked_records").fetchone()[0] == 0


def test_an_edited_file_restored_puts_no_record_on_words_never_seen(tmp_path: Path) -> None:
    root = _coded_study(tmp_path)
    raw = root / "data" / "raw" / "beta.txt"
    with Study(root) as study:
        seen_before = {(c, t) for c, _, t in _seen(study, "beta")}
    raw.unlink()
    with Study(root) as study:
        _ingest(study, prune=True)
    raw.write_text(BETA_EDITED, encoding="utf-8")
    with Study(root) as study:
        notes = _ingest(study)
        assert [w for w in notes if w.startswith("[W121]")], notes
        seen = {(c, t) for c, _, t in _seen(study, "beta")}
        assert seen <= seen_before  # nobody is recorded as having seen words they never saw
        assert not any(t == "I drive the van." for _, t in seen)
        # the unchanged turns came back with what the coders saw there; the two "Yes." turns cannot be told
        # apart now (one of them was edited), so neither takes a record back
        assert seen == {(c, t) for c in ("AB", "CD") for t in ("Money was fine.", "The staff were tired.")} | {
            ("consensus", t) for t in ("Money was fine.", "The staff were tired.")}
        codings = study.store.codings(document="beta")
        text = study.store.document_text("beta")
        on = codings.loc[codings["flag"].isna()]
        assert set(on["text"]) == {"Money was fine.", "The staff were tired."}
        assert all(text[s:e] == t for s, e, t in zip(on["start"], on["end"], on["text"]))
        assert set(codings.loc[codings["text"] == "Yes.", "flag"]) == {FLAG_NOT_FOUND}
        assert [w for w in notes if w.startswith("[W106]")], notes
        freq = study.frequencies().set_index("code_id")
        assert int(freq.loc["money", "n_participants"]) == 2, freq


SURVEY = "respondent_id,role,What would help?\nR01,nurse,More staff.\nR02,porter,Better pay.\nR03,doctor,Less paperwork.\n"


def test_a_survey_restored_with_another_respondent_in_a_row_keeps_them_apart(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"survey.csv": SURVEY},
                      toml='\n[ingest.survey."survey.csv"]\ntext_columns = ["What would help?"]\n')
    raw = root / "data" / "raw" / "survey.csv"
    with Study(root) as study:
        _ingest(study)
        s = study.segments(include_interviewer=False)
        r02 = s.loc[s["text"] == "Better pay.", "segment_id"].iloc[0]
        study.code(r02, "money", coder="AB")
        study.mark_seen(list(s["segment_id"]), coder="AB")
    raw.unlink()
    with Study(root) as study:
        _ingest(study, prune=True)
    raw.write_text(SURVEY.replace("R02,porter", "R07,doctor"), encoding="utf-8")  # R02 withdrew, R07 in their row
    with Study(root) as study:
        _ingest(study)
        s = study.segments(include_interviewer=False).set_index("segment_id")
        r07 = s.index[s["text"] == "Better pay."][0]
        assert s.loc[r07, "participant_id"] == "R07"
        assert r07 not in set(study.store.coverage()["segment_id"])  # nobody has looked at R07's answer
        assert set(study.store.codings()["flag"]) == {FLAG_NOT_FOUND}  # R02's coding is not R07's
        assert study.frequencies().set_index("code_id").loc["money", "n_segments"] == 0


def _flags(study: Study) -> dict[str, str | None]:
    codings = study.store.codings()
    return {t: f if isinstance(f, str) else None for t, f in zip(codings["text"], codings["flag"])}


def test_a_coding_flagged_before_the_prune_comes_back_flagged(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": ALPHA, "beta.txt": BETA})
    raw = root / "data" / "raw" / "beta.txt"
    edited = BETA.replace("The staff were tired.", "The staff were very tired.")
    with Study(root) as study:
        _ingest(study)
        s = study.segments(include_interviewer=False).set_index("text")
        study.code(s.loc["The staff were tired.", "segment_id"], "staff", coder="AB")
        study.code(s.loc["Money was fine.", "segment_id"], "money", coder="AB")
    raw.write_text(edited, encoding="utf-8")
    with Study(root) as study:
        _ingest(study)
        before = _flags(study)
        assert before == {"The staff were tired.": FLAG_NOT_FOUND, "Money was fine.": None}
    raw.unlink()
    with Study(root) as study:
        _ingest(study, prune=True)
    raw.write_text(edited, encoding="utf-8")
    with Study(root) as study:
        notes = _ingest(study)
        assert any(w.startswith("[W121]") and "1 of its 2 orphaned" in w for w in notes), notes
        assert _flags(study) == before


def test_purge_after_a_prune_erases_what_was_kept_aside(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": ALPHA, "beta.txt": BETA})
    with Study(root) as study:
        _ingest(study)
        study.mark_seen(list(study.segments()["segment_id"]), coder="AB")  # seen, nothing coded
    (root / "data" / "raw" / "beta.txt").unlink()
    with Study(root) as study:
        _ingest(study, prune=True)
        kept = study.store._conn.execute("SELECT DISTINCT document_id FROM parked_records").fetchall()
        assert [tuple(r) for r in kept] == [("beta",)]
        _ingest(study, prune=True, purge=True)
        assert study.store._conn.execute("SELECT count(*) FROM parked_records").fetchone()[0] == 0
