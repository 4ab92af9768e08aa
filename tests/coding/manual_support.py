"""Hand-built fictional fixtures for the manual coding, search, sheet, review and widget tests.

Two short interviews and a codebook of three themes; documents are stored directly (ingest is
not needed). Imported as ``coding.manual_support`` (``tests/`` is on sys.path via conftest).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from thematic.codebook import Codebook, loads_codebook
from thematic.models import Coding, Document, Participant, Provenance, Segment
from thematic.store import Store

CODEBOOK_YAML = """\
name: fixture-codebook
version: 1.2.0
description: A small fictional codebook for tests.
themes:
- id: identity
  label: Identity and change
  definition: How helping changes the helper.
- id: barriers
  label: Structural barriers
  definition: Obstacles in the system.
- id: peers
  label: Peer connection
  definition: What shared experience brings.
codes:
- id: generativity
  label: Giving back
  parent: identity
  definition: Wanting to help others as a way of making amends.
- id: hook_for_change
  label: Hook for change
  parent: identity
  definition: A turning point that opened the way out of offending.
- id: security_vetting
  label: Security vetting
  parent: barriers
  definition: Criminal record checks and clearance that block or delay peer work.
- id: funding
  label: Funding
  parent: barriers
  definition: Money, contracts and the lack of them.
- id: shared_experience
  label: Shared experience
  parent: peers
  definition: Having been through the same things.
- id: been_there
  label: Been there
  parent: shared_experience
  definition: The phrase and idea of having been there oneself.
"""

INT01 = [
    ("Interviewer", None, True, "How did you start mentoring?"),
    ("Dan", "P01", False, "I wanted to give something back. The vetting took months, they vetted everything twice."),
    ("Interviewer", None, True, "What made it hard?"),
    ("Dan", "P01", False, "Vetting is the big one. And funding, always funding. I've been there myself, you know."),
]
INT02 = [
    ("Interviewer", None, True, "Tell me about the job."),
    ("Sam", "P02", False, "Nobody would vet me for the prison job. My probation officer helped me though."),
    ("Interviewer", None, True, "And now?"),
    ("Sam", "P02", False, "Now I'm the one who's been there for the lads. Giving back keeps me going."),
]


def make_document(doc_id: str, turns: list[tuple[str, str | None, bool, str]]) -> Document:
    """A document whose text is 'Speaker: words' lines, one segment per turn (the words only)."""
    text, segs = "", []
    for i, (speaker, pid, interviewer, words) in enumerate(turns):
        prefix = f"{speaker}: "
        start = len(text) + len(prefix)
        text += prefix + words + "\n"
        segs.append(Segment(doc_id, i, start, start + len(words), words, speaker, pid, interviewer))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(doc_id, f"data/raw/{doc_id}.txt", "txt", text, digest, tuple(segs))


def codebook() -> Codebook:
    """The fixture codebook (version 1.2.0)."""
    return loads_codebook(CODEBOOK_YAML, path="fixture.yaml")


def fill_store(store: Store) -> Store:
    """Two interviews and two participants in ``store``."""
    store.save_document(make_document("int-01", INT01))
    store.save_document(make_document("int-02", INT02))
    store.save_participants([Participant("P01", {"role": "peer mentor", "site": "North"}),
                             Participant("P02", {"role": "service user", "site": "South"})])
    return store


def coder_codings(store: Store, coder: str) -> list[tuple[str, str]]:
    """``coder``'s codings in ``store`` as sorted (segment id, code id) pairs."""
    c = store.codings(coder=coder)
    return sorted(zip(c["segment_id"], c["code_id"]))


def fill_study(study) -> None:  # noqa: ANN001 - a thematic.Study
    """Fill a study's store and write the fixture codebook where the study expects it."""
    fill_store(study.store)
    path: Path = study.codebook_path or study.paths.codebooks / "fixture.yaml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")


def suggest(store: Store, seg_id: str, code_id: str, confidence: float, suggester: str = "thematic.rules.v1") -> str:
    """Store a suggested coding of a whole segment; returns its id."""
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, suggester, status="suggested", text=seg.text,
               segment_id=seg.id, confidence=confidence, codebook_version="1.2.0",
               provenance=Provenance("suggester", suggester, {"threshold": 0.3}))
    store.add_codings([c])
    return c.id


def edit_sheet(path: Path, cells: dict[tuple[str, str], object], out: Path | None = None) -> Path:
    """Set cells of a coding sheet by (segment id, column title), as a coder would, saved to ``out`` (default ``path``)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (seg, col), value in cells.items():
        ws.cell(rows[seg], cols[col]).value = value
    wb.save(out or path)
    return out or path
