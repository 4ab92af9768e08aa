"""A small hand-built study whose frequencies are known, written with the real Store.

Participants (N = 5): P01, P02 peer mentors; P03, P05 service users; P04 staff.
Documents: int-01 (interviewer + P01), int-02 (interviewer + P02), fg-01 (interviewer, P03, P04),
int-05 (interviewer + P05, timestamps). Codings (see ``CODINGS``) include an interviewer turn, a
suggestion and a rejected suggestion that must not be counted by default.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from thematic.codebook import loads_codebook
from thematic.models import Coding, Document, Participant, Provenance, Segment

CODEBOOK_YAML = """\
name: test-codebook
version: 1.0.0
themes:
- id: support
  label: Peer support
  definition: How peers help one another.
- id: barriers
  label: Barriers
  definition: What gets in the way.
codes:
- id: shared_experience
  label: Shared experience
  parent: support
  definition: The helper has been through the same things.
- id: trust
  label: Trust
  parent: support
  definition: Trusting the helper.
- id: trust_staff
  label: Trust in staff
  parent: trust
  definition: Trusting paid staff.
- id: funding
  label: Funding
  parent: barriers
  definition: Money runs out.
- id: vetting
  label: Security vetting
  parent: barriers
  definition: Checks that keep people with convictions out.
"""

PARTICIPANTS = [
    Participant("P01", {"role": "peer mentor", "gender": "female", "pseudonym": "Jess", "barriers": "funding;vetting"}),
    Participant("P02", {"role": "peer mentor", "gender": "male", "pseudonym": "Sam", "barriers": "funding"}),
    Participant("P03", {"role": "service user", "gender": "male", "pseudonym": "Lee", "barriers": "vetting; stigma"}),
    Participant("P04", {"role": "staff", "gender": None, "pseudonym": "Ana", "barriers": None}),
    Participant("P05", {"role": "service user", "gender": "female", "pseudonym": "Kit", "barriers": "funding"}),
]

# (document, [(speaker, participant, is_interviewer, text, time_start)])
DOCUMENTS = {
    "int-01": [
        ("Interviewer", None, True, "How did you start mentoring?", None),
        ("Jess", "P01", False, "I had been inside myself, so I knew what they were going through. They trusted me.", None),
        ("Interviewer", None, True, "What made it hard?", None),
        ("Jess", "P01", False, "Been there myself. The money ran out every March and the project nearly closed.", None),
    ],
    "int-02": [
        ("Interviewer", None, True, "Tell me about the staff.", None),
        ("Sam", "P02", False, "My probation officer was straight with me, I trusted her.", None),
        ("Sam", "P02", False, "We never knew if the grant would be renewed.", None),
    ],
    "fg-01": [
        ("Facilitator", None, True, "What stops people volunteering?", None),
        ("Lee", "P03", False, "The vetting took eleven months and I gave up twice.", None),
        ("Ana", "P04", False, "Budgets are cut every year, so we cannot pay peers.", None),
        ("Lee", "P03", False, "Someone who has done time gets it straight away.", None),
    ],
    "int-05": [
        ("Interviewer", None, True, "Anything else?", 0.0),
        ("Kit", "P05", False, "Not really, it was fine for me.", 65.0),
    ],
}


def build_document(doc_id: str, turns: list[tuple]) -> Document:
    """A document whose text is 'Speaker: utterance' lines; segments cover the utterances."""
    text, segs = "", []
    for i, (speaker, pid, is_int, utterance, t) in enumerate(turns):
        prefix = f"{speaker}: "
        start = len(text) + len(prefix)
        text += prefix + utterance + "\n"
        segs.append(Segment(doc_id, i, start, start + len(utterance), utterance, speaker=speaker,
                            participant_id=pid, is_interviewer=is_int, time_start=t,
                            time_end=None if t is None else t + 30))
    return Document(id=doc_id, path=f"data/raw/{doc_id}.txt", format="txt", text=text,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(), segments=tuple(segs),
                    title=doc_id.replace("-", " ").title())


def seg_coding(doc: Document, index: int, code: str, coder: str = "HT", status: str = "manual",
               memo: str | None = None, part: tuple[int, int] | None = None) -> Coding:
    """A coding of a whole segment (or of the slice ``part`` of it)."""
    s = doc.segments[index]
    start, end = (s.start, s.end) if part is None else (s.start + part[0], s.start + part[1])
    source = "suggester" if coder.startswith("thematic.") else "manual"
    return Coding(doc.id, start, end, code, coder, status=status, text=doc.text[start:end], segment_id=s.id,
                  provenance=Provenance(source, coder if source == "suggester" else None), memo=memo)


def add_study_codings(store, docs: dict[str, Document]) -> None:
    d = docs
    codings = [
        seg_coding(d["int-01"], 1, "shared_experience", memo="#chosen: key quote"),
        seg_coding(d["int-01"], 1, "trust"),
        seg_coding(d["int-01"], 3, "shared_experience", part=(0, 17)),
        seg_coding(d["int-01"], 3, "funding"),
        seg_coding(d["int-01"], 0, "funding"),  # interviewer turn: never counted
        seg_coding(d["int-02"], 1, "trust_staff"),
        seg_coding(d["int-02"], 2, "funding", coder="thematic.rules.v1", status="accepted"),
        seg_coding(d["fg-01"], 1, "vetting"),
        seg_coding(d["fg-01"], 2, "funding", coder="thematic.rules.v1", status="suggested"),
        seg_coding(d["fg-01"], 3, "shared_experience", coder="SO"),
        seg_coding(d["int-05"], 1, "funding", coder="thematic.rules.v1", status="rejected"),
    ]
    store.add_codings(codings)


@pytest.fixture
def codebook():
    return loads_codebook(CODEBOOK_YAML, path="codebooks/test.yaml")


@pytest.fixture
def known_study(study, codebook):
    """The hand-built study in a real Study folder (store written through the Store API)."""
    study.codebook_path.write_text(CODEBOOK_YAML, encoding="utf-8")  # thematic.toml's codebook
    docs = {k: build_document(k, v) for k, v in DOCUMENTS.items()}
    with study.store.transaction():
        for doc in docs.values():
            study.store.save_document(doc)
        study.store.save_participants(PARTICIPANTS)
        add_study_codings(study.store, docs)
    return study


@pytest.fixture
def frames(known_study):
    from thematic.analysis import load_frames

    return load_frames(known_study)


def make_segments(n_docs: int, per_doc: int) -> pd.DataFrame:
    """A plain segments frame (no store) of n_docs x per_doc participant turns."""
    from thematic import schemas

    rows = []
    for d in range(n_docs):
        for i in range(per_doc):
            rows.append({"segment_id": f"d{d}:{i}", "document_id": f"d{d}", "index": i, "start": i * 10,
                         "end": i * 10 + 9, "participant_id": f"P{d:02d}", "is_interviewer": False,
                         "kind": "turn", "text": f"segment {d}-{i}", "speaker": f"P{d:02d}"})
    return schemas.coerce_frame(pd.DataFrame(rows), schemas.SEGMENTS)


def make_codings(rows: list[tuple[str, str, str]], segments: pd.DataFrame, status: str = "manual") -> pd.DataFrame:
    """A codings frame from (segment_id, code, coder) triples, each coding a whole segment."""
    from thematic import schemas

    seg = segments.set_index("segment_id")
    out = [{"coding_id": f"c{i}", "document_id": seg.loc[s, "document_id"], "segment_id": s,
            "start": seg.loc[s, "start"], "end": seg.loc[s, "end"], "code_id": code, "coder": coder,
            "status": status} for i, (s, code, coder) in enumerate(rows)]
    return schemas.coerce_frame(pd.DataFrame(out, columns=["coding_id", "document_id", "segment_id", "start", "end",
                                                           "code_id", "coder", "status"]), schemas.CODINGS)


@pytest.fixture
def tmp_out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out
