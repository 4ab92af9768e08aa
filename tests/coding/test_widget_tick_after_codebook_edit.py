"""After a codebook edit, a checkbox click left the rebuilt box showing the opposite of what was stored.

The click that found the codebook changed rebuilt the code list and set the new boxes from the store
before writing, and the checkbox path never set the new box afterwards: a tick stored the coding but showed
an unticked box, an untick removed it but showed a ticked one. Now the box on screen after the click shows
what the store holds, whichever way the click went.
"""

from __future__ import annotations

from coding.manual_support import CODEBOOK_YAML, codebook, fill_store

from thematic.codebook import loads_codebook
from thematic.notebook.widget import CodingWidget


def _edited(old: str, new: str):  # noqa: ANN202
    assert old in CODEBOOK_YAML
    return loads_codebook(CODEBOOK_YAML.replace(old, new), path="fixture.yaml")


def _stored(store, segment: str) -> set[str]:  # noqa: ANN001
    df = store.codings(coder="AB")
    return set(df.loc[df["segment_id"] == segment, "code_id"])


def test_tick_and_untick_after_codebook_edits_show_what_is_stored(store) -> None:  # noqa: ANN001
    fill_store(store)
    current = [codebook()]
    w = CodingWidget(store, coder="AB", codebook=lambda: current[0])
    sid = w.segment["segment_id"]

    current[0] = _edited("Money, contracts and the lack of them.", "Money and contracts.")
    old_box = w.checkboxes["funding"]
    old_box.value = True  # the click on the box the coder sees
    assert w.checkboxes["funding"] is not old_box  # the list was rebuilt
    assert "code list was refreshed" in w.status.value and w.last_error is None
    assert _stored(store, sid) == {"funding"}
    assert w.checkboxes["funding"].value is True

    current[0] = _edited("Having been through the same things.", "Having lived the same things.")
    old_box = w.checkboxes["funding"]
    old_box.value = False
    assert w.checkboxes["funding"] is not old_box
    assert _stored(store, sid) == set()
    assert w.checkboxes["funding"].value is False


def test_a_refused_tick_after_an_edit_shows_unticked(store) -> None:  # noqa: ANN001
    fill_store(store)
    current = [codebook()]
    w = CodingWidget(store, coder="AB", codebook=lambda: current[0])
    current[0] = _edited("- id: funding\n  label: Funding", "- id: funds\n  label: Funding")  # funding deleted
    w.checkboxes["funding"].value = True
    assert "[E340]" in w.status.value
    assert _stored(store, w.segment["segment_id"]) == set()
    assert "funding" not in w.checkboxes and not w.checkboxes["funds"].value
