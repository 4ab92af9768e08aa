"""`--scheduler tls://...` and `ucx://...` ended in a Python traceback (TLS "expects a `ssl_context`", "Can't
instantiate abstract class UCXConnector"), while docs/dask.md recommended tls:// addresses. thematic passes no TLS
settings of its own, so such an address is now [E707], saying what to use instead (a tcp:// address through an SSH
tunnel, or on the cluster's network), before anything is ingested."""

from __future__ import annotations

from pathlib import Path

import pytest

from regression.dask_scripts import refused_before_ingest, study_with_scheduler
from thematic.errors import StudyError

pytest.importorskip("distributed")


@pytest.mark.parametrize("address", ["tls://127.0.0.1:8786", "ucx://127.0.0.1:8786", "TLS://10.0.0.5:8786"])
def test_tls_and_ucx_addresses_are_a_coded_error(address: str) -> None:
    from thematic.coding.execute.dask_executor import connect

    with pytest.raises(StudyError) as info:
        connect(address, timeout=2).close()
    message = str(info.value)
    assert message.startswith(f"[E707] Cannot use the Dask scheduler at '{address}'"), message
    assert "ssh -N -L 8786:localhost:8786" in message and "tcp://127.0.0.1:8786" in message
    assert ("TLS" in message) if address.lower().startswith("tls") else ("UCX" in message)


def test_cli_code_with_a_tls_scheduler_says_what_to_do_and_ingests_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_DASK_TIMEOUT", "2")
    root = study_with_scheduler(tmp_path / "study", "tls://127.0.0.1:8786")
    refused_before_ingest(root, "E707")


def test_docs_do_not_recommend_tls_addresses() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "dask.md").read_text(encoding="utf-8")
    assert "use `tls://` addresses" not in docs
    assert "[E707]" in docs and "ssh -N -L" in docs
