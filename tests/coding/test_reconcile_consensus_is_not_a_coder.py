"""A coder with blind work of their own cannot be the consensus coder of a reconcile.

With three coders, ``thematic reconcile --coders HT,SO --consensus MK`` (meant as ``--by MK``) was accepted:
the consensus codings were added to MK's own blind codings, the settled segments recorded as seen by MK (so
MK's agreement with HT changed), and every HT/SO dispute on a segment MK had double-coded was skipped as
"already settled". Only a consensus named as one of the two compared coders was refused (E608). Now a
consensus name that has codings or recorded coverage that reconcile did not write is refused with E610 by
``reconcile_items``, ``settle`` and ``import_reconcile`` (so the CLI and Python both refuse), nothing is
stored, and a thematic.toml whose ``[study] consensus`` is also one of its ``coders`` is refused where it is
read (E122, naming the file and line).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.config import load_config
from thematic.errors import InputError, StudyError
from thematic.export.tables import write_table
from thematic.reconcile import import_reconcile, reconcile_items, reconcile_table, settle

SEGS = ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]
PAIR = ["HT", "SO"]


def _three(study) -> None:  # noqa: ANN001
    """HT and SO dispute int-01:1 and int-02:1; MK double-coded int-02:1 and int-02:3."""
    fill_study(study)
    toml = study.paths.config
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT", "SO", "MK"]'),
                    encoding="utf-8")
    study.code("int-01:1", "funding", coder="HT")
    study.code("int-02:1", "funding", coder="HT")
    study.code("int-02:1", "generativity", coder="SO")
    study.code("int-02:1", "funding", coder="MK")
    study.mark_seen(SEGS, coder="HT")
    study.mark_seen(SEGS, coder="SO")
    study.mark_seen(["int-02:1", "int-02:3"], coder="MK")


def _mk(study) -> tuple[list[tuple[str, str]], list[str]]:  # noqa: ANN001
    c = study.codings(coder="MK")
    return sorted(zip(c["segment_id"], c["code_id"])), sorted(study.seen("MK")["segment_id"])


def test_a_third_coder_named_as_consensus_is_refused_and_nothing_changes(study, tmp_path: Path) -> None:  # noqa: ANN001
    _three(study)
    before = _mk(study)
    with pytest.raises(InputError, match=r"\[E610\].*'MK'.*1 coding.*2 segment"):
        reconcile_items(study.store, coders=PAIR, consensus="MK")
    items = reconcile_items(study.store, coders=PAIR)             # the real consensus offers both disputes
    assert [i.segment_id for i in items if i.disputed] == ["int-01:1", "int-02:1"]
    with pytest.raises(InputError, match=r"\[E610\]"):
        settle(study.store, items[1], ["funding"], coders=PAIR, consensus="MK", decided_by="MK", route="api")
    book = write_table(reconcile_table(items, PAIR), tmp_path / "decide.xlsx", format="xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    col = [c.value for c in ws[1]].index("decision") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col).value = "funding"
    wb.save(book)
    with pytest.raises(InputError, match=r"\[E610\]"):
        import_reconcile(study.store, book, consensus="MK", decided_by="MK")
    assert _mk(study) == before and study.store.decisions().empty


def test_coverage_alone_makes_a_coder_too(study) -> None:  # noqa: ANN001
    _three(study)
    study.mark_seen(["int-01:3"], coder="RB")                     # RB read a turn and ticked nothing
    with pytest.raises(InputError, match=r"\[E610\].*'RB'.*no coding.*1 segment"):
        reconcile_items(study.store, coders=PAIR, consensus="RB")


def test_the_cli_refuses_it_before_writing_anything(study) -> None:  # noqa: ANN001
    _three(study)
    root = study.root
    study.close()
    result = CliRunner().invoke(app, ["reconcile", "--coders", "HT,SO", "--consensus", "MK", "--by", "HT",
                                      "--study", str(root)], input="y\n\ny\n\n", env={"COLUMNS": "160"})
    assert result.exit_code == 1 and "[E610]" in result.output, result.output
    assert "--by MK" in " ".join(result.output.split())


def test_a_consensus_that_is_one_of_the_coders_in_thematic_toml_is_refused(tmp_path: Path) -> None:
    toml = tmp_path / "thematic.toml"
    toml.write_text('[study]\nname = "s"\ncoders = ["HT", "SO", "MK"]\nconsensus = "mk"\n', encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[E122\] .*thematic.toml:4: \[study\] consensus = \"mk\".*MK"):
        load_config(toml)
    toml.write_text('[study]\nname = "s"\ncoders = ["HT", "SO"]\nconsensus = "MK"\n', encoding="utf-8")
    assert load_config(toml).consensus == "MK"
