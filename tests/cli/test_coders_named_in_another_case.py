"""Coders named in another case (`--coders ht,so`, `--of ht`, `latest:so`) are the stored HT and SO everywhere.

The agreement table matched `ht` to HT, but the commands around it used the names as typed:
`agreement --coders ht,so --out report.docx` ended in a KeyError traceback, the coverage line lost
its counts ("; both saw 25"), `--characters` printed an empty table, `sample --of ht` said HT had seen
no segment (E603) and `--sample latest:so` found no sample (E601). Now each of them resolves a name
the same way (exactly, else in another case when that names one coder) and shows the stored spelling.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from coding.manual_support import CODEBOOK_YAML
from coding.test_double_coding import fill_many
from thematic.analysis import agreement, character_agreement, disagreements
from thematic.cli.main import app
from thematic.coding.sample import draw_sample
from thematic.errors import NotFoundError
from thematic.export.reconcile import write_agreement_report

runner = CliRunner()


def _run(root: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return " ".join(result.output.split())


@pytest.fixture
def coded(study):  # noqa: ANN001 - a thematic.Study
    """HT saw and coded every other turn of 24; SO saw the first 10 and coded every third of them."""
    ids = fill_many(study.store, n_docs=1, turns=24)
    (study.codebook_path or study.paths.codebooks / "fixture.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    for i, sid in enumerate(ids):
        if i % 2 == 0:
            study.code(sid, "funding", coder="HT")
        if i % 3 == 0 and i < 10:
            study.code(sid, "funding", coder="SO")
    study.mark_seen(ids, coder="HT")
    study.mark_seen(ids[:10], coder="SO")
    return study


def test_agreement_cli_with_lower_case_coders_reports_counts_and_writes_the_docx(coded, tmp_path) -> None:  # noqa: ANN001
    root = coded.root
    coded.close()
    out = _run(root, "agreement", "--coders", "ht,so", "--boot", "0")
    assert "seen by HT and SO" in out
    assert "HT saw 24 segment(s), SO saw 10; both saw 10" in out
    report = tmp_path / "report.docx"
    out = _run(root, "agreement", "--coders", "ht,so", "--boot", "0", "--out", str(report))
    assert f"Wrote {report}" in out
    doc = docx.Document(str(report))
    assert any("Coders: HT, SO." in p.text for p in doc.paragraphs)
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert header == ["Where", "Participant", "Text", "HT", "SO", "Disputed"]
    out = _run(root, "agreement", "--coders", "ht,so", "--boot", "0", "--characters")
    assert "Character-level agreement" in out and "funding" in out.split("Character-level agreement")[1]


def test_character_agreement_and_the_report_resolve_names_as_agreement_does(coded, tmp_path) -> None:  # noqa: ANN001
    f = coded.frames()
    chars = character_agreement(f.codings, coders="ht,so", doc_lengths=f.doc_lengths, codebook=f.codebook,
                                segments=f.segments, coverage=f.coverage)
    same = character_agreement(f.codings, coders="HT,SO", doc_lengths=f.doc_lengths, codebook=f.codebook,
                               segments=f.segments, coverage=f.coverage)
    assert len(chars) > 0 and chars.equals(same)
    kw = dict(coders="HT,SO", codebook=f.codebook, coverage=f.coverage)
    table = agreement(f.codings, f.segments, n_boot=0, **kw)
    diffs = disagreements(f.codings, f.segments, **kw)
    assert len(diffs) > 0
    path = write_agreement_report(table, diffs, tmp_path / "r.docx", coders=["ht", "so"], n_boot=0)
    rows = docx.Document(str(path)).tables[1].rows
    assert [c.text for c in rows[0].cells][3:5] == ["HT", "SO"]
    assert {rows[1].cells[3].text, rows[1].cells[4].text} == {"funding", ""}


def test_sample_of_and_latest_coder_in_another_case(coded) -> None:  # noqa: ANN001
    result = draw_sample(coded.store, coder="NEW", n=3, of="ht", seed=1)
    assert result.n_candidates == 24
    assert coded.store.resolve_sample("latest:new") == result.sample_id
    assert coded.store.resolve_sample("latest:NEW") == result.sample_id
    assert len(coded.store.sample_segments("latest:new")) == 3
    with pytest.raises(NotFoundError, match=r"\[E601\]"):
        coded.store.resolve_sample("latest:nobody")


def test_sample_cli_of_and_agreement_sample_latest_lower_case(coded) -> None:  # noqa: ANN001
    root = coded.root
    coded.close()
    out = _run(root, "sample", "--coder", "SO", "--n", "4", "--of", "ht", "--seed", "2")
    assert "4 of 24 participant segment(s) for SO" in out
    out = _run(root, "agreement", "--coders", "ht,so", "--boot", "0", "--sample", "latest:so")
    assert "in the sample seen by HT and SO" in out
