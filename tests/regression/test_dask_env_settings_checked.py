"""THEMATIC_DASK_TIMEOUT=abc or nan gave a traceback (ValueError, KeyError 'Invalid time unit'), -1 a garbled
[E700] ("within -1 s (could not convert string to float: '1-1.0')"), and THEMATIC_DASK_CHUNK=abc, 0 or -5 were
ignored without a word. Both are now checked before anything is ingested: [E416] names the variable, its value and
what it must be."""

from __future__ import annotations

from pathlib import Path

import pytest

from regression.dask_scripts import refused_before_ingest, study_with_scheduler
from thematic.errors import StudyError

pytest.importorskip("distributed")


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-inf", "-1", "0", "1e400", "5000", ""])
def test_invalid_dask_timeout_is_e416(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.execute.dask_executor import connect_scheduler

    monkeypatch.setenv("THEMATIC_DASK_TIMEOUT", value)
    if value == "":  # unset in effect: the default, so the (invalid) address is what fails
        with pytest.raises(StudyError, match=r"^\[E704\]"):
            connect_scheduler("local:0")
        return
    with pytest.raises(StudyError) as info:  # checked before the address, so before anything starts
        connect_scheduler("local:0")
    assert str(info.value).startswith(f"[E416] THEMATIC_DASK_TIMEOUT={value!r} is not valid"), str(info.value)
    assert "a number of seconds above 0 and at most 3600" in str(info.value)


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "²", "10000001"])
def test_invalid_dask_chunk_is_e416(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.cluster_run import dask_chunk
    from thematic.coding.execute.dask_executor import connect_scheduler
    from thematic.coding.suggest.rules import RulesSuggester

    monkeypatch.setenv("THEMATIC_DASK_CHUNK", value)
    for call in (lambda: connect_scheduler("local:0"), lambda: dask_chunk(RulesSuggester())):
        with pytest.raises(StudyError) as info:
            call()
        message = str(info.value)
        assert message.startswith(f"[E416] THEMATIC_DASK_CHUNK={value!r} is not valid"), message
        assert "a whole number of passages from 1 to 10000000" in message


def test_valid_dask_chunk_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.cluster_run import DASK_CHUNK, dask_chunk
    from thematic.coding.suggest.rules import RulesSuggester

    monkeypatch.setenv("THEMATIC_DASK_CHUNK", " 25 ")
    assert dask_chunk(RulesSuggester()) == 25
    monkeypatch.delenv("THEMATIC_DASK_CHUNK")
    assert dask_chunk(RulesSuggester()) <= DASK_CHUNK


def test_cli_with_an_invalid_timeout_ingests_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_DASK_TIMEOUT", "nan")
    root = study_with_scheduler(tmp_path / "study", "tcp://127.0.0.1:1")
    assert "[E416] THEMATIC_DASK_TIMEOUT='nan'" in refused_before_ingest(root, "E416")
