"""`--scheduler` pointing at a port where something other than a Dask scheduler listens: a service that accepts
and stays silent made `thematic code` wait forever (THEMATIC_DASK_TIMEOUT bounded only the TCP connect), and one
answering HTTP gave a numpy MemoryError traceback ("HTTP/1.1" read as a frame length of 3 EiB). Both are now
[E700] within the timeout, naming the address, with the connection closed and nothing ingested."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

from regression.dask_scripts import study_with_scheduler
from thematic.cli.main import app
from thematic.errors import StudyError
from thematic.study import Study

pytest.importorskip("distributed")

TIMEOUT = 2.0


class FakeService:
    """A TCP server on 127.0.0.1 in a thread: ``http`` answers every request with HTTP 400, else it accepts and
    never says anything. ``close`` stops the thread and closes every socket."""

    def __init__(self, http: bool) -> None:
        self.http = http
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        self.conns: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.conns.append(conn)
            if self.http:
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(5)
        for conn in self.conns:
            conn.close()
        self.sock.close()


@pytest.fixture(params=["silent", "http"])
def service(request: pytest.FixtureRequest) -> Any:
    srv = FakeService(http=request.param == "http")
    yield srv
    srv.close()


def _within(seconds: float, fn: Callable[[], Any]) -> Any:
    """``fn()`` in a helper thread: its result or exception, or a test failure when it runs past ``seconds``."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still waiting after {seconds} s (THEMATIC_DASK_TIMEOUT was {TIMEOUT} s)")
    if "error" in box:
        raise box["error"]
    return box.get("result")


def _io_loops() -> int:
    return sum(t.name == "IO loop" and t.is_alive() for t in threading.enumerate())


def test_connect_to_a_port_that_is_no_dask_scheduler_is_e700_within_the_timeout(service: FakeService) -> None:
    from thematic.coding.execute.dask_executor import connect

    loops = _io_loops()
    t = time.perf_counter()
    with pytest.raises(StudyError) as info:
        _within(TIMEOUT + 30, lambda: connect(service.address, timeout=TIMEOUT).close())
    assert time.perf_counter() - t < TIMEOUT + 10
    message = str(info.value)
    assert message.startswith(f"[E700] Cannot reach the Dask scheduler at '{service.address}' within 2 s")
    assert "not a Dask scheduler" in message and "EiB" not in message, message
    deadline = time.monotonic() + 10
    while _io_loops() > loops and time.monotonic() < deadline:  # the half-made client was closed
        time.sleep(0.1)
    assert _io_loops() == loops


def test_cli_code_at_a_port_that_is_no_dask_scheduler_ingests_nothing(
        service: FakeService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_DASK_TIMEOUT", str(TIMEOUT))
    root = study_with_scheduler(tmp_path / "study", service.address)
    result = _within(TIMEOUT + 60, lambda: CliRunner().invoke(app, ["code", "--suggesters", "rules", "--study",
                                                                    str(root)]))
    assert result.exit_code == 1, result.output
    assert "[E700]" in result.output and service.address in result.output, result.output
    assert "Traceback" not in result.output and "MemoryError" not in result.output
    with Study.open(root) as st:
        assert st.store.document_hashes() == {}  # nothing was ingested
