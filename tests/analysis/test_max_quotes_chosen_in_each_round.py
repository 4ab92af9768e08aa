"""``max_quotes`` takes one quote per participant before a second from anyone, chosen ones first in each round.

A participant's rank among their own quotes was counted before chosen quotes were moved first, so P01's
ordinary first quote kept rank 0 beside their chosen second one: with ``max_quotes=2`` both of P01's quotes
were printed and none of P02's or P03's (breaking the appendix's own note "one per participant first").
Now a participant's chosen quote is their first, each round takes one quote per participant, and within a
round chosen quotes come first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.quote_support import quote_study

FILES = {
    "int-a.txt": "Interviewer: Hi\nP01: First thing about trust.\nInterviewer: More?\n"
                 "P01: Second thing about trust, the one I want quoted.\n",
    "int-b.txt": "Interviewer: Hi\nP02: Trust from a second person.\n",
    "int-c.txt": "Interviewer: Hi\nP03: Trust from a third person.\n",
}


@pytest.mark.parametrize("order", ["participant", "chosen", "document"])
def test_a_chosen_second_quote_does_not_give_its_speaker_two_slots(tmp_path: Path, order: str) -> None:
    study = quote_study(tmp_path, FILES)
    study.code("int-a:1", "trust", coder="HT")
    study.code("int-a:3", "trust", coder="HT", memo="#chosen")
    study.code("int-b:1", "trust", coder="HT")
    study.code("int-c:1", "trust", coder="HT")
    q = study.quotes(max_quotes=2, order=order)
    assert sorted(q["participant_id"]) == ["P01", "P02"]
    assert q.loc[q.participant_id == "P01", "text"].item() == "Second thing about trust, the one I want quoted."
    three = study.quotes(max_quotes=3, order=order)
    assert sorted(three["participant_id"]) == ["P01", "P02", "P03"]
    study.close()


def test_chosen_quotes_lead_each_round(tmp_path: Path) -> None:
    study = quote_study(tmp_path, FILES)
    study.code("int-a:1", "trust", coder="HT", memo="#chosen")
    study.code("int-a:3", "trust", coder="HT", memo="#chosen")
    study.code("int-b:1", "trust", coder="HT")
    study.code("int-c:1", "trust", coder="HT", memo="#chosen")
    q = study.quotes(max_quotes=2, order="chosen")
    assert list(q["participant_id"]) == ["P01", "P03"]  # both chosen, one each, before P02's plain one
    q = study.quotes(max_quotes=3, order="chosen")
    assert list(q["participant_id"]) == ["P01", "P03", "P02"]  # P01's second chosen waits for round two
    study.close()
