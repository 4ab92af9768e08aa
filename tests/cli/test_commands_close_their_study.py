"""A command closes its study's store when it ends, also when it fails.

The CLI commands left their store connection for the garbage collector to close. Run in one process (a
notebook's `!thematic` aside, tests and scripts that call the app), a later `thematic restore` then saw the
study open in another session (E053) until a collection happened. Now every command closes the studies it
opened, however it ends.
"""

from __future__ import annotations

import gc
from pathlib import Path

from typer.testing import CliRunner

from regression.tiny_study import CODEBOOK, study_with
from thematic.cli.main import app
from thematic.store import db as store_db

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "200"}


def _run(root: Path, *args: str):  # noqa: ANN202
    return runner.invoke(app, [*args, "--study", str(root)], env=ENV)


def _open_stores(root: Path) -> list[object]:
    db = (root / "data" / "coded" / "thematic.db").resolve()
    return [o for o in gc.get_objects() if type(o) is store_db.Store and not o.closed
            and Path(str(o.path)).resolve() == db]


def test_commands_leave_no_open_store_and_restore_needs_no_collection(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": "Interviewer: Why?\nDan: The funding stopped.\n"})
    gc.collect()
    gc.disable()
    try:
        for args in (("ingest",), ("status",), ("code", "add", "alpha:1", "money", "--coder", "AB"),
                     ("tables", "frequency"), ("code", "add", "alpha:1", "nosuchcode", "--coder", "AB"),
                     ("backup", "--out", str(tmp_path / "b.db"))):
            _run(root, *args)
            assert _open_stores(root) == [], args
        r = _run(root, "restore", str(tmp_path / "b.db"))
        assert r.exit_code == 0, r.output
    finally:
        gc.enable()
