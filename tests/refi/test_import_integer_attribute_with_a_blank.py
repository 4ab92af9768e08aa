"""An Integer attribute with a blank reads as written (``1``, ``2``) after a REFI import, not ``1.0``, ``2.0``.

What was wrong: participants.csv's ``wave`` (1, 2 and one blank) went out as a REFI Integer variable and came back
stored as numbers, but ``Store.participants()`` built its frame from the records, which turns a column of whole
numbers with a gap into floats: ``tables attributes`` listed ``1.0`` and ``2.0``, ``frequency --by wave`` had
columns ``1.0`` and ``2.0``, and so did the workbook, the charts and the appendix groups. The same happened to
whole numbers with a gap saved through the API (``store.save_participants``).

What is true now: a column of whole numbers with a gap keeps them whole (the gap stays missing), so imported
attributes read in every table as they did before the round trip.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thematic.models import Participant
from thematic.refi import export_refi, import_refi
from thematic.store import Store
from thematic.study import Study, init_study

CODEBOOK = ("name: cb\nversion: 0.1.0\nthemes:\n- {id: care, label: Care, definition: Care.}\n"
            "codes:\n- {id: family, label: Family, parent: care, definition: Family.}\n")


def _waves(study: Study) -> tuple[list[str], list[str]]:
    """The values ``tables attributes wave`` lists, and the group columns of ``frequency --by wave``."""
    tallies = study.attribute_tallies(["wave"])
    table = study.frequencies(by="wave", level="theme")
    return list(tallies["value"]), [str(c) for c in table.columns]


def test_an_integer_variable_with_a_blank_reads_as_before_the_round_trip(tmp_path: Path) -> None:
    study = init_study(tmp_path / "home", name="waves")
    (study.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    raw = study.paths.raw
    for i in (1, 2, 3):
        (raw / f"interview-{i}.txt").write_text(f"Interviewer: How are you?\nP0{i}: My family helps.\n",
                                                encoding="utf-8")
    (raw / "participants.csv").write_text("participant_id,wave\nP01,1\nP02,2\nP03,\n", encoding="utf-8")
    study.ingest()
    study.code("interview-1:1", "family", coder="HT")
    before = _waves(study)
    assert before[0] == ["1", "2", "(no answer)"]
    out = tmp_path / "out.qdpx"
    export_refi(study, out)
    study.close()

    import_refi(out, tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        assert {p.id: p.attributes.get("wave") for p in copy.store.participant_records()} == {
            "P01": 1, "P02": 2, "P03": None}  # typed as the file wrote it
        assert _waves(copy) == before


def test_whole_numbers_with_a_gap_stay_whole_in_the_frame(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    try:
        store.save_participants([Participant("P01", {"wave": 1, "score": 2.5}), Participant("P02", {"wave": 2}),
                                 Participant("P03", {"score": 1.5})])
        people = store.participants().set_index("participant_id")
        assert [str(v) for v in people["wave"].dropna()] == ["1", "2"] and pd.isna(people.loc["P03", "wave"])
        assert [str(v) for v in people["score"].dropna()] == ["2.5", "1.5"]  # fractions stay as they are
    finally:
        store.close()
