"""``study.evaluate(suggesters="rules")`` iterated the string and refused suggester 'r' (E371).

It now reads a string as ``run_code`` does (comma-separated names), through one shared normaliser.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_split_names() -> None:
    from thematic.coding.suggest import split_names

    assert split_names("rules") == ["rules"]
    assert split_names(" rules, model ,") == ["rules", "model"]
    assert split_names(["rules", "model"]) == ["rules", "model"]
    assert split_names(None) is None
    assert split_names("") is None


def test_evaluate_takes_a_string(study) -> None:  # noqa: ANN001
    result = study.evaluate(gold=REPO / "tests/gold/example-gold.jsonl",
                            codebook=REPO / "codebooks/peer-work-desistance.yaml", suggesters="rules")
    assert "thematic.rules.v1" in result["suggesters"]
    assert set(result["suggesters"]) == {"thematic.rules.v1", "baseline.most_frequent"}
