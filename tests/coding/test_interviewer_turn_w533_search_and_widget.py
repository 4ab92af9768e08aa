"""Coding an interviewer turn warns W533 (stored, but counted nowhere), except where nobody could see it.

The widget put W533 only into Python's warnings, which a widget click in JupyterLab shows in the log
console, not beside the widget, so its status line said only "Coded ...". ``study.code_hits`` (and so
`thematic search --code`, which searches interviewer turns by default) coded the interviewer's questions with
no W533 at all. Now the widget's status line carries W533, ``code_hits`` warns W533 for each interviewer turn
it coded and counts them in ``CodedHits.interviewer``, and the CLI prints the warning and the count.
"""

from __future__ import annotations

import warnings

from coding.manual_support import codebook, fill_store, fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.notebook.widget import CodingWidget


def _w533(caught) -> list[str]:
    return [str(w.message) for w in caught if "[W533]" in str(w.message)]


def test_code_hits_warns_w533_for_each_interviewer_turn_and_counts_them(study) -> None:  # noqa: ANN001
    fill_study(study)
    hits = study.search("job")  # the interviewer's "Tell me about the job." and Sam's "the prison job"
    assert set(hits["segment_id"]) == {"int-02:0", "int-02:1"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = study.code_hits(hits, "funding", coder="AB")
    assert result.added == 2 and result.interviewer == 1
    messages = _w533(caught)
    assert len(messages) == 1 and "'int-02:0' is an interviewer turn" in messages[0] and "int-02:1" in messages[0]
    with warnings.catch_warnings(record=True) as caught:  # already coded: nothing new, nothing to warn about
        warnings.simplefilter("always")
        again = study.code_hits(hits, "funding", coder="AB")
    assert (again.added, again.interviewer, _w533(caught)) == (0, 0, [])


def test_code_hits_of_participant_turns_only_does_not_warn(study) -> None:  # noqa: ANN001
    fill_study(study)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = study.code_hits(study.search("job", include_interviewer=False), "funding", coder="AB")
    assert (result.added, result.interviewer, _w533(caught)) == (1, 0, [])


def test_cli_search_code_shows_w533_and_the_count(study) -> None:  # noqa: ANN001
    fill_study(study)
    result = CliRunner().invoke(app, ["search", "job", "--code", "funding", "--coder", "AB",
                                      "--study", str(study.root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.count("[W533]") == 1 and "Traceback" not in result.output
    assert "1 coded span(s) on interviewer turns count nowhere" in result.output


def test_widget_status_line_shows_w533(store) -> None:  # noqa: ANN001
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook(), include_interviewer=True)
    assert w.segment["segment_id"] == "int-01:0"
    w.checkboxes["funding"].value = True
    assert "Coded int-01:0 as funding" in w.status.value
    assert "[W533]" in w.status.value and "int-01:1" in w.status.value  # names the participant turn to code
    assert w.last_error is None and w.checkboxes["funding"].value
    w.go(1)
    w.checkboxes["funding"].value = True  # a participant turn: no warning
    assert "[W533]" not in w.status.value


def test_widget_shortcut_shows_w533_too(store) -> None:  # noqa: ANN001
    fill_store(store)
    w = CodingWidget(store, coder="AB", codebook=codebook(), include_interviewer=True)
    w.shortcut.value = "funding"
    assert "[W533]" in w.status.value
