"""Notebook users read ``error.code``: it must be the message's own code, not "E000"."""

from __future__ import annotations

import pytest

from regression.unlike_example import write_study
from thematic.errors import (CodebookError, Errors, InputError, NotFoundError, StoreError, ThematicError,
                             Warnings)
from thematic.study import Study


def test_error_code_is_the_messages_leading_code() -> None:
    assert NotFoundError(Errors.E012.format(document="x")).code == "E012"
    assert InputError(Errors.E403.format(option="level", value="x", allowed="all")).code == "E403"
    assert StoreError(Errors.E032.format(detail="disk")).code == "E032"
    assert ThematicError(Warnings.W401.format(statistic="kappa", reason="r")).code == "W401"
    assert CodebookError("[C010] duplicate id 'a'").code == "C010"
    assert ThematicError("no code at all").code == "E000"


def test_error_code_set_on_errors_the_facade_raises(tmp_path) -> None:
    study = Study(write_study(tmp_path / "s"))
    study.ingest()
    with pytest.raises(ThematicError) as e1:
        study.frequencies(level="themes")
    assert e1.value.code == "E403"
    with pytest.raises(ThematicError) as e2:
        study.code("nope:1", "time_pressure", coder="AB")
    assert e2.value.code == str(e2.value)[1:5] and e2.value.code != "E000"
    study.close()
