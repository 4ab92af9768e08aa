"""A participant withdraws consent: `ingest --prune --purge` erases their transcript from the study.

Pruning alone keeps the codings (flagged orphaned) and the event log, so the withdrawn person's
words stayed in the store file. Purging removes them everywhere the store keeps text, and says
which backups still hold them.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import write_study

SECRET = "the allotment by the viaduct"
WITHDRAWN = (f"Interviewer: Where do you go?\nCarys: I go to {SECRET}, that is where I think.\n"
             "Interviewer: And work?\nCarys: There is never enough time for it.\n")


def test_purge_erases_a_withdrawn_transcript_and_keeps_everyone_else(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    (root / "data" / "raw" / "carys.txt").write_text(WITHDRAWN, encoding="utf-8")
    study = Study(root)
    study.ingest()
    turns = study.segments().query("not is_interviewer")
    for seg in turns["segment_id"]:
        study.code(seg, "time_pressure", coder="AB", memo=f"memo on {seg}")
    study.mark_seen(list(turns["segment_id"]), coder="AB")
    study.store.backup(reason="before-withdrawal")
    kept = study.codings().query("document_id != 'carys'")[["coding_id", "text"]].to_dict("records")
    study.store.close()

    (root / "data" / "raw" / "carys.txt").unlink()
    result = CliRunner().invoke(app, ["ingest", "--prune", "--purge", "--study", str(root)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Purged 1 document(s)" in out and "backups" in out

    after = Study(root)
    assert "carys" not in set(after.segments()["document_id"])
    assert after.codings()[["coding_id", "text"]].to_dict("records") == kept
    assert set(after.store.coverage("AB")["document_id"]) == {"ana", "david"}
    replayed = after.store.replay_events()
    assert sorted(replayed["coding_id"]) == sorted(r["coding_id"] for r in kept)
    after.store.close()
    raw = (root / "data" / "coded" / "thematic.db").read_bytes()
    assert SECRET.encode() not in raw and b"memo on carys" not in raw
    for wal in (root / "data" / "coded").glob("thematic.db-wal"):
        assert SECRET.encode() not in wal.read_bytes()


def test_purge_also_erases_documents_pruned_earlier(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    (root / "data" / "raw" / "carys.txt").write_text(WITHDRAWN, encoding="utf-8")
    study = Study(root)
    study.ingest()
    seg = study.segments().query("document_id == 'carys' and not is_interviewer").iloc[0]["segment_id"]
    study.code(seg, "time_pressure", coder="AB")
    (root / "data" / "raw" / "carys.txt").unlink()
    study.ingest(prune=True)
    assert len(study.codings()) == 1  # pruned: kept, flagged orphaned
    report = study.ingest(prune=True, purge=True)
    assert report.purged == ("carys",)
    assert study.codings().empty
    study.store.close()
    assert SECRET.encode() not in (root / "data" / "coded" / "thematic.db").read_bytes()
