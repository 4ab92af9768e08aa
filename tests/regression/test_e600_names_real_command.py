"""E600 (unknown segment ids in mark-seen) told users to run `thematic segments`, a command that does not exist.

The advice now names the real ones: `thematic export segments --out FILE.csv` or ``study.segments()``.
"""

from __future__ import annotations

import pytest
from coding.manual_support import fill_study

from thematic.cli.main import app
from thematic.errors import NotFoundError


def test_e600_names_a_command_that_exists(study) -> None:  # noqa: ANN001
    fill_study(study)
    with pytest.raises(NotFoundError, match=r"\[E600\]") as err:
        study.mark_seen(["int-01:99"], coder="SO", source="api")
    message = str(err.value)
    assert "`thematic segments`" not in message
    assert "thematic export segments --out" in message
    # the named command is real: typer knows `export segments`
    export = next(g for g in app.registered_groups if g.name == "export").typer_instance
    assert "segments" in {c.name or c.callback.__name__ for c in export.registered_commands}
