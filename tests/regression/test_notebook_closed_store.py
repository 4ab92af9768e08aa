"""A study closed by ``close()`` or a ``with`` block: a held store says so with a code; the widget reopens through the study."""

from __future__ import annotations

import pytest

from coding.manual_support import fill_study
from thematic.errors import StoreError
from thematic.store import Store
from thematic.study import Study


def test_a_store_used_after_close_raises_a_coded_store_error(tmp_path) -> None:
    store = Store(tmp_path / "thematic.db")
    store.close()
    for use in (store.codings, store.counts, lambda: store.mark_seen(["x:1"], coder="AB", source="api")):
        with pytest.raises(StoreError) as err:
            use()
        assert err.value.code == "E042" and "closed" in str(err.value) and "Study.open" in str(err.value)
    store.close()  # closing twice is harmless


def test_the_widget_keeps_working_after_the_with_block(study) -> None:
    fill_study(study)
    root = study.root
    study.close()
    with Study.open(root) as st:
        w = st.widget(coder="AB")
        held = st.store
    w.checkboxes["funding"].value = True  # a click after the with-block: the study opens its store again
    assert w.last_error is None and "Coded int-01:1 as funding" in w.status.value
    with pytest.raises(StoreError) as err:
        held.codings()
    assert err.value.code == "E042"
    with Study.open(root) as again:
        assert list(again.codings(coder="AB")["code_id"]) == ["funding"]
    st.close()
