"""A coding whose quote a re-ingest could not find (flagged, no segment, offsets of the old text) is not placed
on whatever new turn lies at its old offsets: it does not make its code "known" there (the passage is suggested
again), it is not gold in `thematic evaluate` nor a training label, and an accepted one removes no unit."""

from __future__ import annotations

import json
from pathlib import Path

from regression.tiny_study import cli, codebook_yaml, study_with

import thematic
from thematic.coding.evaluate import study_units
from thematic.coding.plan import training_codings
from thematic.coding.suggest._labels import labelled_segments, segment_codes
from thematic.models import FLAG_NOT_FOUND

CODEBOOK = codebook_yaml("""\
- id: housing
  parent: life
  label: Housing
  definition: Housing, flats, tenancy and homelessness.
  keywords: [flat, tenancy, homeless]
- id: pets
  parent: life
  label: Pets
  definition: Dogs, cats and other pets.
  keywords: [dog, cat]
""")
REST = "\n\nInterviewer: Anything else?\n\nSam: I like my dog.\n"
BEFORE = "Interviewer: Hi.\n\nSam: I was homeless and then got a flat." + REST
AFTER = "Interviewer: Hi.\n\nSam: My flat has a proper tenancy now." + REST  # turn 1 rewritten, still housing


def _study(root: Path) -> Path:
    study_with(root, CODEBOOK, {"int.txt": BEFORE})
    cli(root, "ingest")
    return root


def _reingest(root: Path) -> None:
    (root / "data" / "raw" / "int.txt").write_text(AFTER, encoding="utf-8")
    assert "W106" in cli(root, "ingest")


def test_lost_coding_does_not_block_the_new_turns_suggestion(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    cli(root, "code", "add", "int:1", "housing", "--coder", "AB")
    _reingest(root)
    with thematic.Study.open(root) as st:
        lost = st.store.codings(status="manual")
        assert lost["segment_id"].isna().all() and (lost["flag"] == FLAG_NOT_FOUND).all()
    cli(root, "code", "--suggesters", "rules")
    with thematic.Study.open(root) as st:
        sug = st.store.codings(status="suggested")
        assert ("int:1", "housing") in set(zip(sug["segment_id"], sug["code_id"]))


def test_lost_coding_is_neither_gold_nor_a_training_label(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    cli(root, "code", "add", "int:1", "housing", "--coder", "AB")
    cli(root, "code", "add", "int:3", "pets", "--coder", "AB")
    _reingest(root)
    with thematic.Study.open(root) as st:
        segs = st.store.segments(include_interviewer=False)
        training = training_codings(st.context, None)
        assert segment_codes(segs, training) == {"int:3": {"pets"}}
        _, labels = study_units(st)
        assert labels == {"int:1": set(), "int:3": {"pets"}}
    out = json.loads(cli(root, "evaluate", "--suggesters", "rules", "--format", "json"))
    assert out["n_human_codes"] == 1


def test_lost_accepted_coding_removes_no_unit(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    cli(root, "code", "--suggesters", "rules")
    with thematic.Study.open(root) as st:
        sug = st.store.codings(status="suggested")
        housing = sug[(sug["segment_id"] == "int:1") & (sug["code_id"] == "housing")]["coding_id"].tolist()
        assert len(housing) == 1
        st.store.set_status(housing, "accepted", actor="AB")
    cli(root, "code", "add", "int:3", "pets", "--coder", "AB")
    _reingest(root)
    with thematic.Study.open(root) as st:
        accepted = st.store.codings(status="accepted")
        assert accepted["segment_id"].isna().all() and (accepted["flag"] == FLAG_NOT_FOUND).all()
        units, labels = study_units(st)
        assert sorted(units["segment_id"]) == ["int:1", "int:3"]
        segs = st.store.segments(include_interviewer=False)
        assert labelled_segments(segs, training_codings(st.context, None)) == ["int:1", "int:3"]


def test_only_lost_codings_is_nothing_to_evaluate(tmp_path: Path) -> None:
    from regression.tiny_study import ENV, runner

    from thematic.cli.main import app

    root = _study(tmp_path / "s")
    cli(root, "code", "add", "int:1", "housing", "--coder", "AB")
    _reingest(root)
    res = runner.invoke(app, ["evaluate", "--suggesters", "rules", "--study", str(root)], env=ENV)
    assert res.exit_code != 0 and "[E377]" in res.output and "1 lost their quote" in res.output
    assert "Traceback" not in res.output
