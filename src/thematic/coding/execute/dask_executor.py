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

import logging
import math
import os
import signal
import sys
import threading
import uuid
from contextlib import suppress
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pandas as pd

from ...errors import Errors, OptionalDependencyError, StudyError

if TYPE_CHECKING:
    from ..suggest.base import Suggester

#: Segment columns sent to workers: what ``Suggester.suggest`` reads (ids, offsets, text) and the
#: context columns of ``suggest._context`` (survey question, document kind).
TRAVELS = ("segment_id", "document_id", "start", "end", "text", "question", "kind")
#: ``scheduler = "local"``: a LocalCluster of this many worker processes (default: one per core).
LOCAL = "local"
#: ``local:N`` may ask for at most this many worker processes per core of this machine.
LOCAL_PER_CORE = 4
#: Seconds to wait for a scheduler (``THEMATIC_DASK_TIMEOUT`` changes it, up to ``MAX_TIMEOUT``).
TIMEOUT, MAX_TIMEOUT = 10.0, 3600.0
#: Segments per task on the cluster (``THEMATIC_DASK_CHUNK`` changes it, up to ``MAX_CHUNK``).
DASK_CHUNK, MAX_CHUNK = 2000, 10_000_000
#: A logging level above CRITICAL: Dask's log lines (and their tracebacks) are not shown at all.
SILENT = logging.CRITICAL + 1


def _env_setting(name: str, default: float, expected: str, default_text: str, *, whole: bool, high: float
                 ) -> float:
    """The environment variable ``name`` as a number above 0 and at most ``high`` (a whole number when ``whole``),
    or ``default`` when unset or blank; E416 naming the variable, its value and ``expected`` otherwise."""
    raw = os.environ.get(name)
    text = (raw or "").strip()
    if not text:
        return default
    try:
        if not text.isascii() or (whole and not text.isdigit()):
            raise ValueError(text)
        value = int(text) if whole else float(text)
    except (ValueError, OverflowError):
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= high):
        raise StudyError(Errors.E416.format(name=name, value=raw, expected=expected, default=default_text))
    return value


def dask_timeout() -> float:
    """Seconds to wait for the scheduler: ``THEMATIC_DASK_TIMEOUT`` (checked: E416), else ``TIMEOUT``."""
    return _env_setting("THEMATIC_DASK_TIMEOUT", TIMEOUT, f"a number of seconds above 0 and at most {MAX_TIMEOUT:g}",
                        f"{TIMEOUT:g} s", whole=False, high=MAX_TIMEOUT)


def chunk_setting() -> int | None:
    """Segments per task set by ``THEMATIC_DASK_CHUNK`` (checked: E416), or None when it is not set."""
    value = _env_setting("THEMATIC_DASK_CHUNK", 0, f"a whole number of passages from 1 to {MAX_CHUNK}",
                         f"{DASK_CHUNK} passages per task, fewer for a suggester with smaller chunks",
                         whole=True, high=MAX_CHUNK)
    return int(value) or None


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

    def __init__(self, client: Any, cluster: Any = None, address: str = "", quiet: "_Quiet | None" = None) -> None:
        self.client = client
        self.cluster = cluster  # a LocalCluster this executor started (closed with it), else None
        self.address = address
        self._quiet = quiet  # Dask's log output, silenced until ``close``
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
        import asyncio

        try:
            return fn()
        except (KeyboardInterrupt, GeneratorExit, StudyError):
            raise
        except asyncio.CancelledError as exc:  # the scheduler dropped the task: the workers holding its input died
            raise StudyError(Errors.E703.format(address=self.address, detail=f"its tasks were cancelled: {exc}")
                             ) from exc
        except Exception as exc:  # noqa: BLE001 - whatever a worker raised, said in one line
            from distributed import KilledWorker

            if isinstance(exc, KilledWorker):
                raise StudyError(Errors.E703.format(address=self.address, detail=exc)) from exc
            raise StudyError(Errors.E702.format(address=self.address, detail=f"{type(exc).__name__}: {exc}")) from exc

    def close(self) -> None:
        """Disconnect from the scheduler (and stop the LocalCluster this executor started, with its worker
        processes); what Dask says while closing (an interrupted run's cancelled tasks) is not shown."""
        try:
            with suppress(Exception):  # an interrupted run: the original exception is what matters
                self.client.close()
        finally:
            try:
                if self.cluster is not None:
                    with suppress(Exception):
                        self.cluster.close()
            finally:
                if self._quiet is not None:
                    self._quiet.restore()


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


class _Quiet:
    """Silences the log handlers Dask installs (``distributed``, ``tornado``, ``bokeh``: they print to stderr, the
    scheduler's CRITICAL lines and tracebacks included, e.g. for every task cancelled after Ctrl-C) until
    ``restore``: thematic reports what matters as coded errors, and the library never prints."""

    def __init__(self) -> None:
        self._filter = logging.Filter("thematic: no Dask log output")
        self._filter.filter = lambda record: False  # type: ignore[method-assign]
        self._handlers: list[logging.Handler] = []
        for name, logger in list(logging.root.manager.loggerDict.items()):
            if isinstance(logger, logging.Logger) and name.split(".")[0] in ("distributed", "tornado", "bokeh"):
                for handler in logger.handlers:
                    handler.addFilter(self._filter)
                    self._handlers.append(handler)

    def restore(self) -> None:
        """Show Dask's log output again."""
        for handler in self._handlers:
            handler.removeFilter(self._filter)
        self._handlers = []


def dask_setup(worker: Any) -> None:
    """Dask preload of a local cluster's worker processes: they ignore SIGINT, so a Ctrl-C in the terminal (sent to
    the whole process group) reaches only thematic, which then closes them; a worker that is started again after
    dying (a nanny restarts it) is covered from here on."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@cache
def _bounded_client() -> type:
    """``distributed.Client`` whose connection, handshake included, takes at most its timeout (plus a second for
    Dask's own, more precise, error): Dask bounds only the TCP connect, so a port that accepts and stays silent
    made it wait for ever. A client that fails to start is closed at once (not left to ``__del__``)."""
    from distributed import Client

    class BoundedClient(Client):  # type: ignore[misc]
        def start(self, **kwargs: Any) -> Any:
            if self.asynchronous:
                return super().start(**kwargs)
            kwargs.setdefault("callback_timeout", float(self._timeout) + 1)
            try:
                return super().start(**kwargs)
            except BaseException:
                with suppress(Exception):
                    self.close(timeout=5)
                raise

    return BoundedClient


def _unreached(exc: BaseException) -> str:
    """Why connecting failed, in words for E700 (a MemoryError is an HTTP answer read as a Dask frame length)."""
    if isinstance(exc, TimeoutError) and str(exc).startswith("timed out after"):
        return ("no Dask scheduler answered in that time: nothing that is running there, or something that is not "
                "a Dask scheduler")
    if isinstance(exc, (OSError, ValueError)):
        return str(exc).strip() or type(exc).__name__
    if isinstance(exc, MemoryError):
        return "what answered is not a Dask scheduler: it does not speak Dask's protocol (a web server, say)"
    return f"what answered is not a Dask scheduler ({type(exc).__name__}: {str(exc)[:200]})"


def _tls_settings() -> bool:
    """Whether Dask's own configuration gives the client TLS certificates (or a security loader)."""
    import dask

    if dask.config.get("distributed.client.security-loader", None):
        return True
    try:
        from distributed.security import Security

        return Security().get_connection_args("client").get("ssl_context") is not None
    except Exception:  # noqa: BLE001 - a configuration Dask cannot read is said by the client (E700)
        return True


def _local_workers(address: str) -> int | None:
    """Worker processes for ``local`` / ``local:N``; None for a scheduler's address. E704 for an invalid one,
    E707 for a ``tls://`` address without Dask TLS settings or a ``ucx://`` address."""
    cores = os.cpu_count() or 1
    limit = LOCAL_PER_CORE * cores
    if address == LOCAL or address.startswith(LOCAL + ":"):
        n = address.partition(":")[2]
        if n and not (n.isascii() and n.isdigit() and 1 <= int(n) <= limit):
            raise StudyError(Errors.E704.format(address=address, limit=limit))
        return int(n) if n else cores
    scheme, sep, rest = address.partition("://")
    if not sep:
        host, colon, port = address.rpartition(":")
        if not (colon and host and port.isascii() and port.isdigit()):
            raise StudyError(Errors.E704.format(address=address, limit=limit))
    elif scheme.lower() in ("tls", "wss") and not _tls_settings():
        raise StudyError(Errors.E707.format(address=address, detail=(
            f"a {scheme}:// address needs TLS certificates, and thematic passes none to Dask (nor does Dask's own "
            "configuration, distributed.comm.tls, hold any)")))
    elif scheme.lower() == "ucx":
        raise StudyError(Errors.E707.format(address=address, detail="thematic does not support UCX (ucx://) "
                                                                    "connections"))
    return None


def _new_children(me: Any, before: set[int]) -> int:
    """Child processes of ``me`` (psutil) started since ``before``: forked, so their signal settings are set."""
    import psutil

    with suppress(psutil.Error):
        return sum(child.pid not in before for child in me.children())
    return 0


def _start_without_sigint(make: Callable[[], Any], n: int) -> Any:
    """``make()`` (a LocalCluster of ``n`` worker processes), with SIGINT ignored in this process from the start
    until those processes are forked (about 0.1 s): they inherit it ignored, so a terminal's Ctrl-C reaches only
    this process (which closes them) and never prints their KeyboardInterrupt tracebacks. A Ctrl-C after that
    stops the start and closes the cluster."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGINT"):
        return make()
    import psutil

    me = psutil.Process()
    before = {child.pid for child in me.children()}
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["cluster"] = make()
        except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="thematic: starting a local Dask cluster", daemon=True)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        thread.start()
        while thread.is_alive() and _new_children(me, before) < n:
            thread.join(0.005)
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    try:
        while thread.is_alive():
            thread.join(0.1)
    except BaseException:
        thread.join()
        if "cluster" in box:
            with suppress(Exception):
                box["cluster"].close()
        raise
    if "error" in box:
        raise box["error"]
    return box["cluster"]


def _tracker_without_leak_warnings() -> None:
    """Start multiprocessing's resource tracker (if it is not running yet) without its "leaked semaphore objects"
    warning: a worker killed mid-run (or this process, by SIGTERM) leaves semaphores the tracker removes at the
    end, and its raw Python warning about that says nothing the user can act on."""
    from multiprocessing import resource_tracker

    flag = "ignore:resource_tracker:UserWarning"
    added = flag not in sys.warnoptions
    if added:
        sys.warnoptions.append(flag)  # the tracker process is started with this process's -W options
    try:
        resource_tracker.ensure_running()
    except Exception:  # noqa: BLE001 - no tracker yet: multiprocessing starts one itself when it needs it
        pass
    finally:
        if added:
            sys.warnoptions.remove(flag)


def connect(address: str, *, timeout: float = TIMEOUT) -> DaskExecutor:
    """A DaskExecutor on the scheduler at ``address`` (``tcp://HOST:8786``), or on a new LocalCluster.

    ``address`` ``"local"`` (or ``"local:N"`` for 1 <= N <= ``LOCAL_PER_CORE`` x cores workers) starts a
    LocalCluster of spawned worker processes with one thread each, everything on 127.0.0.1, without dashboards
    (the HTTP servers Dask always opens take free ports, never the default 8787); its workers ignore SIGINT (this
    process closes them). A scheduler that does not answer as one within ``timeout`` seconds (nothing there, or
    another service) raises StudyError (E700) before anything is sent; an invalid address E704, a ``tls://`` or
    ``ucx://`` one E707; a local cluster whose workers cannot start, E705 (E706, before starting, when called
    from a script's top level outside ``if __name__ == "__main__":``); without Dask, OptionalDependencyError (E701).
    Dask's log output is silenced until the executor is closed.
    """
    _require_distributed()
    from distributed import LocalCluster

    address = address.strip()
    n = _local_workers(address)
    if n is not None:
        _refuse_rerun(address)
    quiet = _Quiet()
    cluster = None
    try:
        if n is not None:
            _tracker_without_leak_warnings()
            try:
                cluster = _start_without_sigint(lambda: LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                    worker_dashboard_address=None, silence_logs=SILENT, preload=[__name__],
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}), n)
            except RuntimeError as exc:  # "Nanny failed to start": a worker process died as it started
                raise StudyError(Errors.E705.format(address=address, detail=str(exc).rstrip("."))) from exc
        client = _bounded_client()(cluster if cluster is not None else address, timeout=timeout)
    except BaseException as exc:
        if cluster is not None:
            with suppress(Exception):
                cluster.close()
        quiet.restore()
        if isinstance(exc, StudyError) or not isinstance(exc, Exception):
            raise
        raise StudyError(Errors.E700.format(address=address, timeout=timeout, detail=_unreached(exc))) from exc
    return DaskExecutor(client, cluster, address, quiet)


def connect_scheduler(scheduler: str | None) -> DaskExecutor | None:
    """A DaskExecutor on ``scheduler`` (E700 when unreachable within ``THEMATIC_DASK_TIMEOUT`` seconds, default
    10), or None to run on this machine. THEMATIC_DASK_TIMEOUT and THEMATIC_DASK_CHUNK are checked first (E416)."""
    if not scheduler:
        return None
    timeout = dask_timeout()
    chunk_setting()
    return connect(scheduler, timeout=timeout)
