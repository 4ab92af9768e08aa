"""Undoing a REFI import takes back the documents and participants it brought in, not only its codings.

Before, `thematic undo BATCH` of an import removed its codings but left the documents it created (and their
`data/raw/refi/<id>.txt` files) and the cases it stored as participants: tables then read "0 of 2" and counted
the other study's people in N, where before the import they read "1 of 1" and "1 interviewee". Restoring the
backup taken before the import left the texts in `data/raw/refi/`, so the next ingest added them back as ordinary
documents, without a word. Now the undo removes each document the import created (and its file, while it holds
the bytes the import wrote) when nothing else refers to it, and puts the import's participant source back as it
was; a document something else refers to is kept, and [W551] says so with the commands that remove it. A restore
names the texts in `data/raw/refi/` the restored store holds no document for ([W552]), with the command that
removes them.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

runner = CliRunner()
CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- {id: life, label: Life, definition: Life.}
codes:
- {id: money, label: Money, parent: life, definition: Money talk.}
"""


def _cli(*args: str) -> str:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _study(root: Path, text: str, turns: list[int]) -> Path:
    with init_study(root) as study:
        (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
        (root / "data" / "raw" / "interview.txt").write_text(text, encoding="utf-8")
        study.ingest()
        for turn in turns:
            study.code(f"interview:{turn}", "money", coder="HT")
    return root


def _state(root: Path) -> dict[str, object]:
    """What the tables count from: documents, the people on record and who speaks, and each source's cases."""
    with Study(root) as study:
        store = study.store
        sources = store.participant_sources()
        return {
            "documents": sorted(store.documents()["document_id"]),
            "speakers": sorted(store.segments(with_text=False)["participant_id"].dropna().unique()),
            "participants": sorted(store.participants()["participant_id"]),
            "sources": sorted(zip(sources["source"], sources["participant_id"])),
            "refi texts": sorted(p.name for p in (root / "data" / "raw" / "refi").glob("*")),
            "codings": len(store.codings()),
        }


def _other_export(tmp_path: Path) -> Path:
    other = _study(tmp_path / "T", "Interviewer: Tell me.\nP02: Money worries me.\nInterviewer: And?\n"
                                   "P03: I have no money.\n", [1, 3])
    with Study(other) as study:
        return export_refi(study, tmp_path / "T.qdpx").path


def _mine(tmp_path: Path) -> Path:
    return _study(tmp_path / "S", "Interviewer: Tell me.\nP01: Money is tight.\nInterviewer: More?\n"
                                  "P01: Rent costs a lot.\n", [1])


def test_undo_of_an_import_removes_its_documents_files_and_participants(tmp_path: Path) -> None:
    qdpx, root = _other_export(tmp_path), _mine(tmp_path)
    before = _state(root)
    report = import_refi(qdpx, root)
    during = _state(root)
    assert len(during["documents"]) == 2 and during["refi texts"] == ["interview-2.txt"]  # type: ignore[arg-type]
    said = _cli("undo", report.batch_id, "--study", str(root))
    assert "removed 2 coding(s)" in said and "1 document(s) it brought in removed" in said, said
    assert "[W551]" not in said
    assert _state(root) == before
    frequency = _cli("tables", "frequency", "--study", str(root))
    assert "1 of 1" in frequency and "0 of 2" not in frequency and "focus-group" not in frequency, frequency


def test_a_document_coded_since_the_import_is_kept_and_named(tmp_path: Path) -> None:
    qdpx, root = _other_export(tmp_path), _mine(tmp_path)
    report = import_refi(qdpx, root)
    with Study(root) as study:
        study.code("interview-2:3", "money", coder="SO")  # SO's own work on the imported text, after the import
    said = _cli("undo", report.batch_id, "--study", str(root))
    assert "[W551]" in said and "'interview-2'" in said and "data/raw/refi/interview-2.txt" in said, said
    assert "thematic ingest --prune" in said
    after = _state(root)
    assert after["documents"] == ["interview", "interview-2"] and after["refi texts"] == ["interview-2.txt"]
    assert after["codings"] == 2  # S's own and SO's
    assert after["sources"] == [("refi:T.qdpx", "P02"), ("refi:T.qdpx", "P03")]  # who speaks in it keeps their case


def test_an_edited_refi_text_is_never_deleted(tmp_path: Path) -> None:
    qdpx, root = _other_export(tmp_path), _mine(tmp_path)
    report = import_refi(qdpx, root)
    text = root / "data" / "raw" / "refi" / "interview-2.txt"
    text.write_text(text.read_text(encoding="utf-8") + "P02: One more line I typed.\n", encoding="utf-8")
    said = _cli("undo", report.batch_id, "--study", str(root))
    assert "[W551]" in said and "changed since" in said, said
    assert text.is_file() and "One more line I typed." in text.read_text(encoding="utf-8")


def test_restore_of_the_backup_before_an_import_names_its_texts(tmp_path: Path) -> None:
    qdpx, root = _other_export(tmp_path), _mine(tmp_path)
    before = _state(root)
    report = import_refi(qdpx, root)
    assert report.backup is not None
    said = _cli("restore", str(report.backup), "--study", str(root))
    assert "[W552]" in said and "data/raw/refi/interview-2.txt" in said, said
    assert "rm data/raw/refi/interview-2.txt" in said
    (root / "data" / "raw" / "refi" / "interview-2.txt").unlink()  # as the warning says
    with Study(root) as study:
        study.ingest()
    assert _state(root) == before
