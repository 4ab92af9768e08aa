"""The local Dask cluster bound the scheduler's HTTP server on 127.0.0.1:8787 (although thematic runs it without
dashboards), so with that port busy (a second run, the user's own Dask or Jupyter cluster) distributed printed its
"Port 8787 is already in use" UserWarning. Now its HTTP server takes a free port on 127.0.0.1: no warning, and every
port the cluster opens is on 127.0.0.1."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import pytest

from regression.dask_scripts import run_script

pytest.importorskip("distributed")

SCRIPT = '''\
import os, psutil
from thematic.coding.execute.dask_executor import connect

if __name__ == "__main__":
    executor = connect("local:1", timeout=60)
    try:
        me = psutil.Process()
        for proc in [me, *me.children(recursive=True)]:
            for conn in proc.net_connections(kind="inet"):
                if conn.status == psutil.CONN_LISTEN:
                    print("LISTEN", proc.pid, conn.laddr.ip, conn.laddr.port)
        print("WORKERS", len(executor.client.scheduler_info()["workers"]))
    finally:
        executor.close()
'''


def test_local_cluster_with_port_8787_busy_prints_nothing(tmp_path: Path) -> None:
    holder = socket.socket()
    try:
        try:
            holder.bind(("127.0.0.1", 8787))
            holder.listen()
        except OSError as exc:  # busy already (another program holds it): the case under test all the same
            assert exc.errno == errno.EADDRINUSE
        script = tmp_path / "cluster.py"
        script.write_text(SCRIPT, encoding="utf-8")
        result = run_script(script, timeout=240)
    finally:
        holder.close()
    assert result.returncode == 0, result.stderr
    assert "WORKERS 1" in result.stdout, result.stdout + result.stderr
    assert result.stderr == "", result.stderr  # no "Port 8787 is already in use" UserWarning, nothing at all
    listening = [line.split() for line in result.stdout.splitlines() if line.startswith("LISTEN")]
    assert len(listening) >= 3  # the scheduler, the nanny and the worker at least
    assert {ip for _, _, ip, _ in listening} == {"127.0.0.1"}
    assert "8787" not in {port for *_, port in listening}
