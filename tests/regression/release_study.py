"""A tiny released study (codebook ``cb`` 1.0.0: money, funding, barriers, family under ``work``) and a helper that
releases a later version from a changes log and migrates, for the tests of reconcile across codebook releases."""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .tiny_study import cli, codebook_yaml, study_with

CODES = ("- {id: money, parent: work, definition: Talk about pay.}\n"
         "- {id: funding, parent: work, definition: Talk about grants.}\n"
         "- {id: barriers, parent: work, definition: Barriers to work.}\n"
         "- {id: family, parent: work, definition: Family.}\n")
FILES = {
    "alpha.txt": "Interviewer: Tell me about work.\nDean: The money was poor and the pay came late.\n"
                 "Interviewer: Barriers?\nDean: The vetting was a barrier, and the grant ran out.\n",
    "beta.txt": "Interviewer: How did it go?\nAmy: I got a grant and the money helped my mother.\n"
                "Interviewer: Problems?\nAmy: Vetting again, a real barrier for us.\n",
}
ANSWERS = ["alpha:1", "alpha:3", "beta:1", "beta:3"]


def released_study(root: Path, codings: list[tuple[str, str, str]]) -> Path:
    """The study at ``root``, ingested, codebook 1.0.0 released, HT and SO recorded as having seen every answer,
    with ``codings`` (segment, code, coder) applied by hand."""
    study_with(root, codebook_yaml(CODES, theme="work"), FILES, coders=("HT", "SO"))
    cli(root, "ingest")
    cli(root, "codebook", "bump", "--current")
    with Study(root) as s:
        for coder in ("HT", "SO"):
            s.mark_seen(ANSWERS, coder=coder)
        for segment, code, coder in codings:
            s.code(segment, code, coder=coder)
    return root


def release(root: Path, changes: str, edits: dict[str, str]) -> str:
    """Release the next minor version with ``changes`` (YAML list items) after applying ``edits`` (old text ->
    new) to the codebook file, then `thematic codebook migrate`; its output."""
    path = root / "codebooks" / "cb.yaml"
    text = path.read_text(encoding="utf-8").replace("themes:", f"changes:\n{changes}themes:", 1)
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    cli(root, "codebook", "bump", "minor")
    return cli(root, "codebook", "migrate")


def fill_decisions(book: Path, decisions: dict[str, str]) -> None:
    """Write ``decisions`` (segment id -> decision cell) into the decision workbook ``book``."""
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        sid = row[header.index("segment_id")].value
        if sid in decisions:
            row[header.index("decision")].value = decisions[sid]
    wb.save(book)
