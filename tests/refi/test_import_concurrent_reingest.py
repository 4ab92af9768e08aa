"""A REFI import places its codings on the text stored when it writes, whatever a re-ingest commits meanwhile.

What was wrong: ``import_refi`` planned every record (which source is a document the study already holds,
with the same text, and the file's codings at their offsets on it), made its pre-import backup, and only then
took the write lock. In a study that does not pseudonymise (so the pseudonym key's lock does not keep an
ingest out), a transcript re-ingested in between got the file's codings at the offsets of the OLD text on the
NEW one: another passage, straddling turns, unflagged.

What is true now: the backup is made first, and the import plans and writes inside one write transaction, so a
re-ingest that commits while it waits for the lock is read by the planning: the file's text is no longer the
stored one, so it becomes a document of its own, and every coding lies on the text it quotes.

Real stores, real transcripts ingested in tmp_path, a real .qdpx written by thematic's REFI export; the
re-ingest runs on a second Study (its own connection, as another process has) at the moment the importing
store asks for the write lock (``coding.concurrent_support``).
"""

from __future__ import annotations

from pathlib import Path

from coding.concurrent_support import as_it_takes_the_lock, stale
from regression.unlike_example import ANA_INSERTED, write_study
from thematic.refi import export_refi, import_refi
from thematic.study import Study


def _study(root: Path) -> Study:
    """The example study, not pseudonymised, ingested."""
    write_study(root)
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert "pseudonymise = true" in text
    toml.write_text(text.replace("pseudonymise = true", "pseudonymise = false"), encoding="utf-8")
    study = Study(root)
    study.ingest()
    return study


def test_a_reingest_committed_as_the_refi_import_takes_the_lock_is_read_by_it(tmp_path: Path) -> None:
    coded = _study(tmp_path / "coded")
    for sid in coded.segments(include_interviewer=False)["segment_id"]:
        coded.code(sid, "time_pressure", coder="HT")
    export_refi(coded, tmp_path / "coded.qdpx")
    quoted = set(coded.store.codings()["text"])
    coded.close()

    study = _study(tmp_path / "s")
    study.store.identity()
    other = Study(study.root)

    def reingest() -> object:
        (study.root / "data" / "raw" / "ana.txt").write_text(ANA_INSERTED, encoding="utf-8")
        return {r.document_id: r.status for r in other.ingest().rows}

    try:
        with as_it_takes_the_lock(study, reingest) as done:
            report = import_refi(tmp_path / "coded.qdpx", study)
    finally:
        other.close()
    assert done == [{"ana": "changed", "david": "unchanged"}]
    assert report.imported["codings"] == 5
    assert stale(study) == []
    assert set(study.store.codings()["text"]) == quoted
    assert study.store.document("ana").text == ANA_INSERTED  # the re-ingested transcript holds no imported coding
    assert study.store.codings(document="ana").empty
    study.close()
