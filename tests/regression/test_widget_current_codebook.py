"""A coding widget opened before a codebook release works with the study's current codebook (D7).

``Study.widget`` used to hand the widget a snapshot of the codebook, so a code the next release retired
(or deleted from the YAML) could still be ticked and was stored under the old codebook version, while
``study.code`` refused it. The widget now asks the study for its codebook at every action, refuses such a
tick with the same coded error in its status line, and shows the new code list.
"""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

from coding.manual_support import CODEBOOK_YAML, fill_study, suggest  # noqa: E402
from thematic.errors import ThematicError  # noqa: E402

RETIRE_FUNDING = CODEBOOK_YAML.replace("version: 1.2.0", "version: 1.3.0") + (
    "changes:\n- version: 1.3.0\n  retire:\n    code: funding\n  note: folded into security_vetting\n")


def _write(study, text: str) -> None:  # noqa: ANN001 - a thematic.Study
    study.codebook_path.write_text(text, encoding="utf-8")


def _refusal(study, sid: str, code_id: str) -> str:  # noqa: ANN001
    with pytest.raises(ThematicError) as info:
        study.code(sid, code_id, coder="AB")
    return str(info.value)


def test_a_code_retired_after_the_widget_opened_is_refused_with_e210(study) -> None:  # noqa: ANN001
    fill_study(study)
    w = study.widget(coder="AB")
    sid = str(w.segment["segment_id"])
    _write(study, RETIRE_FUNDING)
    expected = _refusal(study, sid, "funding")
    assert expected.startswith("[E210]")

    w.checkboxes["funding"].value = True                       # the still-open widget
    assert w.last_error is not None and str(w.last_error) == expected
    assert "[E210]" in w.status.value and "1.3.0" in w.status.value
    assert study.store.codings(code="funding").empty           # nothing stored
    assert not w.checkboxes["funding"].value                   # the tick shows the stored state again
    assert "retired" in w.checkboxes["funding"].description    # the list now says so

    w.checkboxes["generativity"].value = True                  # a code still in use: stored under 1.3.0
    assert w.last_error is None
    row = study.store.codings(code="generativity").iloc[0]
    assert row["codebook_version"] == "1.3.0"


def test_a_code_deleted_from_the_yaml_is_refused_and_the_list_refreshed(study) -> None:  # noqa: ANN001
    fill_study(study)
    w = study.widget(coder="AB")
    sid = str(w.segment["segment_id"])
    old = "- id: hook_for_change\n  label: Hook for change\n  parent: identity\n" \
          "  definition: A turning point that opened the way out of offending.\n"
    new = "- id: turning_point\n  label: Turning point\n  parent: identity\n  definition: A moment of change.\n"
    assert old in CODEBOOK_YAML
    _write(study, CODEBOOK_YAML.replace(old, new))
    expected = _refusal(study, sid, "hook_for_change")
    assert expected.startswith("[E340]")

    w.checkboxes["hook_for_change"].value = True
    assert w.last_error is not None and str(w.last_error) == expected
    assert "[E340]" in w.status.value
    assert study.store.codings(code="hook_for_change").empty
    assert "hook_for_change" not in w.checkboxes and "turning_point" in w.checkboxes  # the list was refreshed
    assert "codebook changed" in w.status.value.lower()

    assert "Coded" in w.run_shortcut("Turning point")                      # the new code can be applied
    assert study.store.codings(code="turning_point")["coder"].tolist() == ["AB"]


def test_typed_codes_and_accepts_use_the_current_codebook(study) -> None:  # noqa: ANN001
    fill_study(study)
    sid = "int-01:1"
    suggest(study.store, sid, "funding", 0.9)
    w = study.widget(coder="AB")
    assert str(w.segment["segment_id"]) == sid
    _write(study, RETIRE_FUNDING)

    w.shortcut.value = "funding"                               # typed: refused like the tick
    assert w.last_error is not None and str(w.last_error).startswith("[E210]")
    w.shortcut.value = "a"                                     # accepting it: refused, recode or reject
    assert w.last_error is not None and str(w.last_error).startswith("[E383]")
    assert study.store.codings(code="funding")["status"].tolist() == ["suggested"]
