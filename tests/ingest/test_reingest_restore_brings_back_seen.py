"""Edit a coded turn, re-ingest, restore the file, re-ingest: the seen records and sample rows come back.

A re-ingest that changes a turn's words drops the records of coders having seen it, and its sample rows (W117:
nobody has seen the new text). When the researcher then restored the file, byte for byte, the flagged codings
came back onto their words but those records did not: a reconciled turn counted as not settled, so the code the
consensus had dropped counted again (Money 2 of 3 instead of 1 of 3), and both coders' 'not this code' on it
were lost from agreement. Now a dropped record is kept aside with its turn's words; when a later re-ingest
gives a turn of the same document those very words again, the record comes back (W120 says how many), so the
round trip leaves every table as it was. A turn whose words never come back stays unseen.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from regression.tiny_study import CODEBOOK, study_with
from thematic import reconcile as R
from thematic.study import Study

TEXT = ("Moderator: Tell me.\n"
        "Alice Moore: The funding was cut last year and the staff were angry about it.\n"
        "Bob Tran: I think the manager never told us about the budget or the funding.\n"
        "Carla Diaz: We were happy when the money came back though.\n")


def _ingest(study: Study) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    return [w for row in report.rows for w in row.warnings]


def _state(study: Study) -> tuple[object, ...]:
    freq = study.frequencies().set_index("code_id")
    seen = study.store.coverage().sort_values(["coder", "segment_id"])
    samples = study.store.sample_segments("latest")
    agreement = study.agreement(["AB", "CD"]).set_index("code_id")
    return (sorted(zip(seen["coder"], seen["segment_id"])), sorted(samples["segment_id"]),
            agreement.loc["money"].to_dict(), freq.to_dict())


def test_restoring_an_edited_file_restores_what_coders_saw(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"groupchat.txt": TEXT})
    raw = root / "data" / "raw" / "groupchat.txt"
    with Study(root) as study:
        _ingest(study)
        ids = list(study.segments(include_interviewer=False).segment_id)
        for sid in ids[:2]:
            study.code(sid, "money", coder="AB")
        study.code(ids[1], "money", coder="CD")
        study.mark_seen(ids, coder="AB")
        study.mark_seen(ids, coder="CD")
        study.sample(coder="CD", n=3)
        for item in R.reconcile_items(study.store, coders=["AB", "CD"], codebook=study.codebook):
            R.settle(study.store, item, [], coders=["AB", "CD"], consensus="consensus", decided_by="ZZ",
                     route="cli", memo="not money")
        before = _state(study)
        assert ids[0] in before[1]
    raw.write_text(TEXT.replace("staff were angry", "staf were angry"), encoding="utf-8")
    with Study(root) as study:
        edited = _ingest(study)
        dropped = [w for w in edited if w.startswith("[W117]")]
        assert len(dropped) == 1
        seen = study.store.coverage()
        assert ids[0] not in set(seen["segment_id"])  # nobody has seen the edited words
    raw.write_text(TEXT, encoding="utf-8")
    with Study(root) as study:
        restored = _ingest(study)
        back = [w for w in restored if w.startswith("[W120]")]
        # AB, CD and the consensus had seen that turn, and it was in CD's sample
        assert len(back) == 1 and ": 4 record(s)" in back[0] and ": 4 record(s)" in dropped[0], restored
        assert _state(study) == before


def test_a_record_kept_aside_goes_with_an_erased_document(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"groupchat.txt": TEXT})
    raw = root / "data" / "raw" / "groupchat.txt"
    with Study(root) as study:
        _ingest(study)
        ids = list(study.segments(include_interviewer=False).segment_id)
        study.mark_seen(ids, coder="AB")
    raw.write_text(TEXT.replace("staff were angry", "staf were angry"), encoding="utf-8")
    with Study(root) as study:
        _ingest(study)
        parked = study.store._conn.execute("SELECT count(*) FROM parked_records").fetchone()[0]
        assert parked == 1
        study.store.purge_documents(["groupchat"], actor="ZZ")
        assert study.store._conn.execute("SELECT count(*) FROM parked_records").fetchone()[0] == 0
