"""A named pipe given to `thematic import sheet` (.xlsx/.csv) or `thematic ingest PATH` blocked forever; it is
refused without being opened (E059), as `codebook validate` refuses one (E047)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from thematic.errors import InputError

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")


def _within(seconds: float, fifo: Path, fn: Callable[[], Any]) -> Any:
    """``fn()``'s result or exception; fails (and frees the blocked reader) if it is still running after ``seconds``."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001
            out["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # a reader blocked on the pipe gets end-of-file
        os.close(fd)
        t.join(10)
        pytest.fail(f"blocked on the pipe {fifo.name}")
    if "error" in out:
        raise out["error"]
    return out.get("value")


@pytest.mark.parametrize("name", ["sheet.xlsx", "sheet.csv"])
def test_sheet_import_refuses_a_pipe(tmp_path: Path, name: str) -> None:
    from thematic.coding._sheet_xlsx import read_workbook

    fifo = tmp_path / name
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"^\[E059\].*sheet\.(xlsx|csv).*pipe"):
        _within(10, fifo, lambda: read_workbook(fifo))


def test_ingest_path_refuses_a_pipe(study, tmp_path: Path) -> None:  # noqa: ANN001
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    report = _within(20, fifo, lambda: study.ingest([fifo]))
    (row,) = report.rows
    assert row.status == "failed" and row.error.startswith("[E059]") and "pipe" in row.error


def test_codebook_still_refuses_a_pipe_with_e047(tmp_path: Path) -> None:
    from thematic.codebook.files import read_codebook_raw
    from thematic.errors import CodebookError

    fifo = tmp_path / "cb.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CodebookError, match=r"^\[E047\].*a pipe \(FIFO\)"):
        _within(10, fifo, lambda: read_codebook_raw(fifo))
