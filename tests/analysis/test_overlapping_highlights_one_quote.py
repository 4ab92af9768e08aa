"""Overlapping highlights of one passage under one code make one quote, their union.

The appendix merged only a span lying inside another of the same code and segment. Two coders who highlight
the same passage with slightly different ends ("I never trusted ... lied to us." and "never trusted ... lied
to us. Later") got two near-identical quotes, one after the other, with the same attribution and location,
although the docs say a passage coded by two coders appears once. Now overlapping spans of one code in one
segment are merged into one quote over their union (chosen if any of them is); spans that only touch or lie
apart stay separate quotes.
"""

from __future__ import annotations

from pathlib import Path

from analysis.quote_support import quote_study

FILES = {
    "int-a.txt": "Interviewer: Hi\nP01: Well. I never trusted the staff at first, they lied to us. Later it changed. "
                 "Now trust is fine.\n",
    "int-b.txt": "Interviewer: Hi\nP02: Trust grew slowly.\n",
}


def test_two_coders_overlapping_spans_give_one_quote(tmp_path: Path) -> None:
    study = quote_study(tmp_path, FILES)
    text = study.store.document_text("int-a")
    a, b, c = text.index("I never"), text.index("they lied"), text.index("Later")
    study.code(("int-a", a, b + len("they lied to us.")), "trust", coder="HT")
    study.code(("int-a", a + 2, c + len("Later")), "trust", coder="SO", memo="#chosen")
    study.code("int-b:1", "trust", coder="HT")
    q = study.quotes()
    mine = q.loc[q.participant_id == "P01"]
    assert list(mine["text"]) == ["I never trusted the staff at first, they lied to us. Later"]
    assert bool(mine["chosen"].item())
    assert (int(mine["start"].item()), int(mine["end"].item())) == (a, c + len("Later"))
    study.close()


def test_spans_apart_stay_two_quotes(tmp_path: Path) -> None:
    study = quote_study(tmp_path, FILES)
    text = study.store.document_text("int-a")
    first = ("int-a", text.index("I never"), text.index("us.") + len("us."))
    second = ("int-a", text.index("Now trust"), text.index("fine.") + len("fine."))
    touching = ("int-a", text.index("us.") + len("us."), text.index("changed.") + len("changed."))
    study.code(first, "trust", coder="HT", memo="#chosen")
    study.code(second, "trust", coder="SO")
    study.code(touching, "trust", coder="SO")
    q = study.quotes()
    mine = q.loc[q.participant_id == "P01"]
    assert list(mine["text"]) == ["I never trusted the staff at first, they lied to us.", "Later it changed.",
                                  "Now trust is fine."]
    assert list(mine["chosen"]) == [True, False, False]  # the mark stays on its own passage
    study.close()
