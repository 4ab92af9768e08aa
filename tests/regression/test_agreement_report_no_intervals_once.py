"""The agreement Word report with ``--boot 0`` says "no intervals" once.

Its summary line read "... seen by HT and SO, no intervals (--boot 0): no intervals (no bootstrap
resamples)." Fictional data written fresh; the report is a real .docx read back with python-docx.
"""

from __future__ import annotations

import docx
from coding.manual_support import fill_study

from thematic.export.reconcile import write_agreement_report

TURNS = ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]


def _summary(study, tmp_path, n_boot: int) -> str:  # noqa: ANN001 - a thematic.Study
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.code("int-02:3", "generativity", coder="HT")
    study.code("int-01:1", "generativity", coder="SO")
    for coder in ("HT", "SO"):
        study.mark_seen(TURNS, coder=coder, source="api")
    table = study.agreement(["HT", "SO"], n_boot=n_boot)
    path = write_agreement_report(table, study.disagreements(["HT", "SO"]), tmp_path / "agree.docx",
                                  coders=["HT", "SO"], n_boot=n_boot)
    return next(p.text for p in docx.Document(str(path)).paragraphs if p.text.startswith("Coders:"))


def test_boot_zero_says_no_intervals_once(study, tmp_path) -> None:
    line = _summary(study, tmp_path, 0)
    assert line.count("no intervals") == 1, line
    assert "Agreement over 4 segment(s) seen by HT and SO, no intervals (--boot 0)." in line


def test_with_intervals_the_line_says_how_they_are_shown(study, tmp_path) -> None:
    line = _summary(study, tmp_path, 20)
    assert "95% bootstrap CI: 95% bootstrap intervals in brackets." not in line
    assert "95% bootstrap CI (intervals in brackets)." in line, line
