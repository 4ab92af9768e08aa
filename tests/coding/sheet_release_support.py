"""A small released study for coding-sheet tests across a codebook release (hand-written, fictional)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- id: work
  label: Work
  definition: Work things.
- id: life
  label: Life
  definition: Life things.
codes:
- id: money
  label: Money
  parent: work
  definition: Talk about pay.
- id: funding
  label: Funding
  parent: work
  definition: Talk about grants.
- id: barriers
  label: Barriers
  parent: work
  definition: Barriers to work.
- id: family
  label: Family
  parent: life
  definition: Family.
"""

TRANSCRIPTS = {
    "alpha.txt": ("Interviewer: Tell me about work.\nDean: The wage was poor and it came late.\n"
                  "Interviewer: And at home?\nDean: My sister helped with the children.\n"
                  "Interviewer: Anything else?\nDean: The paperwork held me back for months.\n"),
    "beta.txt": ("Interviewer: How did it go?\nAmy: The council gave us a small award for the project.\n"
                 "Interviewer: And your family?\nAmy: My mother moved in with us that winter.\n"),
}


def make_study(root: Path) -> Path:
    """An ingested study whose codebook ``cb`` 1.0.0 is released; coders HT and SO."""
    from thematic.study import Study, init_study

    init_study(root, name="sheet release").close()
    for old in (root / "codebooks").glob("*.yaml"):
        old.unlink()
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    toml = root / "thematic.toml"
    lines = [ln for ln in toml.read_text(encoding="utf-8").splitlines() if not ln.startswith("codebook =")]
    toml.write_text("\n".join(lines).replace("coders = []", 'coders = ["HT", "SO"]') + "\n", encoding="utf-8")
    for name, text in TRANSCRIPTS.items():
        (root / "data" / "raw" / name).write_text(text, encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        study.release_codebook(None)
    return root


def release(root: Path, entries: list[str], edits: dict[str, str], actor: str = "HT") -> None:
    """Edit the codebook (text replacements), log ``entries`` for 1.1.0, release it and migrate."""
    from thematic.study import Study

    path = root / "codebooks" / "cb.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    text = text.replace("themes:", "changes:\n" + "".join(f"- {e}\n" for e in entries) + "themes:", 1)
    path.write_text(text, encoding="utf-8")
    with Study(root) as study:
        assert study.release_codebook("minor").version == "1.1.0"
        study.migrate_codebook(actor=actor)


def header(path: Path) -> list[Any]:
    """Row 1 of the coding sheet."""
    return [c.value for c in openpyxl.load_workbook(path)["coding"][1]]


def fill(path: Path, out: Path, cells: dict[tuple[str, str], Any]) -> Path:
    """Write ``value`` into (segment id, column) cells of the coding sheet, as a coder would; a new column is
    added after the last one."""
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (sid, col), value in cells.items():
        if col not in cols:
            cols[col] = ws.max_column + 1
            ws.cell(1, cols[col]).value = col
        ws.cell(rows[sid], cols[col]).value = value
    wb.save(out)
    return out


def codes_of(study: Any, coder: str) -> set[tuple[str, str]]:
    """(segment id, code id) of the coder's stored codings."""
    return {(r.segment_id, r.code_id) for r in study.codings(coder=coder).itertuples()}
