"""After a REFI round trip (`refi export`, then `refi import --into`), a coder's new memo on a suggestion they had
accepted was appended as a second "HT: ..." line ("keyword 'funding'\\nHT: clear\\nHT: second thought"), because
the import stored the suggestion with its whole exported memo, the coder's line included, as the suggester's
evidence.

What is true now: the import stores only the suggester's part as the suggestion's memo and then sets the coder's
line (as an accept with a memo does), so the imported memo reads as exported and a later memo replaces only the
coder's line, as in the study it came from. Importing the same export again adds nothing and changes no memo."""

from __future__ import annotations

from pathlib import Path

import thematic
from regression.tiny_study import CODEBOOK, cli, study_with
from thematic.coding.owner import suggester_evidence
from thematic.refi import import_refi

FILES = {"interview-1.txt": "Interviewer: Hi.\nP01: The funding was cut last year.\n"}


def _memo(root: Path) -> str:
    study = thematic.Study.open(root)
    try:
        return str(study.store.codings().memo.iloc[0])
    finally:
        study.close()


def test_a_later_memo_replaces_the_coders_line_after_a_refi_round_trip(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, FILES, coders=("HT",))
    cli(root, "ingest")
    cli(root, "code", "--suggesters", "rules")
    study = thematic.Study.open(root)
    study.decide(str(study.store.codings().coding_id.iloc[0]), "accept", reviewer="HT")
    study.close()
    cli(root, "code", "add", "interview-1:1", "money", "--coder", "HT", "--memo", "clear")
    evidence = _memo(root).split("\n")[0]
    assert _memo(root) == f"{evidence}\nHT: clear"
    qdpx = tmp_path / "s.qdpx"
    cli(root, "refi", "export", "--out", str(qdpx))
    other = tmp_path / "r"
    import_refi(qdpx, other)
    assert _memo(other) == f"{evidence}\nHT: clear"  # as exported
    study = thematic.Study.open(other)
    row = study.store.codings().iloc[0]
    assert row["status"] == "accepted" and row["reviewer"] == "HT"
    assert suggester_evidence(study.store, row.to_dict()) == evidence
    before = len(study.store.events())
    study.close()
    report = import_refi(qdpx, other)  # the same export again: nothing added, no memo changed
    assert report.imported.get("codings") == 0
    study = thematic.Study.open(other)
    assert len(study.store.codings()) == 1
    assert len(study.store.events()) == before
    study.close()
    cli(other, "code", "add", "interview-1:1", "money", "--coder", "HT", "--memo", "second thought")
    assert _memo(other) == f"{evidence}\nHT: second thought"
