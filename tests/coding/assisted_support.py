"""Hand-built fictional fixtures for the suggester, code-run, evaluate and conformance tests.

A codebook of four codes with keywords, patterns and examples; interviews built from short
fictional turns (interviewer turns included); helpers to store them and to add manual codings.
Imported as ``coding.assisted_support`` (``tests/`` is on sys.path).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from thematic import schemas
from thematic.codebook import Codebook, loads_codebook
from thematic.models import Coding, Document, Segment

CODEBOOK_YAML = """\
name: assisted-fixture
version: 2.0.0
themes:
- id: barriers
  label: Structural barriers
  definition: Obstacles in the justice system.
- id: peers
  label: Peer connection
  definition: What shared experience brings.
codes:
- id: security_vetting
  label: Security vetting
  parent: barriers
  definition: Waiting for or failing security clearance before being allowed to work inside a prison.
  keywords: [vetting, security clearance]
  patterns:
  - [{LEMMA: vet}]
  examples:
  - My clearance took eleven months to come through.
  - They check your record again at every prison gate.
- id: funding
  label: Funding and money
  parent: barriers
  definition: Too little money, short grants and budgets that run out for projects.
  keywords: [funding, grant, budget cuts]
  patterns:
  - [{LOWER: {IN: [no, not]}}, {LOWER: money}]
  examples:
  - The grant ran out after one year and the project closed.
- id: shared_experience
  label: Shared lived experience
  parent: peers
  definition: The helper has lived through prison or addiction too, so people trust that they understand.
  keywords: [been there, same boat, walked in their shoes]
  examples:
  - He knows what it is like because he did the same sentence as me.
- id: staff_distance
  label: Them and us with staff
  parent: peers
  definition: A gap of trust between people under supervision and paid probation staff.
  keywords: [them and us]
  examples:
  - The probation officers never really trusted any of us.
"""

#: Participant turns per code, used to build interviews and training data (fictional).
TURNS = {
    "security_vetting": [
        "The vetting took five months before I could go on the wing.",
        "I got vetted twice for the same prison, it was a joke.",
        "Security clearance is the big wall for people like us.",
        "They vet you again at every establishment you go to.",
        "My vetting came back refused because of an old conviction.",
        "Waiting on vetting meant I lost the first job offer.",
        "The prison security department kept losing my vetting form.",
    ],
    "funding": [
        "The funding stopped after a year and the group closed.",
        "We had no grant left for the mentoring course.",
        "Funding is always short term, you can never plan.",
        "The budget cuts took our only paid worker.",
        "There was no money for travel so volunteers paid themselves.",
        "Every grant application takes weeks of my time.",
        "They cut the funding just when the project was working.",
    ],
    "shared_experience": [
        "I have been there myself so they know I get it.",
        "We were in the same boat, him and me, years ago.",
        "He has been there, done the same sentence as the lads.",
        "You can tell them you walked in their shoes and they listen.",
        "Because I was in the same boat they opened up to me.",
        "I have been there with the drink so I can spot it.",
        "They trust someone who has been there more than a leaflet.",
    ],
    "staff_distance": [
        "It was always them and us with the probation staff.",
        "The officers looked down on us, them and us all the way.",
        "There is a real them and us feeling in the office.",
        "Staff never sat with us at lunch, them and us.",
        "You felt them and us the minute you walked in.",
        "Probation staff kept a them and us distance from service users.",
        "Them and us, that is how the staff saw it.",
    ],
    None: [
        "We talked about the weather for a bit.",
        "The bus was late again this morning.",
        "I like watching the football on a Saturday.",
        "My sister moved house last week.",
        "I had a cup of tea before we started.",
        "The room was quite cold today.",
        "I live about twenty minutes from here.",
    ],
}


def codebook(version: str = "2.0.0") -> Codebook:
    """The fixture codebook (optionally under another version number)."""
    return loads_codebook(CODEBOOK_YAML.replace("version: 2.0.0", f"version: {version}"), path="fixture.yaml")


def make_document(doc_id: str, turns: list[tuple[str, bool, str]]) -> Document:
    """A document of 'Speaker: words' lines, one segment per turn (the words only)."""
    text, segs = "", []
    for i, (speaker, interviewer, words) in enumerate(turns):
        prefix = f"{speaker}: "
        start = len(text) + len(prefix)
        text += prefix + words + "\n"
        segs.append(Segment(doc_id, i, start, start + len(words), words, speaker,
                            None if interviewer else "P01", interviewer))
    return Document(doc_id, f"data/raw/{doc_id}.txt", "txt", text, hashlib.sha256(text.encode()).hexdigest(),
                    tuple(segs))


def interview(doc_id: str, answers: list[str]) -> Document:
    """An interview alternating an interviewer question and one of ``answers``."""
    turns: list[tuple[str, bool, str]] = []
    for a in answers:
        turns.append(("Interviewer", True, "Can you tell me about the vetting and funding?"))
        turns.append(("Dan", False, a))
    return make_document(doc_id, turns)


def training_interviews(n_docs: int = 5) -> list[tuple[Document, dict[int, str | None]]]:
    """``n_docs`` interviews, each answer a template turn; with {segment index: code} for coding them."""
    out = []
    for d in range(n_docs):
        answers, codes = [], {}
        for code, texts in TURNS.items():
            text = texts[d % len(texts)]
            codes[2 * len(answers) + 1] = code
            answers.append(text)
        out.append((interview(f"train-{d:02d}", answers), codes))
    return out


def code_document(store, doc: Document, codes: dict[int, str | None], coder: str = "AB") -> int:  # noqa: ANN001
    """Store ``coder``'s manual codings of the document's segments; returns how many."""
    items = [Coding(doc.id, doc.segments[i].start, doc.segments[i].end, code, coder, status="manual",
                    text=doc.segments[i].text, segment_id=doc.segments[i].id)
             for i, code in codes.items() if code is not None]
    return store.add_codings(items)[0]


def write_codebook(study, version: str = "2.0.0") -> Path:  # noqa: ANN001 - a thematic.Study
    """Write the fixture codebook where the study expects it."""
    path: Path = study.codebook_path or study.paths.codebooks / "fixture.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CODEBOOK_YAML.replace("version: 2.0.0", f"version: {version}"), encoding="utf-8")
    return path


def segments_frame(texts: dict[str, str], document: str = "doc") -> pd.DataFrame:
    """A segments frame of ``{segment_id: text}`` (one document, contiguous offsets)."""
    rows, pos = [], 0
    for i, (sid, text) in enumerate(texts.items()):
        rows.append({"segment_id": sid, "document_id": document, "index": i, "start": pos, "end": pos + len(text),
                     "is_interviewer": False, "text": text})
        pos += len(text) + 1
    return schemas.coerce_frame(pd.DataFrame(rows), schemas.SEGMENTS)


def training_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Segments and manual codings of the training interviews, as frames (no store)."""
    seg_rows, cod_rows = [], []
    for doc, codes in training_interviews():
        for s in doc.segments:
            seg_rows.append({"segment_id": s.id, "document_id": doc.id, "index": s.index, "start": s.start,
                             "end": s.end, "is_interviewer": s.is_interviewer, "text": s.text})
        for i, code in codes.items():
            if code is not None:
                s = doc.segments[i]
                cod_rows.append({"coding_id": f"{s.id}|{code}", "document_id": doc.id, "segment_id": s.id,
                                 "start": s.start, "end": s.end, "code_id": code, "coder": "AB", "status": "manual"})
    segs = schemas.coerce_frame(pd.DataFrame(seg_rows), schemas.SEGMENTS)
    segs = segs[~segs["is_interviewer"].astype(bool)].reset_index(drop=True)
    return segs, schemas.coerce_frame(pd.DataFrame(cod_rows), schemas.CODINGS)


def write_gold(path: Path, rows: list[tuple[str, str, list[str]]]) -> Path:
    """A gold JSON Lines file of (id, text, codes)."""
    path.write_text("".join(json.dumps({"id": i, "text": t, "codes": c}) + "\n" for i, t, c in rows),
                    encoding="utf-8")
    return path
