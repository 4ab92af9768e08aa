"""A participants.csv pseudonym that is someone's real name is neither turned into an id nor stored.

Ingest replaced every name the study knows in every participants.csv column, the ``pseudonym`` column
included. P02's chosen pseudonym ``Hannah`` is P01's real first name, so it was stored as ``P01`` and
``--style name-role`` attributed P02's words to ``(P01, staff)``, without a word. Now the pseudonym column
is never rewritten: a pseudonym that is, or holds, a name the study knows is left out (printed, it would
show a real name) and W011 names participants.csv's line, so the quote reads ``(P02, staff)`` until the
researcher picks another pseudonym. Other columns (a ``notes`` column naming someone) are still rewritten.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from thematic.study import init_study

ROSTER = """\
participant_id,name,pseudonym,role,notes
P01,Hannah Brightwater,Rose,peer mentor,
P02,Gareth Llewellyn,Hannah,staff,Mentored by Hannah Brightwater
P03,Idris Conway,Idris Conway,staff,
"""


def test_a_pseudonym_that_is_a_real_name_is_left_out_with_its_line(tmp_path: Path) -> None:
    study = init_study(tmp_path / "study", name="pseudonyms")
    (study.root / "codebooks" / "cb.yaml").write_text(
        "name: cb\nversion: 0.1.0\nthemes:\n- {id: t, label: Theme, definition: x}\n"
        "codes:\n- {id: trust, label: Trust, parent: t, definition: x}\n", encoding="utf-8")
    raw = study.paths.raw
    (raw / "participants.csv").write_text(ROSTER, encoding="utf-8")
    (raw / "int-01.txt").write_text("Interviewer: Hi\nHannah Brightwater: I never trusted the staff.\n", encoding="utf-8")
    (raw / "int-02.txt").write_text("Interviewer: Hi\nGareth Llewellyn: We had no time for trust.\n", encoding="utf-8")
    (raw / "int-03.txt").write_text("Interviewer: Hi\nIdris Conway: Trust takes years.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    people = study.store.participants().set_index("participant_id")
    assert people.loc["P01", "pseudonym"] == "Rose"  # nobody's name: stored as written
    assert people.loc["P02", "pseudonym"] != "P01"
    assert people["pseudonym"].isna()[["P02", "P03"]].all()  # real names: left out, never printed
    assert people.loc["P02", "notes"] == "Mentored by P01"  # a notes column still loses the name
    w011 = [w for w in report.warnings if w.startswith("[W011]")]
    assert len(w011) == 2
    assert "participants.csv:3:" in w011[0] and "P02" in w011[0] and "pseudonym" in w011[0]
    assert "participants.csv:4:" in w011[1] and "P03" in w011[1]
    assert not any("Hannah" in w or "Idris" in w for w in report.warnings)  # the warning names no one
    for doc in ("int-01", "int-02"):
        study.code(f"{doc}:1", "trust", coder="HT")
    quotes = study.quotes(style="name-role").set_index("participant_id")
    assert quotes.loc["P01", "attribution"] == "(Rose, peer mentor)"
    assert quotes.loc["P02", "attribution"] == "(P02, staff)"
    study.close()
