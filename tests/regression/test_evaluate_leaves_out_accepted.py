"""`thematic evaluate` on a study leaves out segments where a person accepted a suggestion.

Such a segment is neither gold (the suggester proposed its code) nor "coded nothing"; counting it
as nothing scored the suggesters down for the very codes people accepted.
"""

from __future__ import annotations

from pathlib import Path

from thematic.coding.evaluate import study_units
from thematic.study import Study

from .unlike_example import write_study


def test_segments_with_accepted_suggestions_are_not_units(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    turns = study.segments().query("document_id == 'ana' and not is_interviewer")["segment_id"].tolist()
    study.code(turns[0], "qualitative_methods", coder="AB")
    study.run_code(suggesters=["rules"])
    suggestion = study.codings(status="suggested").query("segment_id == @turns[1]", local_dict={"turns": turns})
    study.store.set_status([suggestion["coding_id"].iloc[0]], "accepted", actor="AB")
    units, labels = study_units(study)
    assert turns[0] in set(units["segment_id"]) and labels[turns[0]] == {"qualitative_methods"}
    assert turns[1] not in set(units["segment_id"])
    assert turns[2] in set(units["segment_id"]) and labels[turns[2]] == set()
