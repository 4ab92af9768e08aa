"""Run a fitted suggester's ``suggest`` over chunks of segments on a Dask cluster (``thematic code --scheduler``).

The client (this process) fits the suggester once and ships the fitted object to every worker once
(``Client.scatter(..., broadcast=True)``); each task is one chunk of segments and returns that
chunk's suggestions frame. Embedding models are loaded by a module-level cache in the worker
process, so once per worker, not per task. Results are yielded in segment order (completions that
arrive early are buffered), so what the caller stores is identical to a local run in any
partitioning. A worker that dies mid-run loses nothing: the scheduler re-runs its tasks on another
worker (each task's input is held by the scheduler, never only by one worker).

What travels: the fitted suggester (parameters and what it learned: codebook rules, model weights,
prototype vectors) and, per task, only the columns of ``TRAVELS`` for the chunk's segments (ids,
offsets, text and the context the model uses). Never the pseudonym key (it stays in the study's
``private/`` folder), the speaker label, the participant id or participants' attributes.

Dask is optional (``pip install 'thematic[dask]'``) and imported only here, inside functions.
"""

from __future__ import annotations

import os
import sys
import uuid
from typing import TYPE_CHECKING, Any, Iterator

import pandas as pd

from ...errors import Errors, OptionalDependencyError, StudyError

if TYPE_CHECKING:
    from ..suggest.base import Suggester

#: Segment columns sent to workers: what ``Suggester.suggest`` reads (ids, offsets, text) and the
#: context columns of ``suggest._context`` (survey question, document kind).
TRAVELS = ("segment_id", "document_id", "start", "end", "text", "question", "kind")
#: ``scheduler = "local"``: a LocalCluster of this many worker processes (default: one per core).
LOCAL = "local"


def travelling(segments: pd.DataFrame) -> pd.DataFrame:
    """Only the columns of ``segments`` that may leave this machine (``TRAVELS``)."""
    return segments[[c for c in TRAVELS if c in segments.columns]]


def portable(suggester: "Suggester") -> "Suggester":
    """A copy of the fitted suggester for workers on other machines, without this machine's folders
    (``cache_dir``, ``model_dir``: a worker must not write there); the vectors ``fit`` cached in memory
    stay, so the passages they cover score exactly as in a local run."""
    import pickle

    from ..suggest.base import Suggester

    copy = pickle.loads(pickle.dumps(suggester, protocol=pickle.HIGHEST_PROTOCOL))
    seen: set[int] = set()

    def scrub(obj: Any, depth: int) -> None:
        if id(obj) in seen or depth > 4:
            return
        seen.add(id(obj))
        if isinstance(obj, Suggester):
            state = vars(obj)
            for key in ("cache_dir", "model_dir"):
                if key in state:
                    state[key] = None
            if hasattr(state.get("_embedding_cache"), "folder"):
                state["_embedding_cache"].folder = None
            children: Any = list(state.values())
        elif isinstance(obj, dict):
            children = list(obj.values())
        elif isinstance(obj, (list, tuple)):
            children = obj
        else:
            return
        for child in children:
            scrub(child, depth + 1)

    scrub(copy, 0)
    return copy


def _suggest(suggester: "Suggester", chunk: pd.DataFrame) -> pd.DataFrame:
    """One task on a worker: the suggestions of the (already fitted) suggester for one chunk."""
    return suggester.suggest(chunk)


def _require_distributed() -> Any:
    """The ``distributed`` module, or a one-line OptionalDependencyError (E701) saying what to install."""
    try:
        import distributed
    except ImportError as exc:
        raise OptionalDependencyError(Errors.E701.format(detail=f"{exc.name or exc} is not installed")) from exc
    return distributed


class DaskExecutor:
    """Runs a fitted suggester's ``suggest`` over consecutive chunks of segments on a Dask cluster."""

    def __init__(self, client: Any, cluster: Any = None, address: str = "") -> None:
        self.client = client
        self.cluster = cluster  # a LocalCluster this executor started (closed with it), else None
        self.address = address
        #: Seconds from the first submit to the last result, and tasks run, of the latest ``chunks`` call.
        self.last_seconds = 0.0
        self.last_tasks = 0

    def chunks(self, suggester: "Suggester", segments: pd.DataFrame, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """``suggester.suggest(segments.iloc[i:i+size])`` for i = 0, size, 2*size, ..., yielded in order as
        (rows done so far, suggestions frame); tasks still running when the caller stops are cancelled."""
        import time

        from distributed import as_completed

        n = len(segments)
        if n == 0:
            return
        size = max(1, int(size))
        segs = travelling(segments)
        run = uuid.uuid4().hex[:12]
        t0 = time.perf_counter()
        shipped = suggester if self.cluster is not None else portable(suggester)  # a LocalCluster shares the disk
        fitted = self._call(lambda: self.client.scatter(shipped, broadcast=True, hash=False))
        futures = [self.client.submit(_suggest, fitted, segs.iloc[i:i + size].reset_index(drop=True),
                                      key=f"thematic-suggest-{run}-{k}", pure=False)
                   for k, i in enumerate(range(0, n, size))]
        index = {f.key: k for k, f in enumerate(futures)}
        buffered: dict[int, pd.DataFrame] = {}
        nxt = 0
        try:
            for fut in as_completed(futures):
                buffered[index[fut.key]] = self._call(fut.result)
                fut.release()
                while nxt in buffered:
                    yield min((nxt + 1) * size, n), buffered.pop(nxt)
                    nxt += 1
        finally:
            self.last_seconds, self.last_tasks = time.perf_counter() - t0, len(futures)
            if nxt < len(futures):
                self.client.cancel(futures[nxt:])
            del fitted

    def _call(self, fn: Any) -> Any:
        """``fn()``, with a worker's failure (or every worker gone) as a coded StudyError."""
        try:
            return fn()
        except (KeyboardInterrupt, GeneratorExit, StudyError):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a worker raised, said in one line
            from distributed import KilledWorker

            if isinstance(exc, KilledWorker):
                raise StudyError(Errors.E703.format(address=self.address, detail=exc)) from exc
            raise StudyError(Errors.E702.format(address=self.address, detail=f"{type(exc).__name__}: {exc}")) from exc

    def close(self) -> None:
        """Disconnect from the scheduler (and stop the LocalCluster this executor started)."""
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def _module_line(top: Any) -> tuple[str, int] | None:
    """File and line of the outermost module-level frame on the stack whose globals satisfy ``top(globals)``."""
    found = None
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and top(frame.f_globals):
            found = (frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back
    return found


def _main_rerun_by_workers() -> str | None:
    """The file of ``__main__`` when Dask's worker processes run it again as they start (what multiprocessing's
    spawn and forkserver do; not a package's ``__main__``, not a notebook or ``python -c``), else None."""
    import dask

    if dask.config.get("distributed.worker.multiprocessing-method", "spawn") == "fork":
        return None
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    if name is not None and (name == "__main__" or name.endswith(".__main__")):
        return None
    path = getattr(main, "__file__", None)
    if not path or os.path.splitext(os.path.basename(path))[0] == "ipython":
        return None
    return os.path.normcase(os.path.abspath(path))


def _under_name_test(path: str, line: int) -> bool | None:
    """Whether ``line`` of the script at ``path`` is inside an ``if`` that tests ``__name__`` (None: unreadable)."""
    import ast

    try:
        with open(path, "rb") as fh:
            tree = ast.parse(fh.read())
    except (OSError, SyntaxError, ValueError):
        return None
    return any(isinstance(node, ast.If) and node.lineno <= line <= (node.end_lineno or node.lineno)
               and any(isinstance(n, ast.Name) and n.id == "__name__" for n in ast.walk(node.test))
               for node in ast.walk(tree))


def _refuse_rerun(address: str) -> None:
    """E706 when a LocalCluster's spawned workers would run the calling script again: called from a script's top
    level outside ``if __name__ == "__main__":``, or from such a re-run inside a worker process being started."""
    # a process multiprocessing is starting, running its parent's script again (as "__mp_main__")
    where = _module_line(lambda g: g.get("__name__") == "__mp_main__")
    script = _main_rerun_by_workers() if where is None else None
    if script is not None:
        main = vars(sys.modules["__main__"])
        line = _module_line(lambda g: g is main)
        if (line is not None and os.path.normcase(os.path.abspath(line[0])) == script
                and _under_name_test(line[0], line[1]) is False):
            where = line
    if where is not None:
        raise StudyError(Errors.E706.format(where=f"{where[0]}, line {where[1]}", address=address))


def connect(address: str, *, timeout: float = 10.0) -> DaskExecutor:
    """A DaskExecutor on the scheduler at ``address`` (``tcp://HOST:8786``), or on a new LocalCluster.

    ``address`` ``"local"`` (or ``"local:N"`` for N >= 1 workers) starts a LocalCluster of spawned worker
    processes with one thread each, everything on 127.0.0.1, without dashboards (the HTTP servers Dask always
    opens take free ports, never the default 8787). An unreachable scheduler raises StudyError (E700) before
    anything is sent; a local cluster whose workers cannot start, E705 (E706, before starting, when called from a
    script's top level outside ``if __name__ == "__main__":``); without Dask installed, OptionalDependencyError (E701).
    """
    _require_distributed()
    from distributed import Client, LocalCluster

    address = address.strip()
    cluster = None
    try:
        if address == LOCAL or address.startswith(LOCAL + ":"):
            n = address.partition(":")[2]
            if n and (not n.isdigit() or int(n) < 1):
                raise StudyError(Errors.E704.format(address=address))
            _refuse_rerun(address)
            try:
                cluster = LocalCluster(n_workers=int(n) if n else (os.cpu_count() or 1), threads_per_worker=1,
                                       processes=True, host="127.0.0.1", dashboard_address=None,
                                       worker_dashboard_address=None, silence_logs=50,
                                       scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            except RuntimeError as exc:  # "Nanny failed to start": a worker process died as it started
                raise StudyError(Errors.E705.format(address=address, detail=str(exc).rstrip("."))) from exc
            client = Client(cluster, timeout=timeout)
        else:
            if "://" not in address and ":" not in address:
                raise StudyError(Errors.E704.format(address=address))
            client = Client(address, timeout=timeout)
    except StudyError:
        raise
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise StudyError(Errors.E700.format(address=address, timeout=timeout, detail=exc)) from exc
    return DaskExecutor(client, cluster, address)


def connect_scheduler(scheduler: str | None) -> DaskExecutor | None:
    """A DaskExecutor on ``scheduler`` (E700 when unreachable; ``THEMATIC_DASK_TIMEOUT`` seconds, default 10),
    or None to run on this machine."""
    if not scheduler:
        return None
    return connect(scheduler, timeout=float(os.environ.get("THEMATIC_DASK_TIMEOUT") or 10))
