"""`thematic code` run after a release that renames a code, before `thematic codebook migrate`, stored a
suggestion of the new id on a segment where a person had applied the code under its old id (suggested 8,
known 0; after migrate, HT's coding and the open suggestion sat on one segment). `thematic code` now
migrates the codings first, as `thematic codebook migrate` does (logged), and says so with [W386]."""

from __future__ import annotations

from pathlib import Path


from thematic.store import Store
from thematic.study import Study

from .tiny_study import CODEBOOK, cli


def _released_rename(study) -> Path:  # noqa: ANN001
    """HT applied `money` to turn 1 under 0.1.0; release 0.2.0 renames `money` to `funding` (not migrated)."""
    root = study.root
    study.close()
    cb = root / "codebooks" / "cb.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    lines = []
    for i in range(1, 9):
        lines += [f"Interviewer: What happened next, part {i}?",
                  f"Dean: The funding was the problem again, time number {i}, and nothing else."]
    (root / "data" / "raw" / "interview-alpha.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli(root, "ingest")
    cli(root, "code", "add", "interview-alpha:1", "money", "--coder", "HT")
    cli(root, "codebook", "bump", "--current")
    text = cb.read_text(encoding="utf-8").replace("- id: money", "- id: funding").replace(
        "version: 0.1.0\n", "version: 0.1.0\nchanges:\n- {version: 0.2.0, rename: {from: money, to: funding}}\n", 1)
    cb.write_text(text, encoding="utf-8")
    cli(root, "codebook", "bump", "minor")
    return root


def test_code_between_release_and_migrate_treats_the_renamed_coding_as_known(study) -> None:  # noqa: ANN001
    root = _released_rename(study)
    out = cli(root, "code", "--suggesters", "rules")
    row = next(line for line in out.splitlines() if "│ rules" in line).split("│")
    assert [c.strip() for c in row[6:8]] == ["7", "1"], out  # suggested 7, known 1 (HT's coding, now `funding`)
    assert "[W386]" in out and "thematic codebook migrate" in out
    with Store(root / "data" / "coded" / "thematic.db") as store:
        on_one = store.codings(document="interview-alpha")
        on_one = on_one.loc[on_one["segment_id"] == "interview-alpha:1", ["code_id", "coder", "status"]]
        events = store.events()
    assert on_one.to_dict("records") == [{"code_id": "funding", "coder": "HT", "status": "manual"}]
    assert (events["kind"] == "remap").any()  # migrated as `codebook migrate` does: logged
    again = cli(root, "codebook", "migrate")
    assert "Nothing to migrate" in " ".join(again.split())


def test_the_migration_is_a_note_of_the_run_not_of_a_suggester(study) -> None:  # noqa: ANN001
    from thematic.coding.run import code

    root = _released_rename(study)
    with Study(root) as again:
        report = code(again, suggesters=["rules"], ingest=False)
    assert any(n.startswith("[W386]") for n in report.notes)
    assert not any("[W386]" in n for r in report.runs for n in r.notes)
