"""Studies shaped unlike the example (issue 19): file names without digits, no participants.csv.

Hand-written fictional transcripts; helpers shared by the regression tests of issue 19.
"""

from __future__ import annotations

from pathlib import Path

CODEBOOK = """\
name: small-study
version: 1.0.0
themes:
- id: work_life
  label: Work and life
  definition: How work fits with the rest of life.
- id: methods
  label: Research methods
  definition: How people do their research.
codes:
- id: time_pressure
  label: Time pressure
  parent: work_life
  definition: Not enough time for work, study or family.
  keywords: [time, busy]
- id: funding_resources
  label: Funding and resources
  parent: work_life
  definition: Money, grants and equipment.
  keywords: [funding, grant, money]
- id: qualitative_methods
  label: Qualitative methods
  parent: methods
  definition: Interviews and other qualitative approaches.
  keywords: [interviews, qualitative]
"""

TRANSCRIPTS = {
    "ana.txt": (
        "Interviewer: Tell me about your research.\n"
        "Ana: I mostly run interviews, it is qualitative work and I love it.\n"
        "Interviewer: And the practical side?\n"
        "Ana: There is never enough time, and the funding for transcription ran out.\n"
        "Interviewer: Anything else?\n"
        "Ana: Family life and the job both want my time.\n"
    ),
    "david.txt": (
        "Interviewer: How do you work?\n"
        "David: Qualitative interviews, mainly with nurses.\n"
        "Interviewer: What gets in the way?\n"
        "David: The grant money covers two days a week, so I am always busy.\n"
    ),
}

#: Ana's transcript with a question and answer inserted before "the practical side": every later
#: segment id shifts on re-ingest (positions), while the turns' text stays the same.
ANA_INSERTED = TRANSCRIPTS["ana.txt"].replace(
    "Interviewer: And the practical side?\n",
    "Interviewer: Where do you work?\nAna: At the university.\nInterviewer: And the practical side?\n")


def write_study(root: Path, transcripts: dict[str, str] | None = None) -> Path:
    """An initialised study at ``root`` with the codebook and transcripts (no participants.csv)."""
    from thematic.study import init_study

    study = init_study(root, name="Unlike the example")
    (root / "codebooks" / "small-study.yaml").write_text(CODEBOOK, encoding="utf-8")
    for cb in (root / "codebooks").glob("*.yaml"):
        if cb.name != "small-study.yaml":
            cb.unlink()
    toml = root / "thematic.toml"
    lines = [ln for ln in toml.read_text(encoding="utf-8").splitlines() if not ln.startswith("codebook =")]
    toml.write_text("\n".join(lines).replace('coders = []', 'coders = ["HT", "SO"]') + "\n", encoding="utf-8")
    study.close()
    for name, text in (transcripts or TRANSCRIPTS).items():
        (root / "data" / "raw" / name).write_text(text, encoding="utf-8")
    return root


def code_by_words(study, words: dict[str, tuple[str, ...]], coder: str = "HT"):  # noqa: ANN001, ANN201
    """Code every participant turn that mentions one of a code's words (any case) with it; the segments."""
    segs = study.store.segments()
    for sid, text, inter in zip(segs["segment_id"], segs["text"], segs["is_interviewer"]):
        low = str(text).lower()
        for code, found in words.items():
            if not inter and any(w in low for w in found):
                study.code(sid, code, coder=coder)
    return segs


def code_two_coders(root: Path) -> None:
    """Ingest, then HT codes every participant turn with its keyword codes and SO a subset."""
    from thematic.study import Study

    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        turns = segs.loc[~segs["is_interviewer"].fillna(False).astype(bool)]
        for i, (sid, text) in enumerate(zip(turns["segment_id"], turns["text"])):
            low = str(text).lower()
            for code, words in (("time_pressure", ("time", "busy")), ("funding_resources", ("funding", "grant")),
                                ("qualitative_methods", ("interviews", "qualitative"))):
                if any(w in low for w in words):
                    study.code(sid, code, coder="HT")
                    if i % 2 == 0:
                        study.code(sid, code, coder="SO")
