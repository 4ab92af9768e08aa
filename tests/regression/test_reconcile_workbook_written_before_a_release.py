"""A reconcile decision workbook written before a codebook release, imported after it.

The team fills in ``money`` and ``funding``; the release merges both into ``finance``. The import refused the
whole workbook with "[E340] Unknown code 'money'", without a word of the merge, although a coding sheet of the
same age maps such columns (W349); and `thematic code add` of a merged-away id said only "unknown code". Now a
decision naming an id the codebook no longer defines is read through the released renames and merges, as the
coding sheet's columns are, with one [W037] per mapped id; an id split or retired since is still refused, with
an error naming what it became (the split's codes, the retirement's version and note).
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.store import Store

from .release_study import fill_decisions, release, released_study
from .tiny_study import cli

CHANGES = ("- {version: 1.1.0, merge: {from: [money, funding], into: finance}}\n"
           "- {version: 1.1.0, split: {from: barriers, into: [vetting, other_barriers]}}\n"
           "- {version: 1.1.0, retire: {code: family}, note: too broad}\n")
EDITS = {"- {id: money, parent: work, definition: Talk about pay.}\n": "",
         "- {id: funding, parent: work, definition: Talk about grants.}\n":
         "- {id: finance, parent: work, definition: Money matters.}\n",
         "- {id: barriers, parent: work, definition: Barriers to work.}\n":
         "- {id: vetting, parent: work, definition: Vetting.}\n"
         "- {id: other_barriers, parent: work, definition: Other barriers.}\n",
         "- {id: family, parent: work, definition: Family.}\n": ""}


def _run(root: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert "Traceback" not in res.output
    return res.exit_code, " ".join(res.output.split())


def _book(tmp_path: Path) -> tuple[Path, Path]:
    root = released_study(tmp_path / "s", [("alpha:1", "money", "HT"), ("beta:1", "funding", "HT"),
                                           ("beta:1", "money", "SO"), ("alpha:3", "barriers", "HT"),
                                           ("beta:3", "family", "SO")])
    book = tmp_path / "decide.xlsx"
    cli(root, "reconcile", "--coders", "HT,SO", "--out", str(book))
    fill_decisions(book, {"alpha:1": "Money", "beta:1": "money, funding", "alpha:3": "barriers",
                          "beta:3": "family"})
    release(root, CHANGES, EDITS)
    return root, book


def test_split_and_retired_ids_are_refused_naming_what_they_became(tmp_path: Path) -> None:
    root, book = _book(tmp_path)
    code, out = _run(root, "import", "reconcile", str(book), "--by", "HT")
    assert code != 0 and "[E609]" in out and "2 decision cell(s)" in out, out
    assert "'barriers' was split into vetting, other_barriers in codebook 1.1.0" in out, out
    assert "'family' was retired in codebook 1.1.0 (too broad)" in out, out
    assert "Unknown code 'money'" not in out and "Unknown code 'funding'" not in out, out
    with Store(root / "data" / "coded" / "thematic.db") as store:
        assert store.codings(coder="consensus").empty  # nothing stored


def test_renamed_and_merged_ids_are_read_as_their_code_now_with_one_warning_each(tmp_path: Path) -> None:
    root, book = _book(tmp_path)
    fill_decisions(book, {"alpha:3": "vetting", "beta:3": "none"})
    code, out = _run(root, "import", "reconcile", str(book), "--by", "HT")
    assert code == 0, out
    assert out.count("[W037]") == 2, out  # once for money (rows 2 and 3, any case), once for funding
    assert "'money' was merged into 'finance' (1.1.0 merge money, funding -> finance)" in out, out
    with Store(root / "data" / "coded" / "thematic.db") as store:
        cons = store.codings(coder="consensus")
        decisions = store.decisions("consensus")
    assert sorted(zip(cons["segment_id"], cons["code_id"])) == [("alpha:1", "finance"), ("alpha:3", "vetting"),
                                                                ("beta:1", "finance")]
    assert set(decisions["code_id"]) <= {"finance", "vetting", "barriers", "family"}


def test_code_add_of_a_merged_away_id_says_what_it_became(tmp_path: Path) -> None:
    root, _ = _book(tmp_path)
    code, out = _run(root, "code", "add", "beta:3", "funding", "--coder", "HT")
    assert code != 0 and "[E340]" in out and "'funding' was merged into finance in codebook 1.1.0" in out, out
