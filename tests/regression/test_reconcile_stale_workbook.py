"""A reconcile decision workbook exported before a re-ingest still names the old segment ids.

Segment ids are positions (``doc:index``): inserting an interviewer question near the top of a
transcript shifts every later turn, and the re-ingest re-keys codings, coverage and decisions by
text. A decision workbook exported before that used to be read by id alone, so a row's decision
landed on whatever turn now held its old id: the "Family life" row's ``none`` was written onto the
"never enough time" turn (removing its codes), and the time row was skipped as "not a disagreement".
Rows are now found by their text (as coding sheets are); a row whose turn's text is gone is
skipped with W620 naming the workbook and row.

Hand-written fictional transcript (tests/regression/unlike_example.py helpers), real store, CLI.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import ANA_INSERTED, TRANSCRIPTS, write_study

runner = CliRunner()

TEXT, INSERTED = TRANSCRIPTS["ana.txt"], ANA_INSERTED
INTERVIEWS, TIME, FAMILY = "I mostly run interviews", "never enough time", "Family life"


def _run(root: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def _turn(study: Study, words: str) -> str:
    segs = study.segments()
    return str(segs.loc[segs["text"].str.contains(words, regex=False)].iloc[0]["segment_id"])


def _stale_workbook(tmp_path: Path, new_text: str) -> tuple[Path, Path, dict[str, str]]:
    """Three disputed turns, the workbook exported, then the transcript changed and re-ingested."""
    root = write_study(tmp_path / "s", {"ana.txt": TEXT})
    with Study(root) as s:
        s.ingest()
        old = {w: _turn(s, w) for w in (INTERVIEWS, TIME, FAMILY)}
        s.code(old[INTERVIEWS], "qualitative_methods", coder="HT")
        s.code(old[INTERVIEWS], "funding_resources", coder="SO")
        s.code(old[TIME], "time_pressure", coder="HT")
        s.code(old[TIME], "funding_resources", coder="SO")
        s.code(old[FAMILY], "time_pressure", coder="HT")
        for coder in ("HT", "SO"):
            s.mark_seen(list(old.values()), coder=coder)
    book = tmp_path / "decide.xlsx"
    _run(root, "reconcile", "--coders", "HT,SO", "--out", str(book))
    (root / "data" / "raw" / "ana.txt").write_text(new_text, encoding="utf-8")
    with Study(root) as s:
        assert s.ingest().rows[0].status == "changed"
        assert _turn(s, FAMILY) != old[FAMILY]  # the insertion shifted the ids
    wb = openpyxl.load_workbook(book)
    ws = next(w for w in wb.worksheets if "decision" in [c.value for c in w[1]])
    cols = {c.value: c.column for c in ws[1]}
    rows = {}
    for r in range(2, ws.max_row + 1):
        text = str(ws.cell(r, cols["text"]).value)
        word = next(w for w in (INTERVIEWS, TIME, FAMILY) if w in text)
        assert ws.cell(r, cols["segment_id"]).value == old[word]  # the workbook names the old ids
        ws.cell(r, cols["decision"]).value = {INTERVIEWS: "qualitative_methods", TIME: "time_pressure",
                                              FAMILY: "none"}[word]
        rows[word] = str(r)
    wb.save(book)
    return root, book, rows


def _consensus(root: Path) -> tuple[dict[str, set[str]], set[str], set[tuple[str, str, bool]]]:
    """Consensus codes by turn text, turns it settled, and its decisions (turn text, code, applied)."""
    with Study(root) as s:
        text = dict(zip(s.segments()["segment_id"].astype(str), s.segments()["text"].astype(str)))
        cons = s.codings(coder="consensus")
        codes: dict[str, set[str]] = {}
        for sid, code in zip(cons["segment_id"].astype(str), cons["code_id"]):
            codes.setdefault(text[sid], set()).add(str(code))
        settled = {text[str(sid)] for sid in s.store.coverage("consensus")["segment_id"]}
        dec = s.store.decisions()
        decisions = {(text[str(sid)], str(code), bool(a))
                     for sid, code, a in zip(dec["segment_id"], dec["code_id"], dec["applied"])}
    return codes, settled, decisions


def _full(words: str) -> str:
    return next(line.split(": ", 1)[1] for line in INSERTED.splitlines() if words in line)


def test_a_stale_workbook_settles_each_row_on_the_turn_with_its_text(tmp_path: Path) -> None:
    root, book, _ = _stale_workbook(tmp_path, INSERTED)
    out = _run(root, "import", "reconcile", str(book), "--by", "HT")
    codes, settled, decisions = _consensus(root)
    assert codes == {_full(INTERVIEWS): {"qualitative_methods"}, _full(TIME): {"time_pressure"}}, out
    assert settled == {_full(INTERVIEWS), _full(TIME), _full(FAMILY)}
    assert "W601" not in out and "W620" not in out, out
    assert "Settled 3 disputed segment(s)" in out and "2 row(s) found by their text" in out, out
    assert (_full(TIME), "funding_resources", False) in decisions
    assert (_full(FAMILY), "time_pressure", False) in decisions
    assert not any(t == _full(TIME) and applied is False and code == "time_pressure" for t, code, applied in decisions)
    # importing it again changes nothing: every row is found and already settled the same way
    again = _run(root, "import", "reconcile", str(book), "--by", "HT")
    assert "3 row(s) already settled the same way" in again and "W603" not in again
    assert _consensus(root) == (codes, settled, decisions)


def test_a_row_whose_turn_was_edited_is_skipped_with_a_warning_naming_workbook_and_row(tmp_path: Path) -> None:
    edited = INSERTED.replace("never enough time", "hardly ever enough time")
    root, book, rows = _stale_workbook(tmp_path, edited)
    out = _run(root, "import", "reconcile", str(book), "--by", "HT")
    assert "[W620]" in out and "decide.xlsx" in out and f"row {rows[TIME]}" in out, out
    assert f"row {rows[FAMILY]}" not in out  # the family row was found by its text and applied
    codes, settled, _ = _consensus(root)
    assert codes == {_full(INTERVIEWS): {"qualitative_methods"}}
    assert settled == {_full(INTERVIEWS), _full(FAMILY)}  # nothing written on the edited or any other turn
