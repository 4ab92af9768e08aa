"""`--scheduler local:N` took any N (`local:100000` asked Dask for 100,000 worker processes, about 1 GB each),
`local:²` passed `str.isdigit` and ended as [E700] "Cannot reach ... invalid literal for int()", and `foo:bar`
was [E700] "Cannot reach" instead of an invalid scheduler. Now N above four workers per core is [E704] naming the
limit, and those addresses are [E704], all before any process starts."""

from __future__ import annotations

import os

import pytest

from thematic.errors import StudyError

pytest.importorskip("distributed")


@pytest.fixture
def no_cluster(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """LocalCluster replaced by a stub that records its arguments and starts nothing."""
    import distributed

    asked: list[object] = []

    def stub(*args: object, **kwargs: object) -> None:
        asked.append(kwargs.get("n_workers"))
        raise RuntimeError("stub: no cluster in this test")

    monkeypatch.setattr(distributed, "LocalCluster", stub)
    return asked


def test_local_workers_above_four_per_core_are_refused(no_cluster: list[object]) -> None:
    from thematic.coding.execute.dask_executor import connect

    limit = 4 * (os.cpu_count() or 1)
    for n in (limit + 1, 100000, 99999999999):
        with pytest.raises(StudyError) as info:
            connect(f"local:{n}", timeout=2)
        message = str(info.value)
        assert message.startswith(f"[E704] Unknown scheduler 'local:{n}'"), message
        assert f"at most {limit}" in message and "N at least 1" in message, message
    assert no_cluster == []  # refused before starting anything


@pytest.mark.parametrize("address", ["local:²", "local:١", "foo:bar", "host:80x"])
def test_malformed_addresses_are_unknown_schedulers(address: str, no_cluster: list[object]) -> None:
    from thematic.coding.execute.dask_executor import connect

    with pytest.raises(StudyError, match=r"^\[E704\] Unknown scheduler"):
        connect(address, timeout=2)
    assert no_cluster == []
