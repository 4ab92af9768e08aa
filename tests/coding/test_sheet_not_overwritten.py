"""A coding sheet that already exists (maybe filled in and not imported yet) is never silently replaced.

`thematic sample --coder SO` writes reports/coding-SO-sample.xlsx, where SO fills it in; a second
sample for SO, or `export sheet --out` onto an existing file, replaced it without a word and SO's
ticks and memos were gone. Now both refuse with E361 (the file is left as it was, and no sample is
recorded), saying to import it first or pick another --out; `--force` (`force=True`) replaces it.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from coding.manual_support import CODEBOOK_YAML, codebook
from coding.test_double_coding import fill_many
from thematic.cli.main import app
from thematic.coding.sample import draw_sample
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.errors import InputError

runner = CliRunner()


def _fill(path: Path) -> int:
    """Tick `funding` and write a memo on every row, as a coder would; returns how many rows."""
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        ws.cell(r, cols["funding"]).value = "x"
        ws.cell(r, cols["memo"]).value = "my careful memo"
    wb.save(path)
    return ws.max_row - 1


def _ticks(path: Path) -> int:
    ws = openpyxl.load_workbook(path)["coding"]
    col = next(c.column for c in ws[1] if c.value == "funding")
    return sum(1 for r in range(2, ws.max_row + 1) if ws.cell(r, col).value)


def test_export_sheet_refuses_an_existing_file_unless_forced(store, tmp_path) -> None:  # noqa: ANN001
    cb = codebook()
    fill_many(store, n_docs=1, turns=4)
    path = export_sheet(store, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    rows = _fill(path)
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"\[E361\].*SO\.xlsx.*already exists.*Import it first.*--force"):
        export_sheet(store, path, coder="SO", codebook=cb)
    assert path.read_bytes() == before and _ticks(path) == rows
    assert import_sheet(store, path, coder="SO", codebook=cb).added == rows  # the ticks are still there to import
    export_sheet(store, path, coder="SO", codebook=cb, force=True)
    assert _ticks(path) == rows  # a fresh sheet, pre-ticked from the imported codings


def test_draw_sample_refuses_an_existing_sheet_before_recording_anything(store, tmp_path) -> None:  # noqa: ANN001
    cb = codebook()
    fill_many(store, n_docs=2, turns=6)
    first = draw_sample(store, coder="SO", n=4, seed=1, codebook=cb, out=tmp_path / "SO.xlsx")
    assert first.sheet is not None
    rows = _fill(first.sheet)
    with pytest.raises(InputError, match=r"\[E361\].*no sample was drawn"):
        draw_sample(store, coder="SO", n=4, seed=2, codebook=cb, out=tmp_path / "SO.xlsx")
    assert _ticks(first.sheet) == rows
    assert list(store.samples()["sample_id"]) == [first.sample_id]
    again = draw_sample(store, coder="SO", n=4, seed=2, codebook=cb, out=tmp_path / "SO.xlsx", force=True)
    assert _ticks(again.sheet) == 0 and len(store.samples()) == 2


def _study(tmp_path: Path) -> Path:
    from thematic.study import init_study

    with init_study(tmp_path / "study", name="t") as s:
        fill_many(s.store, n_docs=2, turns=6)
        (s.codebook_path or s.paths.codebooks / "fixture.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
        return s.root


def _cli(root: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def test_cli_second_sample_for_a_coder_keeps_their_filled_sheet(tmp_path) -> None:
    root = _study(tmp_path)
    _cli(root, "sample", "--coder", "SO", "--n", "4", "--seed", "1")
    sheet = root / "reports" / "coding-SO-sample.xlsx"
    rows = _fill(sheet)
    out = _cli(root, "sample", "--coder", "SO", "--n", "4", "--seed", "2", code=1)
    assert "[E361]" in out and "coding-SO-sample.xlsx" in out and "--force" in out and "--out" in out
    assert _ticks(sheet) == rows
    assert "Wrote" in _cli(root, "sample", "--coder", "SO", "--n", "4", "--seed", "2", "--force")
    assert _ticks(sheet) == 0


def test_cli_export_sheet_onto_an_existing_file(tmp_path) -> None:
    root = _study(tmp_path)
    target = tmp_path / "ht.xlsx"
    _cli(root, "export", "sheet", "--coder", "HT", "--out", str(target))
    rows = _fill(target)
    out = _cli(root, "export", "sheet", "--coder", "SO", "--out", str(target), code=1)
    assert "[E361]" in out and "thematic import sheet" in out
    assert _ticks(target) == rows
    _cli(root, "export", "sheet", "--coder", "SO", "--out", str(target), "--force")
    assert _ticks(target) == 0
