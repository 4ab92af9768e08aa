"""``study.widget`` refuses a blank or missing coder at once, with the coded error ``study.code`` gives.

``study.widget(coder="")`` built a widget in which every tick (E018) and every "next" (E602) failed, and
``coder=None`` was a raw AttributeError. Both are now InputError E018 when the widget is made; E018 no longer
reads "a actor".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.errors import Errors, InputError
from thematic.study import Study

from .unlike_example import write_study


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    s = Study(write_study(tmp_path / "s"))
    s.ingest()
    return s


@pytest.mark.parametrize("coder", ["", "   ", "\n", None, 5])
def test_a_blank_or_non_string_coder_is_refused_when_the_widget_is_made(study: Study, coder: object) -> None:
    pytest.importorskip("ipywidgets")
    with pytest.raises(InputError, match=r"^\[E018\]") as info:
        study.widget(coder=coder, document="ana")  # type: ignore[arg-type]
    assert "coder" in str(info.value)
    assert study.codings().empty and study.seen().empty


def test_e018_reads_well_for_every_role() -> None:
    for what in ("coder", "reviewer", "actor"):
        text = Errors.E018.format(what=what, value="")
        assert text.startswith("[E018]") and what in text and "a actor" not in text
