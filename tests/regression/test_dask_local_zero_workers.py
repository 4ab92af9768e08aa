"""`--scheduler local:0` was accepted: it ingested, waited for workers that never came, then blamed the workers'
packages (E702). A LocalCluster needs at least one worker, so `local:0` is an invalid scheduler (E704), refused at
once and before anything is ingested, like `local:x`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regression.dask_scripts import study_with_scheduler
from thematic.cli.main import app
from thematic.errors import StudyError
from thematic.study import Study

pytest.importorskip("distributed")


def test_local_zero_workers_is_an_invalid_scheduler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.execute.dask_executor import connect

    with pytest.raises(StudyError, match=r"\[E704\] Unknown scheduler 'local:0'"):
        executor = connect("local:0", timeout=5)
        executor.close()  # today's code started a cluster of no workers: stop it before the test fails

    monkeypatch.setenv("THEMATIC_DASK_TIMEOUT", "5")
    root = study_with_scheduler(tmp_path / "study", "local")
    t = time.perf_counter()
    result = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--scheduler", "local:0", "--study", str(root)])
    assert result.exit_code == 1
    assert "[E704]" in result.output and "local:0" in result.output and "N at least 1" in result.output, result.output
    assert "[E702]" not in result.output and "Traceback" not in result.output
    assert time.perf_counter() - t < 10  # at once, not after waiting for workers
    with Study.open(root) as st:
        assert st.store.document_hashes() == {}  # nothing was ingested
