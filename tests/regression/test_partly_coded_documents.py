"""A coder who recorded what they saw in a document is not read as having coded all of it.

`thematic evaluate` (and its `--curve`) took every participant turn of a document with manual codings as
coded, a turn without a code as coded "nothing"; the model and the ensemble learnt those turns as
negatives. Right for someone who codes a transcript through, wrong for a second coder's sample sheet or a
widget session stopped half-way: turns they never read counted against the suggesters (a correct
suggestion scored as a false positive) and taught the model that their codes are absent there. Where a
coder's sheet, widget or ``mark_seen`` recorded what they saw in a document, only those turns (and the
ones they coded) count; a document coded without such a record is still read as coded throughout.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thematic.coding.evaluate import study_units
from thematic.coding.plan import training_codings
from thematic.coding.suggest._labels import labelled_segments
from thematic.study import Study

from .unlike_example import write_study


def _study(tmp_path: Path) -> tuple[Study, list[str], list[str]]:
    study = Study(write_study(tmp_path / "s"))
    study.ingest()
    turns = study.segments().query("not is_interviewer")
    ana = turns.query("document_id == 'ana'")["segment_id"].tolist()
    david = turns.query("document_id == 'david'")["segment_id"].tolist()
    return study, ana, david


def test_a_sampled_coder_is_scored_on_what_they_saw(tmp_path: Path) -> None:
    study, ana, _ = _study(tmp_path)
    assert len(ana) == 3
    study.code(ana[0], "qualitative_methods", coder="SO")
    study.mark_seen([ana[0], ana[1]], coder="SO", source="sheet")  # SO's sample: two of Ana's three turns
    units, labels = study_units(study, "SO")
    assert sorted(units["segment_id"]) == sorted(ana[:2])
    assert labels[ana[0]] == {"qualitative_methods"} and labels[ana[1]] == set()


def test_a_document_coded_without_a_seen_record_still_counts_whole(tmp_path: Path) -> None:
    study, ana, david = _study(tmp_path)
    study.code(ana[0], "qualitative_methods", coder="HT")       # HT codes Ana through, on the command line
    study.code(david[0], "qualitative_methods", coder="SO")
    study.mark_seen([david[0]], coder="SO", source="widget")    # SO read one of David's turns in the widget
    units, _ = study_units(study)
    assert set(ana) <= set(units["segment_id"])
    assert set(units.query("document_id == 'david'")["segment_id"]) == {david[0]}


def test_a_review_alone_does_not_stop_a_document_counting_whole(tmp_path: Path) -> None:
    study, ana, _ = _study(tmp_path)
    study.code(ana[0], "qualitative_methods", coder="HT")
    study.mark_seen([ana[1]], coder="HT", source="review")      # a reviewed suggestion: not a record of coverage
    units, _ = study_units(study, "HT")
    assert sorted(units["segment_id"]) == sorted(ana)


def test_the_model_learns_negatives_only_from_turns_the_coder_saw(tmp_path: Path) -> None:
    study, ana, david = _study(tmp_path)
    study.code(ana[0], "qualitative_methods", coder="SO")
    study.mark_seen([ana[0], ana[1]], coder="SO", source="sheet")
    study.code(david[0], "qualitative_methods", coder="HT")
    cods = training_codings(study.context, None)
    segs = study.store.segments(include_interviewer=False)
    learnt = set(labelled_segments(segs, cods))
    assert ana[2] not in learnt and {ana[0], ana[1]} <= learnt
    assert set(david) <= learnt                                   # HT's document, coded without a record: whole
    assert isinstance(cods, pd.DataFrame)
