"""`thematic sample` recorded the sample before writing its coding sheet, so a sheet that could not be written
(reports/ not writable, the disk full) still left a recorded sample (`latest:SO` named a sample nobody received),
and both `sample` and `export sheet` called the failed write E021 "could not read the file ... Check that it
exists and is readable". Now the sample is recorded only together with its sheet (nothing is recorded when the
sheet cannot be written), and the error is E407 "Cannot write" naming the sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from coding.manual_support import codebook
from coding.test_double_coding import fill_many
from thematic.coding.sample import draw_sample
from thematic.coding.sheet import export_sheet
from thematic.errors import InputError


def _blocked(tmp_path: Path) -> Path:
    """A sheet path whose folder cannot be made: a plain file stands where the folder should be."""
    (tmp_path / "reports").write_text("not a folder", encoding="utf-8")
    return tmp_path / "reports" / "coding-SO-sample.xlsx"


def test_a_sample_whose_sheet_cannot_be_written_is_not_recorded(store, tmp_path: Path) -> None:  # noqa: ANN001
    fill_many(store, n_docs=2, turns=4)
    out = _blocked(tmp_path)
    with pytest.raises(InputError) as err:
        draw_sample(store, coder="SO", fraction=0.5, codebook=codebook(), out=out)
    msg = str(err.value)
    assert msg.startswith("[E407]") and str(out) in msg and "could not read" not in msg
    assert store.samples().empty
    done = draw_sample(store, coder="SO", fraction=0.5, codebook=codebook(), out=tmp_path / "ok" / "SO.xlsx")
    assert done.sheet is not None and done.sheet.is_file()
    assert list(store.samples()["sample_id"]) == [done.sample_id]


def test_export_sheet_says_it_could_not_write(store, tmp_path: Path) -> None:  # noqa: ANN001
    fill_many(store, n_docs=1, turns=4)
    out = _blocked(tmp_path)
    with pytest.raises(InputError, match=r"^\[E407\] Cannot write") as err:
        export_sheet(store, out, coder="HT", codebook=codebook())
    assert str(out) in str(err.value) and "readable" not in str(err.value)
