"""Human codes that are a theme or a retired code: named in a warning, and never the baseline's pick.

W370 named only ids missing from the codebook. A theme id (a tool that lets people code at the parent
level) or a code retired by a `retire` entry is "in the codebook", so it passed without a word, yet no
suggester can propose it: micro recall and top-3 recall came out lower than the per-code figures with
nothing to explain why. And the most-frequent-code baseline counted such codes too, so when one was the
most frequent it "suggested" a code it could never score. Now W034 names each such code with where it
first appears (the gold file's line, or the study and on how many units); the units stay scored and the
code counts as a miss (as W370's unknown codes do, documented in docs/assisted-coding.md); the baseline
picks among codable codes only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thematic.codebook import loads_codebook
from thematic.coding import metrics
from thematic.coding.evaluate import BASELINE, evaluate
from thematic.models import Coding

from coding.assisted_support import interview

CODEBOOK = """\
name: tiny
version: 1.1.0
schema_version: 1
changes:
- {version: 1.1.0, retire: {code: old_housing}}
themes:
- {id: life, label: Life, definition: Things in life.}
codes:
- id: housing
  label: Housing
  parent: life
  definition: Talk about housing, a flat, a hostel or a landlord.
  keywords: [flat, hostel, landlord]
- {id: old_housing, label: Housing (old), parent: life, definition: Retired; use housing.}
- id: work
  label: Work
  parent: life
  definition: Talk about jobs and employers.
  keywords: [job, employer]
"""

ROWS = [("a:1", "I lived in a hostel for a year.", ["housing"]),
        ("a:2", "I love my job.", ["work"]),
        ("b:1", "The landlord kicked me out of the flat.", ["housing", "life"]),
        ("b:2", "No employer wanted me.", ["work", "old_housing"]),
        ("c:1", "Things were hard.", ["life"]),
        ("c:2", "It was a long year.", ["life", "gone_code"])]


def _gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t, "codes": c}) + "\n" for i, t, c in ROWS), encoding="utf-8")
    return path


def test_themes_and_retired_codes_are_named_with_their_line(tmp_path: Path) -> None:
    result = evaluate(None, gold=_gold(tmp_path), codebook=loads_codebook(CODEBOOK), suggesters=["rules"])
    w034 = [w for w in result["warnings"] if w.startswith("[W034]")]
    assert len(w034) == 1, result["warnings"]
    assert "gold.jsonl" in w034[0] and "life (theme, line 3)" in w034[0] and "old_housing (retired, line 4)" in w034[0]
    w370 = [w for w in result["warnings"] if w.startswith("[W370]")]
    assert len(w370) == 1 and "gone_code (line 6)" in w370[0] and "life" not in w370[0]


def test_such_units_are_scored_and_the_codes_count_as_misses(tmp_path: Path) -> None:
    result = evaluate(None, gold=_gold(tmp_path), codebook=loads_codebook(CODEBOOK), suggesters=["rules"])
    rules = result["suggesters"]["thematic.rules.v1"]
    assert result["n_units"] == 6 and result["n_human_codes"] == 9
    assert {r["code_id"]: r["recall"] for r in rules["per_code"] if r["support"]} == {"housing": 1.0, "work": 1.0}
    assert rules["micro"]["recall"] == pytest.approx(4 / 9)  # 4 codable codes found, 5 that can never be


def test_the_baseline_picks_a_codable_code(tmp_path: Path) -> None:
    result = evaluate(None, gold=_gold(tmp_path), codebook=loads_codebook(CODEBOOK), suggesters=["rules"])
    base = result["suggesters"][BASELINE]
    assert base["n_suggested"] == 6 and base["micro"]["precision"] == pytest.approx(2 / 6)  # housing (2) beats work by id
    pred, rank = metrics.most_frequent_baseline(["u1", "u2", "u3"], {"u1": {"x"}, "u2": {"x"}, "u3": {"b"}}, ["a", "b"])
    assert pred == {"u1": {"b"}, "u2": {"b"}, "u3": {"b"}} and rank["u1"] == ["b", "a"]


def test_a_study_coding_of_a_retired_code_is_named(study) -> None:  # noqa: ANN001
    (study.paths.codebooks / "tiny.yaml").write_text(CODEBOOK, encoding="utf-8")
    doc = interview("d1", ["I lived in a hostel.", "I got a job.", "The flat was cold."])
    study.store.save_document(doc)
    seg = [s for s in doc.segments if not s.is_interviewer]
    study.store.add_codings([Coding(doc.id, s.start, s.end, code, "AB", status="manual", text=s.text, segment_id=s.id)
                             for s, code in ((seg[0], "housing"), (seg[1], "work"), (seg[2], "old_housing"))])
    result = evaluate(study, suggesters=["rules"])
    w034 = [w for w in result["warnings"] if w.startswith("[W034]")]
    assert len(w034) == 1 and "study" in w034[0] and "old_housing (retired, 1 unit)" in w034[0], result["warnings"]
