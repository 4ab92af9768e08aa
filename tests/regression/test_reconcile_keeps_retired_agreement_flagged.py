"""Reconcile after a release that retired a code or split it away, on a segment both coders had coded with it.

Both coders' codings of the retired ``family`` and the split ``barriers`` were flagged by `codebook migrate`
(``retired: ...``, ``split: choose ...``), but reconcile settled those segments as "coded alike" by writing new
consensus codings of the same codes with no flag: they counted in every table in place of the coders', were not
in `thematic codebook flagged`, and stayed on the consensus after the coders recoded theirs. Now the consensus
keeps the coders' agreement as migrate keeps their codings: written with the same flag migrate gave theirs, so it
is listed for review; reconcile warns [W036] naming them; and once the coders recode theirs, the next reconcile
settles the segment again with the new code and drops the flagged one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thematic.store import Store

from .release_study import fill_decisions, release, released_study
from .tiny_study import cli

RETIRE_AND_SPLIT = ("- {version: 1.1.0, retire: {code: family}, note: too broad}\n"
                    "- {version: 1.1.0, split: {from: barriers, into: [vetting, other_barriers]}}\n")
SPLIT_EDIT = {"- {id: barriers, parent: work, definition: Barriers to work.}\n":
              "- {id: vetting, parent: work, definition: Vetting.}\n"
              "- {id: other_barriers, parent: work, definition: Other barriers.}\n"}
RETIRED = "retired: family (1.1.0); keep as history or recode"
SPLIT = "split: choose vetting or other_barriers (was barriers, 1.1.0)"


def _study(root: Path) -> Path:
    both = [(seg, code, c) for c in ("HT", "SO") for seg, code in (("beta:1", "family"), ("alpha:3", "barriers"))]
    released_study(root, [*both, ("beta:1", "money", "HT")])  # beta:1 is also disputed: a workbook is written
    release(root, RETIRE_AND_SPLIT, SPLIT_EDIT)
    return root


def _codings(root: Path, coder: str) -> dict[tuple[str, str], str | None]:
    with Store(root / "data" / "coded" / "thematic.db") as store:
        df = store.codings(coder=coder)
    return {(str(s), str(c)): (None if pd.isna(f) else str(f))
            for s, c, f in zip(df["segment_id"], df["code_id"], df["flag"])}


def test_an_imported_workbook_keeps_a_retired_or_split_agreement_flagged_as_migrate_flags_the_coders(
        tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    assert _codings(root, "HT")[("beta:1", "family")] == RETIRED  # what migrate did to the coders' codings
    assert _codings(root, "SO")[("alpha:3", "barriers")] == SPLIT
    book = tmp_path / "decide.xlsx"
    cli(root, "reconcile", "--coders", "HT,SO", "--out", str(book))
    fill_decisions(book, {"beta:1": "none"})
    out = " ".join(cli(root, "import", "reconcile", str(book), "--by", "HT").split())
    consensus = _codings(root, "consensus")
    assert consensus == {("beta:1", "family"): RETIRED, ("alpha:3", "barriers"): SPLIT}
    assert "[W036]" in out and "family on beta:1" in out and "barriers on alpha:3" in out, out
    listed = cli(root, "codebook", "flagged", "--coder", "consensus")
    assert "family" in listed and "barriers" in listed


def test_the_terminal_route_flags_them_too_and_a_recode_by_both_coders_settles_the_segment_again(
        tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    out = " ".join(cli(root, "reconcile", "--coders", "HT,SO", "--by", "HT", stdin="n\n\n").split())
    assert out.count("[W036]") == 2, out  # alpha:3 settled as coded alike, then beta:1 decided (money: no)
    assert _codings(root, "consensus") == {("beta:1", "family"): RETIRED, ("alpha:3", "barriers"): SPLIT}
    again = " ".join(cli(root, "reconcile", "--coders", "HT,SO", "--by", "HT", stdin="q\n").split())
    assert "[W036]" not in again and "[W604]" not in again, again  # nothing new written: no second warning
    for coder in ("HT", "SO"):
        cli(root, "code", "remove", "alpha:3", "barriers", "--coder", coder)
        cli(root, "code", "add", "alpha:3", "vetting", "--coder", coder)
    settled = " ".join(cli(root, "reconcile", "--coders", "HT,SO", "--by", "HT", stdin="q\n").split())
    assert "[W604]" in settled and "alpha:3" in settled, settled
    assert _codings(root, "consensus") == {("beta:1", "family"): RETIRED, ("alpha:3", "vetting"): None}


def test_a_decision_cannot_keep_the_retired_code(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from thematic.cli.main import app

    root = _study(tmp_path / "s")
    book = tmp_path / "decide.xlsx"
    cli(root, "reconcile", "--coders", "HT,SO", "--out", str(book))
    fill_decisions(book, {"beta:1": "family, money"})
    res = CliRunner().invoke(app, ["import", "reconcile", str(book), "--by", "HT", "--study", str(root)],
                             env={"COLUMNS": "200"})
    assert res.exit_code != 0 and "[E210]" in res.output, res.output
    assert _codings(root, "consensus") == {}
