"""Fixtures for the REFI-QDA tests: a coded study built with the real Store, and REFI file writers."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from thematic.models import Coding, Document, Participant, Provenance, Segment
from thematic.refi.text import paragraph_segments

CODEBOOK_YAML = """\
name: fieldwork
version: 0.2.0
description: A small fictional codebook.
schema_version: 1
changes: []
themes:
- id: belonging
  label: Belonging and peers
  definition: How people describe fitting in with peers.
  color: '#3366CC'
- id: barriers
  label: Barriers
  definition: What gets in the way.
codes:
- id: shared_experience
  label: Shared experience ('been there')
  parent: belonging
  definition: |-
    The helper has lived through the same things.
    Second line of the definition.
  include:
  - Claims that peers understand
  exclude:
  - Hope without shared history (use role_model)
  examples:
  - "I've been where you are."
  color: '#CC0033'
- id: role_model
  label: Role model
  parent: belonging
  definition: The helper as proof that change is possible.
  memo: Merge with shared_experience? Discussed 3 May.
- id: vetting
  label: Security vetting
  parent: barriers
  definition: Clearance processes that delay or block people.
- id: vetting_delay
  label: Vetting delays
  parent: vetting
  definition: Waiting months for clearance.
  color: '#008080'
"""

TEXT_1 = (
    "Interviewer: How did you start?\n"
    "Zoë: I'd been there myself — café owner, naïve at first 😀 and it helped.\n"
    "\n"
    "Zoë: The vetting took eight months, honestly.\n"
)
TEXT_2 = "Interviewer: Tell me more.\nÅsa: Role models matter 👍 a lot.\nÅsa: Vetting was quick.\n"


def _add_document(store, doc_id: str, text: str, participant: str, **attributes: object) -> Document:
    segs = tuple(
        Segment(s.document_id, s.index, s.start, s.end, s.text,
                participant_id=None if s.text.startswith("Interviewer") else participant,
                is_interviewer=s.text.startswith("Interviewer"), kind="turn")
        for s in paragraph_segments(doc_id, text)
    )
    doc = Document(id=doc_id, path=f"data/raw/{doc_id}.txt", format="txt", text=text, content_hash=doc_id * 2,
                   segments=segs, title=f"Interview {doc_id}", attributes={"site": "North", "wave": 1, **attributes})
    store.save_document(doc)
    return doc


def _coding(doc: Document, quote: str, code: str, coder: str, **kw) -> Coding:
    start = doc.text.index(quote)
    return Coding(document_id=doc.id, start=start, end=start + len(quote), code_id=code, coder=coder, text=quote,
                  created_at=datetime(2024, 5, 1, 9, 30, tzinfo=UTC), **kw)


@pytest.fixture
def coded_study(study):
    """A study with two documents, two participants, a 3-level codebook and codings by two coders."""
    (study.root / "codebooks" / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    store = study.store
    d1 = _add_document(store, "int-01", TEXT_1, "P01")
    d2 = _add_document(store, "int-02", TEXT_2, "P02", memos=[{"start": 0, "end": 26, "memo": "Ask about 2020."}])
    store.save_participants([
        Participant("P01", {"role": "peer mentor", "age": 34, "score": 2.5, "on_licence": True}),
        Participant("P02", {"role": "staff", "age": 51, "score": 4.0, "on_licence": False}),
    ])
    rules = Provenance("suggester", "thematic.rules.v1")
    store.add_codings([
        _coding(d1, "I'd been there myself — café owner, naïve at first 😀", "shared_experience", "AB",
                memo="Strong example; quote in chapter 3."),
        _coding(d1, "I'd been there myself — café owner, naïve at first 😀", "shared_experience", "CD"),
        _coding(d1, "The vetting took eight months", "vetting_delay", "AB"),
        _coding(d1, "The vetting took eight months", "vetting", "CD"),
        _coding(d2, "Role models matter 👍 a lot.", "role_model", "CD"),
        _coding(d2, "Vetting was quick.", "vetting", "thematic.rules.v1", status="accepted", provenance=rules,
                confidence=0.9),
        _coding(d2, "Role models matter", "shared_experience", "thematic.rules.v1", status="suggested",
                provenance=rules, confidence=0.4),
        _coding(d2, "Tell me more.", "role_model", "thematic.rules.v1", status="rejected", provenance=rules),
    ])
    return study


def write_qdpx(path: Path, project_xml: str | bytes, files: dict[str, str | bytes] | None = None) -> Path:
    """A .qdpx zip holding ``project.qde`` and the given members."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", project_xml)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return path


@pytest.fixture
def qdpx():
    """``qdpx(path, project_xml, {member: data})`` writes a .qdpx archive for a test."""
    return write_qdpx
