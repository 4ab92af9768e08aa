"""The Jupyter coding widget, with real ipywidgets objects: every click must reach the store."""

from __future__ import annotations

import sys

import pytest

from coding.manual_support import codebook, fill_store, fill_study, suggest
from thematic.coding.manual import code
from thematic.errors import OptionalDependencyError
from thematic.notebook.widget import CodingWidget


@pytest.fixture
def widget(store):
    fill_store(store)
    return CodingWidget(store, coder="AB", codebook=codebook())


def _mine(store) -> set[tuple[str, str]]:
    return {(r.segment_id, r.code_id) for r in store.codings(coder="AB").itertuples()}


def test_widget_tree_groups_codes_by_theme(widget) -> None:
    themes = widget.tree.children
    assert len(themes) == 3
    assert "Structural barriers" in themes[1].children[0].value
    assert [b.description for b in themes[2].children[1:]] == ["5. Shared experience", "6. Been there"]
    assert widget.checkboxes["been_there"].layout.margin == "0 0 0 18px"  # a sub-code is indented
    assert "Criminal record checks" in widget.checkboxes["security_vetting"].tooltip


def test_widget_ticking_a_box_codes_and_unticking_uncodes(widget) -> None:
    assert widget.segment["segment_id"] == "int-01:1"  # interviewer turns are skipped
    widget.checkboxes["generativity"].value = True
    assert _mine(widget.store) == {("int-01:1", "generativity")}
    assert "Coded int-01:1 as generativity" in widget.status.value
    widget.checkboxes["generativity"].value = False
    assert _mine(widget.store) == set()
    assert widget.store.events()["kind"].tolist() == ["add", "remove"]


def test_widget_navigation_shows_context_and_stored_ticks(widget) -> None:
    code(widget.store, "int-01:3", "funding", coder="AB")
    code(widget.store, "int-01:3", "generativity", coder="SO")  # another coder's: never ticked here
    widget.next_button.click()
    assert widget.segment["segment_id"] == "int-01:3"
    assert widget.checkboxes["funding"].value and not widget.checkboxes["generativity"].value
    assert "What made it hard?" in widget.context.value and "Vetting is the big one" in widget.context.value
    widget.prev_button.click()
    assert widget.segment["segment_id"] == "int-01:1" and not widget.checkboxes["funding"].value
    widget.go(99)
    assert widget.position == len(widget.segments) - 1


def test_widget_accept_and_reject_suggestions_with_confidence(store) -> None:
    fill_store(store)
    first = suggest(store, "int-01:1", "generativity", 0.83)
    second = suggest(store, "int-01:1", "security_vetting", 0.41)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    rows = w.suggestion_box.children
    assert "0.83" in rows[0].children[2].value and "0.41" in rows[1].children[2].value
    coding_id, accept, _reject = w.suggestion_buttons[0]
    assert coding_id == first
    accept.click()
    assert store.coding(first)["status"] == "accepted" and store.coding(first)["reviewer"] == "AB"
    assert [cid for cid, *_ in w.suggestion_buttons] == [second]  # refreshed
    w.suggestion_buttons[0][2].click()
    assert store.coding(second)["status"] == "rejected"
    assert "none open" in w.suggestion_box.children[0].value


def test_widget_shortcut_box(store) -> None:
    fill_store(store)
    cid = suggest(store, "int-01:3", "funding", 0.9)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    w.shortcut.value = "n"
    assert w.segment["segment_id"] == "int-01:3" and w.shortcut.value == ""
    w.shortcut.value = "a"
    assert store.coding(cid)["status"] == "accepted"
    w.shortcut.value = "3"  # third code in the list: security_vetting
    assert w.checkboxes["security_vetting"].value
    assert _mine(store) == {("int-01:3", "security_vetting")}
    w.shortcut.value = "been_there"
    assert ("int-01:3", "been_there") in _mine(store)
    w.shortcut.value = "gnerativity"
    assert "Did you mean" in w.status.value and "generativity" in w.status.value
    w.shortcut.value = "g 1"
    assert w.position == 0


def test_widget_only_suggested_segments(store) -> None:
    fill_store(store)
    suggest(store, "int-02:3", "generativity", 0.7)
    w = CodingWidget(store, coder="AB", codebook=codebook(), only_suggested=True)
    assert list(w.segments["segment_id"]) == ["int-02:3"]


def test_widget_without_ipywidgets_names_the_extra(store, monkeypatch) -> None:
    fill_store(store)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import now raises ImportError
    with pytest.raises(OptionalDependencyError, match=r'pip install "thematic\[notebook\]"'):
        CodingWidget(store, coder="AB", codebook=codebook())


def test_widget_study_facade(study) -> None:
    fill_study(study)
    w = study.widget(coder="SO", document="int-02")
    assert list(w.segments["segment_id"]) == ["int-02:1", "int-02:3"]
    w.checkboxes["been_there"].value = True
    assert list(study.codings(coder="SO")["codebook_version"]) == ["1.2.0"]
    assert "application/vnd.jupyter.widget-view+json" in w._repr_mimebundle_()
