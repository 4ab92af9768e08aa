"""`thematic code --scheduler`: a real Dask scheduler and workers on 127.0.0.1, the example study, the rules.

Every process a test starts is stopped by its PID. The stored suggestions of a cluster run (a worker
killed mid-run, an interrupted run then a re-run, any chunk size) equal those of a local run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest
from process_support import popen_tied
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[2]
RULES = "thematic.rules.v1"
#: What a stored suggestion is, minus what differs by run (ids, times, batch).
COMPARED = ["document_id", "segment_id", "start", "end", "code_id", "coder", "status", "confidence",
            "codebook_version", "source", "suggester", "params", "memo", "text"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _example(dest: Path) -> Path:
    """A copy of the bundled example study (thematic.toml, codebooks, data/raw) at ``dest``."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "thematic.toml", dest / "thematic.toml")
    shutil.copytree(REPO / "codebooks", dest / "codebooks")
    shutil.copytree(REPO / "data" / "raw", dest / "data" / "raw")
    return dest


def _rows(root: Path) -> pd.DataFrame:
    """The stored suggestions, sorted, without run-specific columns."""
    with Study.open(root) as st:
        cods = st.store.codings(status="suggested")
    return cods[COMPARED].sort_values(["coder", "segment_id", "code_id"]).reset_index(drop=True)


@dataclass
class Cluster:
    """A `dask scheduler` on 127.0.0.1 and the `dask worker` processes started for it."""

    address: str
    folder: Path
    procs: list[subprocess.Popen] = field(default_factory=list)

    def start(self, *args: str) -> subprocess.Popen:
        """Start ``python -m dask ARGS`` (its output in a log file); the caller's fixture stops it by PID."""
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        log = open(self.folder / f"proc-{len(self.procs)}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = popen_tied([sys.executable, "-m", "dask", *args], stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=self.folder)
        log.close()
        self.procs.append(proc)
        return proc

    def worker(self) -> subprocess.Popen:
        """One worker process (no nanny: the PID started is the worker), one thread."""
        return self.start("worker", self.address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                          "--no-dashboard", "--local-directory", str(self.folder))

    def wait_for_workers(self, n: int, timeout: float = 120) -> None:
        """Until the scheduler has ``n`` workers."""
        from distributed import Client

        with Client(self.address, timeout=timeout) as client:
            client.wait_for_workers(n, timeout=timeout)

    def stop(self) -> None:
        """Stop every process started, by PID (terminate, then kill)."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(15)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and one warm worker (spaCy loaded); a test may add workers (stopped with the rest)."""
    from distributed import Client

    from thematic.coding.suggest.rules import RulesSuggester

    c = Cluster(f"tcp://127.0.0.1:{_free_port()}", tmp_path_factory.mktemp("dask"))
    try:
        c.start("scheduler", "--host", "127.0.0.1", "--port", c.address.rsplit(":", 1)[1], "--no-dashboard")
        c.worker()
        c.wait_for_workers(1)
        with Client(c.address, timeout=60) as client:
            client.run(RulesSuggester().warm_up)
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example study, ingested once (tests copy it)."""
    from thematic.ingest.run import ingest

    root = _example(tmp_path_factory.mktemp("example") / "study")
    with Study.open(root) as st:
        ingest(st)
    return root


@pytest.fixture(scope="module")
def local_rows(ingested: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The rules' suggestions stored by a run on this machine."""
    from thematic.coding.run import code

    root = tmp_path_factory.mktemp("local") / "study"
    shutil.copytree(ingested, root)
    with Study.open(root) as st:
        report = code(st, suggesters=["rules"])
    assert report.added > 100
    return _rows(root)


@pytest.mark.slow
def test_dask_cluster_run_equals_a_local_run_with_a_worker_killed_mid_run(
        cluster: Cluster, ingested: Path, local_rows: pd.DataFrame, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.run import code

    monkeypatch.setenv("THEMATIC_DASK_CHUNK", "10")  # 42 tasks over two workers
    victim = cluster.worker()
    cluster.wait_for_workers(2)
    root = tmp_path / "study"
    shutil.copytree(ingested, root)
    killed: list[int] = []

    def kill_on_first_result(stage: str, done: int, total: int) -> None:
        if stage == f"suggest:{RULES}" and not killed and done < total:
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(15)
            killed.append(done)

    with Study.open(root) as st:
        report = code(st, suggesters=["rules"], scheduler=cluster.address, progress=kill_on_first_result)
    assert killed and victim.returncode == -signal.SIGKILL
    assert report.runs[0].status == "ran" and report.added == len(local_rows)
    pd.testing.assert_frame_equal(_rows(root), local_rows)


@pytest.mark.slow
def test_dask_interrupted_run_keeps_what_it_stored_and_the_rerun_sends_only_the_rest(
        cluster: Cluster, ingested: Path, local_rows: pd.DataFrame, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.run import code

    monkeypatch.setenv("THEMATIC_DASK_CHUNK", "25")  # another partitioning
    root = tmp_path / "study"
    shutil.copytree(ingested, root)

    def interrupt_halfway(stage: str, done: int, total: int) -> None:
        if stage == f"suggest:{RULES}" and done >= total // 2:
            raise KeyboardInterrupt

    with Study.open(root) as st, pytest.raises(KeyboardInterrupt):
        code(st, suggesters=["rules"], scheduler=cluster.address, progress=interrupt_halfway)
    with Study.open(root) as st:
        done = json.loads(st.store.get_meta(f"assisted:{RULES}") or "{}")["documents"]
        n_docs = len(st.store.document_hashes())
        remaining = st.store.segments(document=sorted(set(st.store.document_hashes()) - set(done)),
                                      include_interviewer=False)
        remaining = int((remaining["text"].fillna("").str.strip() != "").sum())
    assert 0 < len(done) < n_docs
    partial = _rows(root)
    assert 0 < len(partial) < len(local_rows)
    assert len(partial.merge(local_rows, how="inner")) == len(partial)  # what was kept is what a local run stores

    totals: list[int] = []
    with Study.open(root) as st:
        report = code(st, suggesters=["rules"], scheduler=cluster.address,
                      progress=lambda stage, d, total: totals.append(total) if stage.startswith("suggest:") else None)
    assert report.runs[0].documents == n_docs - len(done) and report.runs[0].already == 0
    assert set(totals) == {remaining}
    pd.testing.assert_frame_equal(_rows(root), local_rows)
    again = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--scheduler", cluster.address,
                                     "--study", str(root)])
    assert again.exit_code == 0, again.output
    assert "Nothing changed since the last run" in again.output


@pytest.mark.slow
def test_dask_cli_code_with_the_scheduler_in_thematic_toml(
        cluster: Cluster, ingested: Path, local_rows: pd.DataFrame, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_DASK_CHUNK", "64")
    root = tmp_path / "study"
    shutil.copytree(ingested, root)
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        '[code]\n', f'[code]\nscheduler = "{cluster.address}"\n'), encoding="utf-8")
    result = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--study", str(root)])
    assert result.exit_code == 0, result.output
    assert f"{len(local_rows)} suggestion(s) stored in batch" in result.output
    pd.testing.assert_frame_equal(_rows(root), local_rows)


def test_dask_unreachable_scheduler_is_a_coded_error_before_anything_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_DASK_TIMEOUT", "2")
    root = _example(tmp_path / "study")
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    t = time.perf_counter()
    result = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--scheduler", address, "--study", str(root)])
    assert result.exit_code == 1
    assert "[E700]" in result.output and address in result.output and "Traceback" not in result.output
    assert time.perf_counter() - t < 60
    with Study.open(root) as st:
        assert st.store.document_hashes() == {} and st.store.codings().empty
    bad = CliRunner().invoke(app, ["code", "--scheduler", "nowhere", "--study", str(root)])
    assert bad.exit_code == 1 and "[E704]" in bad.output


def test_dask_missing_is_one_line_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.execute.dask_executor import connect
    from thematic.errors import OptionalDependencyError

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    with pytest.raises(OptionalDependencyError, match=r"\[E701\].*thematic\[dask\]"):
        connect("local", timeout=1)


def test_dask_only_ids_offsets_text_and_context_travel(ingested: Path) -> None:
    import cloudpickle

    from thematic.coding.execute.dask_executor import TRAVELS, travelling
    from thematic.coding.plan import make_suggester as _make
    from thematic.coding.plan import study_codebook

    with Study.open(ingested) as st:
        segs = st.store.segments(include_interviewer=False)
        rules = _make(RULES, st).fit(None, None, study_codebook(st))
        key = pd.read_csv(st.root / "private" / "pseudonym-key.csv")
    sent = travelling(segs)
    assert list(sent.columns) == [c for c in TRAVELS if c in segs.columns]
    assert not {"speaker", "participant_id", "is_interviewer", "time_start", "page"} & set(sent.columns)
    payload = cloudpickle.dumps((rules, sent))
    for real in key["real"].astype(str):
        assert real.encode() not in payload, real


def test_dask_remote_workers_get_no_local_folders_or_caches() -> None:
    from thematic.coding.execute.dask_executor import portable
    from thematic.coding.suggest import get_suggester

    sim = get_suggester("thematic.similarity.v1").set_params(cache_dir="/study/data/coded/cache")
    sim._cache()._vectors["k"] = "vector"  # what fit leaves in memory: vectors of the texts it encoded
    ens = get_suggester("thematic.ensemble.v1").set_params(cache_dir="/c", model_dir="/m")
    ens.parts_ = {"similarity": sim}
    shipped = portable(ens)
    assert shipped.cache_dir is None and shipped.model_dir is None
    part = shipped.parts_["similarity"]
    assert part.cache_dir is None and part._cache()._vectors == {"k": "vector"}  # the vectors travel, the folder not
    assert ens.cache_dir == "/c" and sim.cache_dir == "/study/data/coded/cache"  # the client's own is unchanged
    assert str(sim._cache().folder) == "/study/data/coded/cache"


def test_config_scheduler_is_read_and_checked(study) -> None:  # noqa: ANN001
    from thematic.config import load_config
    from thematic.errors import StudyError

    path = study.root / "thematic.toml"
    text = path.read_text(encoding="utf-8")
    assert load_config(path).code.scheduler is None
    path.write_text(text.replace("[code]\n", '[code]\nscheduler = "tcp://10.0.0.5:8786"\n'), encoding="utf-8")
    assert load_config(path).code.scheduler == "tcp://10.0.0.5:8786"
    path.write_text(text.replace("[code]\n", "[code]\nscheduler = 8786\n"), encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[E003\].*scheduler"):
        load_config(path)
