"""A segment another pair settled is offered again with a true reason (W605), not "their codings changed".

With three coders, HT and SO were reconciled first and coded a segment alike. Reconciling HT and MK then
offered that segment again (MK applied one code fewer) with W604 "the codings of HT or MK there changed since
it settled them", and ``import reconcile`` said "settled before settled again (a coder's codings changed there
since)". Nobody had changed anything: another pair had settled it. Now ``ReconcileItem.settled_by`` names the
pairs that settled such a segment when the pair being reconciled never did, the terminal and ``--out`` warn
W605 saying so, and ``ReconcileImport.others`` counts these rows apart from ``reopened``. A coder changing
their coding after their own pair settled it still gives W604.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.reconcile import reconcile_items, settle_agreed

SEGS = ["int-01:1", "int-01:3"]


def _settled_by_ht_so(study) -> None:  # noqa: ANN001
    fill_study(study)
    toml = study.paths.config
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT", "SO", "MK"]'),
                    encoding="utf-8")
    for who, codes in (("HT", ["funding", "generativity"]), ("SO", ["funding", "generativity"]), ("MK", ["funding"])):
        for code in codes:
            study.code("int-01:1", code, coder=who)
        study.code("int-01:3", "security_vetting", coder=who)
        study.mark_seen(SEGS, coder=who)
    items = reconcile_items(study.store, coders=["HT", "SO"])
    assert settle_agreed(study.store, items, coders=["HT", "SO"], consensus="consensus", decided_by="HT",
                         route="api") == 2


def test_the_other_pairs_segment_is_offered_with_w605(study, tmp_path: Path) -> None:  # noqa: ANN001
    _settled_by_ht_so(study)
    items = reconcile_items(study.store, coders=["HT", "MK"])
    assert [(i.segment_id, i.reopened, i.settled_by) for i in items] == [("int-01:1", True, ("HT,SO",))]
    root = study.root
    study.close()
    book = tmp_path / "decide.xlsx"
    result = CliRunner().invoke(app, ["reconcile", "--coders", "HT,MK", "--out", str(book), "--study", str(root)],
                                env={"COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "[W605]" in text and "[W604]" not in text and "changed since" not in text
    assert "HT and SO" in text and "int-01:1" in text
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    ws.cell(2, [c.value for c in ws[1]].index("decision") + 1).value = "generativity"
    wb.save(book)
    result = CliRunner().invoke(app, ["import", "reconcile", str(book), "--by", "HT", "--study", str(root)],
                                env={"COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "1 segment(s) another pair settled" in text and "codings changed" not in text


def test_a_coder_of_the_settling_pair_changing_their_coding_is_still_w604(study) -> None:  # noqa: ANN001
    _settled_by_ht_so(study)
    study.uncode("int-01:1", "generativity", coder="SO")
    items = reconcile_items(study.store, coders=["HT", "SO"])
    assert [(i.segment_id, i.reopened, i.settled_by) for i in items] == [("int-01:1", True, ())]
