"""The coding widget's model without a browser: each action, from a worker thread as ipykernel 7 sends it.

The widget is built in the test's thread and every click, tick and keystroke is then made in
another thread (ipykernel 7 runs comm callbacks off the main thread). Failures of any kind must
reach the status line, and the screen must never show one segment's header with another's state.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any, Callable


from coding.manual_support import CODEBOOK_YAML, codebook, fill_store, fill_study, suggest
from thematic.coding.evidence import describe_evidence
from thematic.coding.owner import coder_codings
from thematic.notebook.widget import CodingWidget


def _off_main(action: Callable[[], Any]) -> None:
    """Do ``action`` in another thread, as ipykernel 7 delivers a widget message; re-raise what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert not t.is_alive() and not errors, errors


def _type(w: CodingWidget, text: str) -> None:
    _off_main(lambda: setattr(w.shortcut, "value", text))


def _mine(store) -> set[tuple[str, str]]:
    return {(r.segment_id, r.code_id) for r in store.codings(coder="AB").itertuples()}


def _same_segment(w: CodingWidget) -> None:
    """The header, the ticks and the suggestions all belong to the segment at ``w.position``."""
    sid = str(w.segment["segment_id"])
    assert f"<b>{sid}</b>" in w.header.value and f"segment {w.position + 1} of" in w.header.value
    mine = coder_codings(w.store, "AB")  # an accepted suggestion is the accepter's coding (issue 13)
    assert {c for c, b in w.checkboxes.items() if b.value} == set(mine.loc[mine["segment_id"] == sid, "code_id"])
    open_ = w.store.codings(status="suggested")
    assert {cid for cid, *_ in w.suggestion_buttons} <= set(open_.loc[open_["segment_id"] == sid, "coding_id"])


def test_every_action_from_a_worker_thread_is_stored(store) -> None:
    fill_store(store)
    first = suggest(store, "int-01:3", "funding", 0.9)
    second = suggest(store, "int-01:3", "been_there", 0.6)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    _off_main(w.next_button.click)                                          # navigate
    assert w.segment["segment_id"] == "int-01:3" and "Segment 2." in w.status.value
    _off_main(lambda: setattr(w.checkboxes["generativity"], "value", True))  # tick
    _type(w, "security_vetting")                                            # a code id
    _type(w, "Shared exp")                                                  # a unique beginning of a label
    assert _mine(store) == {("int-01:3", c) for c in ("generativity", "security_vetting", "shared_experience")}
    assert w.checkboxes["shared_experience"].value and "Coded int-01:3 as shared_experience" in w.status.value
    _off_main(w.suggestion_buttons[0][1].click)                             # accept (most confident first)
    assert store.coding(first)["status"] == "accepted" and "Accepted funding" in w.status.value
    _type(w, "r")                                                           # reject the next one by key
    assert store.coding(second)["status"] == "rejected" and store.coding(second)["reviewer"] == "AB"
    _off_main(lambda: setattr(w.checkboxes["generativity"], "value", False))  # untick
    assert ("int-01:3", "generativity") not in _mine(store)
    _same_segment(w)
    _type(w, "g 4")                                                         # jump
    assert w.segment["segment_id"] == "int-02:3" and w.last_error is None
    _off_main(w.prev_button.click)
    assert w.segment["segment_id"] == "int-02:1"
    _same_segment(w)
    events = store.events()
    assert sorted(events.loc[events["actor"] == "AB", "kind"]) == ["accept", "add", "add", "add", "reject", "remove"]


def test_typing_mistakes_are_answered_in_the_status_line(store) -> None:
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    _type(w, "gnerativity")
    assert "[E340]" in w.status.value and "Did you mean &#x27;generativity&#x27;" in w.status.value
    _type(w, "s")
    assert "[E631]" in w.status.value and "security_vetting" in w.status.value and "shared_experience" in w.status.value
    _type(w, "barriers")
    assert "[E341]" in w.status.value
    _type(w, "a")
    assert "No open suggestion 1" in w.status.value
    assert _mine(store) == set()


def test_a_failure_of_any_kind_is_shown_and_the_screen_stays_in_step(store, monkeypatch) -> None:
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    before = (w.position, w.header.value, w.context.value)
    real = store.codings

    def broken(**kw: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "codings", broken)
    _off_main(w.next_button.click)
    assert (w.position, w.header.value, w.context.value) == before  # nothing moved
    assert "[E630] The coding widget could not show the next segment: OperationalError: disk I/O error" in w.status.value
    assert "Reading the store again failed too" in w.status.value
    assert isinstance(w.last_error, sqlite3.OperationalError)
    monkeypatch.setattr(store, "codings", real)

    def refuse(*a: Any, **kw: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(store, "add_codings", refuse)
    _off_main(lambda: setattr(w.checkboxes["funding"], "value", True))
    assert "could not code funding: RuntimeError: the disk is full" in w.status.value
    assert not w.checkboxes["funding"].value and _mine(store) == set()  # the box shows what is stored
    monkeypatch.undo()
    _off_main(w.next_button.click)
    assert w.position == 1 and w.last_error is None
    _same_segment(w)


def test_a_closed_store_is_reported_not_swallowed(store) -> None:
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    store.close()
    _type(w, "funding")
    assert "[E042]" in w.status.value and "closed" in w.status.value and w.last_error.code == "E042"


KEYWORDS = {"security_vetting": ["vetting", "vet"], "funding": ["funding"], "been_there": ["been there"]}


def _with_keywords() -> str:
    out = []
    for line in CODEBOOK_YAML.splitlines():
        out.append(line)
        code = line.removeprefix("- id: ").strip() if line.startswith("- id: ") else None
        if code in KEYWORDS:
            out.append(f"  keywords: [{', '.join(KEYWORDS[code])}]")
    return "\n".join(out) + "\n"


def test_suggestions_show_each_suggesters_evidence_and_one_decision_settles_both(study) -> None:
    fill_study(study)
    (study.codebook_path or study.paths.codebooks / "fixture.yaml").write_text(_with_keywords(), encoding="utf-8")
    study.run_code(suggesters=["rules"])
    stored = study.store.codings(status="suggested")
    vet = stored[(stored["segment_id"] == "int-01:3") & (stored["code_id"] == "security_vetting")]
    assert len(vet) == 1 and "keyword 'Vetting'" in vet["memo"].iloc[0]
    twin = suggest(study.store, "int-01:3", "security_vetting", 0.2, suggester="thematic.model.v1")
    w = study.widget(coder="AB", document="int-01")
    w.go(1)
    rows = {cid: row.children[2].value for (cid, *_), row in zip(w.suggestion_buttons, w.suggestion_box.children)}
    shown = rows[vet["coding_id"].iloc[0]]
    row = study.store.coding(vet["coding_id"].iloc[0])
    assert describe_evidence(row) in shown.replace("&#x27;", "'")
    assert "thematic.rules.v1: keyword 'Vetting'" in shown.replace("&#x27;", "'") and "(threshold 0.30)" in shown
    assert "thematic.model.v1 · score 0.20 (threshold 0.30)" in shown  # the twin's evidence, same row
    assert len(rows) == stored.loc[stored["segment_id"] == "int-01:3", "code_id"].nunique()  # twins share a row
    _type(w, "a" + str(list(rows).index(vet["coding_id"].iloc[0]) + 1))
    assert {study.store.coding(c)["status"] for c in (vet["coding_id"].iloc[0], twin)} == {"accepted"}



def test_a_segment_the_coder_moved_on_from_is_marked_finished(store) -> None:
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook())
    first = str(w.segment["segment_id"])
    assert "thematic-finished" not in w.header.value
    _off_main(w.next_button.click)
    assert "thematic-finished" not in w.header.value
    assert store.has_seen(first, "AB") and not store.has_seen(first, "CD")
    _off_main(w.prev_button.click)
    assert f"<b>{first}</b>" in w.header.value and "thematic-finished" in w.header.value
    _same_segment(w)
