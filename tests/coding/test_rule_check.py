"""Rules that do not misfire: lemma collisions (W380), too-common rules (W381), each rule's hits and misses."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.assisted_support import code_document, interview, segments_frame, write_gold
from thematic.cli.main import app
from thematic.codebook import load_codebook
from thematic.coding.rule_check import (
    code_coverage, codebook_rules, corpus_warnings, lemma_collision, lemma_warnings, rule_report,
)

runner = CliRunner()

MISFIRING = """\
name: misfiring
version: 1.0.0
themes:
- id: barriers
  label: Barriers
  definition: Obstacles.
codes:
- id: founding
  label: Founding an organisation
  parent: barriers
  definition: Setting up a group of one's own.
  keywords: [found, grassroots]
- id: security_vetting
  label: Security vetting
  parent: barriers
  definition: Waiting for clearance.
  keywords: [clearance, mentees]
  patterns:
  - [{LEMMA: {IN: [vetting, check]}}]
- id: work
  label: Work
  parent: barriers
  definition: Having a job.
  keywords: [work]
"""


@pytest.fixture
def misfiring(tmp_path: Path) -> Path:
    path = tmp_path / "misfiring.yaml"
    path.write_text(MISFIRING, encoding="utf-8")
    return path


def test_lemma_collision_reports_a_different_common_word_not_plurals_or_inflections() -> None:
    assert lemma_collision("found") == ("find", ["find", "finds", "finding"])  # irregular: another verb
    lemma, others = lemma_collision("vetting")  # regular, but "vet" is mostly a different, commoner word
    assert lemma == "vet" and "vet" in others
    assert lemma_collision("housing")[0] == "house"
    for fine in ("vet", "mentees", "disengaged", "clearance", "security clearance"):
        assert lemma_collision(fine) is None, fine


def test_validate_warns_with_file_and_line_for_keywords_and_pattern_lemmas(misfiring: Path) -> None:
    warnings = lemma_warnings(misfiring)
    by_line = {(w.line, w.code): str(w) for w in warnings}
    assert set(by_line) == {(12, "W380"), (19, "W380")}
    assert "keyword 'found'" in by_line[(12, "W380")] and "fires on find, finds, finding" in by_line[(12, "W380")]
    assert "pattern #1" in by_line[(19, "W380")] and "'vetting' is read as 'vet'" in by_line[(19, "W380")]
    assert str(warnings[0]).endswith(by_line[(12, "W380")].split(": ", 1)[1]) and ":12: [W380]" in str(warnings[0])


def test_rule_report_counts_hits_precision_and_misses(misfiring: Path) -> None:
    cb = load_codebook(misfiring)
    segs = segments_frame({
        "a": "I was finding it hard to get out of bed.",
        "b": "We found our own grassroots group in a church hall.",
        "c": "Finding work is the hardest part.",
        "d": "My clearance took months; they check everything.",
        "e": "Nobody would vet a man with my record.",
        "f": "We set up a charity of our own for women coming out.",
    })
    labels = {"b": {"founding"}, "f": {"founding"}, "d": {"security_vetting"}, "e": {"security_vetting"}}
    report = rule_report(cb, segs, labels, codebook_rules(misfiring))
    row = report[(report["code_id"] == "founding") & (report["rule"] == "found")].iloc[0]
    assert (row["hits"], row["on_code"], row["line"]) == (3, 1, 12)  # finding, found, Finding
    assert row["precision"] == pytest.approx(1 / 3)
    pattern = report[(report["code_id"] == "security_vetting") & (report["kind"] == "pattern")].iloc[0]
    assert (pattern["hits"], pattern["on_code"]) == (2, 2)  # "check" and "vet"
    coverage = code_coverage(cb, segs, labels).set_index("code_id")
    assert coverage.loc["founding", ["human", "found", "missed", "fired"]].tolist() == [2, 1, 1, 3]
    only = rule_report(cb, segs, None, code="work")
    assert set(only["code_id"]) == {"work"} and only["precision"].isna().all()


def test_a_rule_matching_too_much_of_the_corpus_is_reported(misfiring: Path) -> None:
    cb = load_codebook(misfiring)
    segs = segments_frame({f"s{i}": t for i, t in enumerate(
        ["I work nights.", "Work was hard.", "After work I go home.", "We talked about the weather.",
         "The bus was late.", "My sister came round."])})
    report = rule_report(cb, segs, None, codebook_rules(misfiring))
    warned = corpus_warnings(report, misfiring, len(segs), max_share=0.25)
    assert [(w.code, w.line) for w in warned] == [("W381", 24)]
    assert "3 of 6 (50%)" in str(warned[0])
    assert corpus_warnings(report, misfiring, len(segs), max_share=0.6) == []


def test_the_example_codebook_has_no_lemma_collisions() -> None:
    path = Path(__file__).parents[2] / "codebooks" / "peer-work-desistance.yaml"
    assert [str(w) for w in lemma_warnings(path)] == []


def test_cli_validate_prints_warnings_and_still_passes(misfiring: Path) -> None:
    result = runner.invoke(app, ["codebook", "validate", str(misfiring)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output and "W380" in result.output and ":12:" in result.output


def test_cli_rules_on_a_gold_file_and_in_a_study(misfiring: Path, tmp_path: Path, study) -> None:  # noqa: ANN001
    gold = write_gold(tmp_path / "gold.jsonl", [("d1:0", "We found our own grassroots group.", ["founding"]),
                                                 ("d2:0", "I kept finding excuses.", [])])
    out = runner.invoke(app, ["codebook", "rules", "--gold", str(gold), "--codebook", str(misfiring)],
                        catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "Each rule's hits" in out.output and "keyword found" in out.output and "0.50" in out.output
    bad = runner.invoke(app, ["codebook", "rules", "nope", "--gold", str(gold), "--codebook", str(misfiring)])
    assert bad.exit_code == 1 and "E340" in bad.output and "Traceback" not in bad.output

    path = tmp_path / "study-codebook.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MISFIRING, encoding="utf-8")
    doc = interview("talk", ["I work nights.", "We found our own group.", "Work is work."])
    study.store.save_document(doc)
    code_document(study.store, doc, {3: "founding"})
    res = runner.invoke(app, ["codebook", "rules", "--study", str(study.root), "--codebook", str(path)],
                        catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "manually coded documents" in res.output and "Per code" in res.output
    warned = runner.invoke(app, ["codebook", "validate", str(path), "--study", str(study.root), "--max-share", "0.3"],
                           catch_exceptions=False)
    assert warned.exit_code == 0 and "W381" in warned.output and "'work'" in warned.output
    assert "2 of 3 (67%)" in warned.output
