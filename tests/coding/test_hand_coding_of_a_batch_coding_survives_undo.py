"""Coding by hand a span that a batch already coded for the same coder survives undoing that batch.

A coder ran `thematic search ... --code CODE --coder AB --segment`, then coded one of those turns again by
hand (a widget tick, ``study.code``, `thematic code add`). The store already held the batch's coding, so
the hand coding stored nothing and logged nothing, yet every path said "Coded": a later `thematic undo` of
the search removed the turn the coder had just confirmed by hand, with no trace of the hand coding. Now
the hand coding logs a ``confirm`` event with no batch (the coder, the time) and warns W556 naming the
batch; undoing that batch keeps the coding as a hand coding in no batch (logged, counted apart in what
the undo says), the same way a sheet imported twice keeps its tick in the later import's batch.
"""

from __future__ import annotations

import warnings

import pytest
from coding.manual_support import codebook, fill_store, fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.coding.manual import code
from thematic.coding.undo import undo_batch
from thematic.models import Coding, Provenance
from thematic.notebook.widget import CodingWidget

#: "there" is said in two participant turns: Dan's int-01:3 and Sam's int-02:3.
TURNS = ["int-01:3", "int-02:3"]


def _ab(store) -> list[tuple[str, str, object]]:  # noqa: ANN001
    c = store.codings(coder="AB")
    return sorted(zip(c["segment_id"], c["code_id"], c["batch_id"].astype(object).where(c["batch_id"].notna(), None)))


def _w556(caught) -> list[str]:  # noqa: ANN001
    return [str(w.message) for w in caught if "[W556]" in str(w.message)]


def _search_batch(study) -> str:  # noqa: ANN001
    batch = study.code_hits(study.search("there"), "shared_experience", coder="AB", scope="segment")
    assert batch.added == 2
    assert [s for s, _, _ in _ab(study.store)] == TURNS
    return batch.batch_id


def test_study_code_of_a_search_coding_is_kept_by_the_undo(study) -> None:  # noqa: ANN001
    fill_study(study)
    batch = _search_batch(study)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coding = study.code("int-01:3", "shared_experience", coder="AB")
    said = _w556(caught)
    assert len(said) == 1 and batch in said[0] and "int-01:3" in said[0] and f"thematic undo {batch}" in said[0]
    events = study.store.events(coding_id=coding.id)
    confirm = events[events["kind"] == "confirm"]
    assert len(confirm) == 1 and confirm["actor"].iloc[0] == "AB" and confirm["batch_id"].isna().all()

    done = undo_batch(study, batch, actor="AB")
    assert (done.removed, done.by_hand, done.kept, done.reconfirmed) == (1, 1, 0, 0)
    assert _ab(study.store) == [("int-01:3", "shared_experience", None)]  # a hand coding now, in no batch
    assert study.store.batches().set_index("batch_id").loc[batch, "n_codings"] == 0
    moved = study.store.events(coding_id=coding.id).iloc[-1]
    assert moved["kind"] == "batch" and moved["batch_id"] == batch and "by hand" in moved["note"]
    assert study.store.replay_events()["coding_id"].tolist() == study.store.codings()["coding_id"].tolist()


def test_a_coding_nobody_confirmed_by_hand_goes_with_its_batch(study) -> None:  # noqa: ANN001
    fill_study(study)
    batch = _search_batch(study)
    with warnings.catch_warnings(record=True) as caught:  # another coder's hand coding is theirs, not AB's
        warnings.simplefilter("always")
        study.code("int-01:3", "shared_experience", coder="SO")
    assert _w556(caught) == []
    done = undo_batch(study, batch, actor="AB")
    assert (done.removed, done.by_hand) == (2, 0) and _ab(study.store) == []


def test_a_hand_coding_of_a_span_no_batch_holds_says_nothing_more(study) -> None:  # noqa: ANN001
    fill_study(study)
    first = study.code("int-01:3", "shared_experience", coder="AB")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = study.code("int-01:3", "shared_experience", coder="AB")
    assert again.id == first.id and _w556(caught) == []
    assert study.store.events(coding_id=first.id)["kind"].tolist() == ["add"]


def test_cli_code_add_says_so_and_undo_keeps_it(study) -> None:  # noqa: ANN001
    fill_study(study)
    runner, where = CliRunner(), ["--study", str(study.root)]
    out = runner.invoke(app, ["search", "there", "--code", "shared_experience", "--coder", "AB", "--segment", *where],
                        env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    batch = study.store.codings(coder="AB")["batch_id"].iloc[0]
    added = runner.invoke(app, ["code", "add", "int-01:3", "shared_experience", "--coder", "AB", *where],
                          env={"COLUMNS": "200"})
    assert added.exit_code == 0, added.output
    assert "Coded int-01:3" in added.output and "[W556]" in added.output and batch in added.output
    undone = runner.invoke(app, ["undo", batch, *where], env={"COLUMNS": "250"})
    assert undone.exit_code == 0, undone.output
    text = " ".join(undone.output.split())
    assert "removed 1 coding(s)" in text and "1 coding(s) kept: coded again by hand since" in text
    assert "reviewed coding(s) kept" not in text
    assert _ab(study.store) == [("int-01:3", "shared_experience", None)]


def test_widget_tick_says_so_and_survives_the_undo(store) -> None:  # noqa: ANN001
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    w.go(int(w.segments.index[w.segments["segment_id"] == "int-01:3"][0]))  # on screen before the search
    seg = store.segment("int-01:3")
    batch = store.new_batch("search:there", actor="AB")
    store.add_codings([Coding(seg.document_id, seg.start, seg.end, "shared_experience", "AB", text=seg.text,
                              segment_id=seg.id, provenance=Provenance("search", "search:there"))],
                      batch_id=batch, actor="AB")
    assert not w.checkboxes["shared_experience"].value
    w.checkboxes["shared_experience"].value = True
    assert "Coded int-01:3 as shared_experience" in w.status.value and "[W556]" in w.status.value
    assert batch in w.status.value
    done = store.revert_batch(batch, actor="AB")
    assert (done.removed, done.by_hand) == (0, 1)
    assert _ab(store) == [("int-01:3", "shared_experience", None)]


def test_a_suggestion_an_import_accepted_then_coded_by_hand_stays_accepted(store) -> None:  # noqa: ANN001
    fill_store(store)
    seg = store.segment("int-02:3")
    batch = store.new_batch("refi-import", actor="refi")
    suggestion = Coding(seg.document_id, seg.start, seg.end, "generativity", "thematic.rules.v1", status="suggested",
                        text=seg.text, segment_id=seg.id, provenance=Provenance("suggester", "thematic.rules.v1"))
    store.add_codings([suggestion], batch_id=batch, actor="refi")
    store.set_status([suggestion.id], "accepted", actor="AB", batch_id=batch, note="accepted before export")
    with pytest.warns(UserWarning, match=r"\[W556\].*" + batch):
        kept = code(store, "int-02:3", "generativity", coder="AB", codebook=codebook())
    assert kept.id == suggestion.id
    done = store.revert_batch(batch, actor="refi")
    assert (done.removed, done.by_hand, done.restored) == (0, 1, 0)
    row = store.coding(suggestion.id)
    assert (row["status"], row["reviewer"], row["batch_id"]) == ("accepted", "AB", None)
