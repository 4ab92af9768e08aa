"""frequencies(coder=X) keeps each document's source kind when X saw only part of it.

SO double-coded a sample: one interviewee's turn and one turn of a two-person focus group. The
document kind used to be decided from the turns SO saw, so the focus group (one member seen) was
counted as an interview: "interviewees 2 of 2" and no focus-group row. Fictional data written fresh.
"""

from __future__ import annotations

import pytest

CODEBOOK = """\
name: fixture
version: 1.0.0
themes:
- id: constraints
  label: Constraints
  definition: What gets in the way.
codes:
- id: time_pressure
  label: Lack of time
  parent: constraints
  definition: Not having enough time.
"""


@pytest.fixture
def sampled(study):
    """HT coded and saw every turn; SO saw (and coded) Ann's turn and Cat's focus-group turn only."""
    (study.root / "codebooks" / "fixture.yaml").write_text(CODEBOOK, encoding="utf-8")
    raw = study.root / "data" / "raw"
    (raw / "interview-a.txt").write_text("Interviewer: How was it?\nAnn: I had no time at all.\n", encoding="utf-8")
    (raw / "interview-b.txt").write_text("Interviewer: How was it?\nBen: The slides were busy.\n", encoding="utf-8")
    (raw / "focus-group.txt").write_text(
        "Moderator: Tell us.\nCat: No time for study.\nDan: Always too busy.\n", encoding="utf-8")
    study.ingest()
    segs = study.segments(include_interviewer=False)
    assert len(segs) == 4
    for sid in segs["segment_id"]:
        study.code(sid, "time_pressure", coder="HT")
    study.mark_seen(segs, coder="HT")
    seen = ["interview-a:1", "focus-group:1"]
    for sid in seen:
        study.code(sid, "time_pressure", coder="SO")
    study.mark_seen(seen, coder="SO")
    return study


def _rows(freq):
    return {s: (n, N, docs) for s, n, N, docs in
            freq[["source", "n_participants", "N_participants", "n_documents"]].itertuples(index=False)}


def test_a_focus_group_seen_in_part_stays_a_focus_group(sampled) -> None:
    freq = sampled.frequencies(coder="SO", level="code")
    assert _rows(freq) == {"interviewees": (1, 1, 1), "focus-group members": (1, 1, 1)}
    assert list(freq["n_of_N"]) == ["1 of 1", "1 of 1"]


def test_the_full_coder_sees_the_same_kinds(sampled) -> None:
    freq = sampled.frequencies(coder="HT", level="code")
    assert _rows(freq) == {"interviewees": (2, 2, 2), "focus-group members": (2, 2, 1)}


def test_a_sample_of_one_focus_group_member_only_is_still_a_focus_group(sampled) -> None:
    sampled.mark_seen(["focus-group:2"], coder="XY")
    sampled.code("focus-group:2", "time_pressure", coder="XY")
    freq = sampled.frequencies(coder="XY", level="code")
    assert _rows(freq) == {"focus-group members": (1, 1, 1)}
