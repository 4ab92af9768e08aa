"""A codebook release that only renames or merges codes reopened segments the consensus had already settled.

The decision log keeps the code ids it was written with, and `codebook migrate` moves the codings (the coders' and
the consensus's) to the new ids but not the log, so after renaming ``money`` to ``pay`` a settled decision on
``money`` no longer "covered" the coders' ``pay`` there: `thematic reconcile` warned [W604] that the coders'
codings had changed (nobody had touched one) and asked for the decision again. The log's ids are now read through
the renames and merges that a migration applied after the decision was logged, so those segments stay settled;
a real change by a coder still reopens them.
"""

from __future__ import annotations

from pathlib import Path

from .release_study import fill_decisions, release, released_study
from .tiny_study import cli

RENAME = ("- {version: 1.1.0, rename: {from: money, to: pay}, note: clearer}\n"
          "- {version: 1.1.0, rename: {from: barriers, to: obstacles}}\n")
RENAME_EDIT = {"- {id: money,": "- {id: pay,", "- {id: barriers,": "- {id: obstacles,"}
MERGE = "- {version: 1.1.0, merge: {from: [money, funding], into: finance}}\n"
MERGE_EDIT = {"- {id: money, parent: work, definition: Talk about pay.}\n": "",
              "- {id: funding, parent: work, definition: Talk about grants.}\n":
              "- {id: finance, parent: work, definition: Money matters.}\n"}


def _settled(root: Path, tmp_path: Path, codings: list[tuple[str, str, str]], decisions: dict[str, str]) -> None:
    released_study(root, codings)
    book = tmp_path / "decide.xlsx"
    cli(root, "reconcile", "--coders", "HT,SO", "--out", str(book))
    fill_decisions(book, decisions)
    cli(root, "import", "reconcile", str(book), "--by", "HT")
    left = " ".join(cli(root, "reconcile", "--coders", "HT,SO", "--out", str(tmp_path / "left.xlsx")).split())
    assert "0 disputed segment(s)" in left and "[W604]" not in left, left


def _reconcile(root: Path, tmp_path: Path) -> str:
    return " ".join(cli(root, "reconcile", "--coders", "HT,SO", "--out", str(tmp_path / "after.xlsx")).split())


def test_a_rename_only_release_reopens_nothing(tmp_path: Path) -> None:
    root = tmp_path / "s"
    _settled(root, tmp_path, [("alpha:1", "money", "HT"), ("alpha:3", "barriers", "HT"),
                              ("alpha:3", "barriers", "SO")], {"alpha:1": "money"})
    release(root, RENAME, RENAME_EDIT)
    out = _reconcile(root, tmp_path)
    assert "[W604]" not in out and "0 disputed segment(s)" in out, out
    cli(root, "code", "add", "alpha:1", "family", "--coder", "SO")  # a real change since still reopens it
    out = _reconcile(root, tmp_path)
    assert "[W604]" in out and "alpha:1" in out and "1 disputed segment(s)" in out, out


def test_a_merge_reopens_nothing_whichever_of_its_codes_the_decisions_kept(tmp_path: Path) -> None:
    root = tmp_path / "s"
    _settled(root, tmp_path, [("alpha:1", "money", "HT"), ("alpha:1", "funding", "SO"),
                              ("beta:1", "funding", "HT")], {"alpha:1": "funding", "beta:1": "none"})
    release(root, MERGE, MERGE_EDIT)
    out = _reconcile(root, tmp_path)
    assert "[W604]" not in out and "0 disputed segment(s)" in out, out
