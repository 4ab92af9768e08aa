"""Undoing a batch a second time ran the undo again: a coding the coder removed by hand after the first undo came
back, the batch's undone time was reset, and for a suggester run the suggesters' record of a newer run was
forgotten. Now a second undo of a batch is refused with E386, naming the batch and when it was undone, and
changes nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coding.manual_support import codebook, edit_sheet, fill_store, fill_study
from thematic.cli.main import app
from thematic.coding.manual import code, uncode
from thematic.coding.plan import META_PREFIX
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.coding.undo import undo_batch
from thematic.errors import ThematicError

runner = CliRunner()


def _state(store) -> tuple[object, ...]:  # noqa: ANN001
    codings = store.codings()[["coding_id", "code_id", "coder", "status", "memo"]].to_dict("records")
    return codings, len(store.events()), store.batches()[["batch_id", "undone_at"]].to_dict("records")


def test_a_second_undo_of_a_sheet_import_is_refused_and_keeps_later_work(store, tmp_path) -> None:  # noqa: ANN001
    fill_store(store)
    cb = codebook()
    code(store, "int-01:1", "funding", coder="SO", codebook=cb)
    path = export_sheet(store, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    edit_sheet(path, {("int-01:1", "funding"): None})  # SO unticks it on the sheet
    batch = import_sheet(store, path, coder="SO", codebook=cb).batch_id
    assert store.revert_batch(batch, actor="SO").restored == 1
    when = str(store.batches().set_index("batch_id").loc[batch, "undone_at"])
    assert uncode(store, "int-01:1", "funding", coder="SO") == 1  # then removed by hand, on purpose
    before = _state(store)
    for again in (lambda: store.revert_batch(batch, actor="SO"), lambda: store.undo_batch(batch, actor="SO")):
        with pytest.raises(ThematicError, match=r"\[E386\]") as info:
            again()
        assert batch in str(info.value) and when[:19].replace("T", " ") + " UTC" in str(info.value)
        assert _state(store) == before
    assert store.codings(coder="SO").empty


def test_a_second_undo_of_a_suggester_run_keeps_the_suggesters_record(study) -> None:  # noqa: ANN001
    fill_study(study)
    batch = study.store.new_batch("suggest:rules", actor="thematic",
                                  params={"suggesters": ["thematic.rules.v1"]})
    undo_batch(study, batch, actor="HT")
    study.store.set_meta(META_PREFIX + "thematic.rules.v1", json.dumps({"done": ["int-01"]}))  # a newer run
    with pytest.raises(ThematicError, match=r"\[E386\]"):
        undo_batch(study, batch, actor="HT")
    assert json.loads(study.store.get_meta(META_PREFIX + "thematic.rules.v1") or "{}") == {"done": ["int-01"]}


def test_thematic_undo_twice(study) -> None:  # noqa: ANN001
    fill_study(study)
    batch = study.store.new_batch("search:vetting", actor="HT")
    study.close()
    args = ["undo", batch, "--study", str(study.root)]
    assert runner.invoke(app, args).exit_code == 0
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and "[E386]" in r.output and batch in r.output and "Traceback" not in r.output
    assert "Undid" not in r.output
