"""``study.codings(segment=X)`` lists every coding that overlaps X, as the tables count them.

A passage coded across two focus-group turns (Ann's and Bob's) counts for both speakers in every table ("a coding
counts for every segment its span overlaps"), but ``study.codings(segment=..., counted=True)`` kept only the
codings wholly inside the segment, so it returned nothing for either turn and a table's number could not be
traced back. Now the segment filter keeps the codings whose span overlaps the segment (and those recorded on it).
"""

from __future__ import annotations

from coding.manual_support import CODEBOOK_YAML, make_document
from thematic.models import Participant

FG = [
    ("Moderator", None, True, "Money?"),
    ("Ann", "P01", False, "I owe a lot of money to"),
    ("Bob", "P02", False, "the council, and so do I."),
    ("Cat", "P03", False, "Not me."),
]


def _study(study):  # noqa: ANN001, ANN202
    study.store.save_document(make_document("fg-01", FG))
    study.store.save_participants([Participant(p, {}) for p in ("P01", "P02", "P03")])
    (study.codebook_path or study.paths.codebooks / "fixture.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    ann, bob = study.store.segment("fg-01:1"), study.store.segment("fg-01:2")
    study.code(("fg-01", ann.start, bob.end), "funding", coder="HT")      # one passage over both turns
    study.code(("fg-01", ann.start, ann.start + 5), "generativity", coder="HT")  # inside Ann's turn only
    return study


def test_a_passage_over_two_turns_is_listed_for_each(study) -> None:  # noqa: ANN001
    s = _study(study)
    matrix = s.code_matrix(level="code")
    assert int(matrix.loc["funding", "P01"]) == 1 and int(matrix.loc["funding", "P02"]) == 1
    for seg in ("fg-01:1", "fg-01:2"):
        assert "funding" in set(s.codings(segment=seg, counted=True)["code_id"]), seg
    assert list(s.codings(segment="fg-01:2")["code_id"]) == ["funding"]       # not Ann's own coding
    assert sorted(s.codings(segment="fg-01:1")["code_id"]) == ["funding", "generativity"]
    assert s.codings(segment="fg-01:3").empty                                  # Cat's turn: nothing reaches it
