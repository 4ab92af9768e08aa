"""A suggester in its own forked process: warm up, fit, suggest chunk by chunk, stream the frames back.

`thematic code` on a large study runs each forkable suggester (rules, model) in a runner process
while the parent ingests, plans and writes the suggestions already received to the store, so the
rules' matching, the model's predictions and the database writes use both cores of a small
machine. A runner can be started before the parent knows what to suggest (``warm_up`` imports
spaCy or scikit-learn meanwhile) and is then sent the fit arguments and the segments.

The runner hides the suggester's ``unused_modules`` while warming up: thinc (under spaCy) imports
PyTorch whenever it is installed, ~1.5 s the rules never use. Only the runner process is affected;
it exits when its work is done. Any failure of the process itself (it died, a message could not
be sent) is reported as ``RunnerFailed`` so the caller can run the suggester in-process instead;
an exception raised by ``fit`` or ``suggest`` is re-raised in the parent as it was.

A runner never outlives its parent: it closes every parent-side pipe end it inherited (so a dead
parent reads as end-of-file), asks Linux to SIGTERM it when the parent dies (``PR_SET_PDEATHSIG``)
and, as a fallback, a watcher thread exits it once its parent process is gone. So a killed
``thematic code | tee log`` returns instead of waiting on a worker that holds the pipe.

Linux only (``fork``): elsewhere ``available()`` is False and suggesters run in-process.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

if TYPE_CHECKING:
    import pandas as pd

    from ..suggest.base import Suggester


#: The parent's ends of every live runner's pipe: a new runner closes the copies it inherits.
_PARENT_ENDS: "weakref.WeakSet[Any]" = weakref.WeakSet()
#: How often the fallback watcher checks that the parent process is still there (seconds).
WATCH_INTERVAL = 0.5


class RunnerFailed(RuntimeError):
    """The runner process died or could not talk to the parent (run the suggester in-process)."""


class RunnerSkipped(Exception):
    """``fit`` raised an InputError or OptionalDependencyError: the suggester is skipped with this reason."""


def available() -> bool:
    """True where runner processes can be forked (Linux, and not inside a daemonic process)."""
    import multiprocessing

    return sys.platform.startswith("linux") and not multiprocessing.current_process().daemon


def start_runner(suggester: "Suggester") -> "Runner | None":
    """A new runner for ``suggester``, or None if no process could be started (run it in-process then)."""
    try:
        return Runner(suggester)
    except (OSError, ValueError, AssertionError):  # fork failed: no memory, too many processes, ...
        return None


@contextmanager
def hidden_modules(names: Sequence[str]) -> Iterator[None]:
    """While inside, ``import NAME`` raises ImportError for each name not imported yet (then restored)."""
    hide = [n for n in names if n not in sys.modules]
    for n in hide:
        sys.modules[n] = None  # type: ignore[assignment]  # the import system's "not available" marker
    try:
        yield
    finally:
        for n in hide:
            if n in sys.modules and sys.modules[n] is None:
                del sys.modules[n]


class Runner:
    """One suggester in a forked process: ``start(...)``, then iterate ``results()``, then ``close()``."""

    def __init__(self, suggester: "Suggester") -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.suggester = suggester
        self._conn, child = ctx.Pipe(duplex=True)
        _PARENT_ENDS.add(self._conn)
        self._proc = ctx.Process(target=_child_main, args=(child, suggester, os.getpid()), daemon=True,
                                 name=f"thematic-{suggester.name}")
        self._proc.start()
        child.close()
        self.fit_seconds = 0.0
        self.learned: dict[str, Any] = {}
        self._spooled: Path | None = None

    def start(self, fit_args: tuple[Any, ...], segments: "pd.DataFrame", chunk: int,
              spool: "Path | None" = None) -> None:
        """Send the arguments of ``fit`` and the segments to suggest for, in chunks of ``chunk``.

        With ``spool`` (a folder), the work is pickled to a private temporary file there and only
        its path goes through the pipe: a runner still loading spaCy would otherwise make the
        parent wait while it slowly reads megabytes of text.
        """
        work = ("run", fit_args, segments, chunk)
        try:
            if spool is not None:
                import pickle
                import tempfile

                spool.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile("wb", dir=spool, prefix=".runner-", suffix=".pickle",
                                                 delete=False) as f:
                    self._spooled = Path(f.name)
                    pickle.dump(work, f, protocol=pickle.HIGHEST_PROTOCOL)
                work = ("spooled", str(self._spooled))
            self._conn.send(work)
        except Exception as exc:  # noqa: BLE001 - cannot hand the work over (pipe, disk, pickling): run it here
            raise RunnerFailed(f"{self.suggester.name}: could not send the work ({exc!r})") from exc

    def results(self) -> Iterator[tuple[int, "pd.DataFrame"]]:
        """``(segments done, suggestions frame)`` per chunk, in order; raises RunnerSkipped/RunnerFailed."""
        while True:
            try:
                msg = self._conn.recv()
            except Exception as exc:  # noqa: BLE001 - the process ended, or sent what cannot be read back
                raise RunnerFailed(f"{self.suggester.name}: runner process ended early ({exc!r})") from exc
            kind = msg[0]
            if kind == "chunk":
                yield msg[1], msg[2]
            elif kind == "fitted":
                self.fit_seconds, self.learned = msg[1], msg[2]
            elif kind == "skip":
                self.fit_seconds = msg[2]
                raise RunnerSkipped(msg[1])
            elif kind == "error":
                raise msg[1]
            else:  # "done"
                return

    @property
    def pid(self) -> int | None:
        """The runner process's id."""
        return self._proc.pid

    def close(self) -> None:
        """Stop the process (at once if it is still working), reap it, remove its work file."""
        _PARENT_ENDS.discard(self._conn)
        self._conn.close()
        self._proc.join(timeout=0.5)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join()
        if self._spooled is not None:
            self._spooled.unlink(missing_ok=True)


def _child_main(conn: Any, s: "Suggester", parent: int) -> None:
    """The runner process's entry: tie its life to the parent's, then serve."""
    for end in list(_PARENT_ENDS):
        try:
            end.close()  # an inherited parent end would keep our pipe open after the parent died
        except OSError:
            pass
    die_with_parent(parent)
    _serve(conn, s)


def die_with_parent(parent: int) -> None:
    """Exit this process when ``parent`` dies: PR_SET_PDEATHSIG on Linux, plus a watcher thread."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="thematic-parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def _serve(conn: Any, s: "Suggester") -> None:
    """The runner process: warm up, wait for the work, fit, send each chunk's suggestions.

    A thread receives the work while the main thread warms up (the parent's send of a large frame
    never waits for the warm-up), and another sends the results, so computing the next chunk never
    waits for the parent to read the last one (it may be busy writing another suggester's).
    """
    import queue

    from ...errors import InputError, OptionalDependencyError

    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    receiver = threading.Thread(target=_receive, args=(conn, inbox), daemon=True)
    sender = threading.Thread(target=_send_all, args=(conn, outbox), daemon=True)
    receiver.start()
    sender.start()
    try:
        with hidden_modules(s.unused_modules):
            s.warm_up()
        msg = inbox.get()
        if msg[0] == "error":
            raise msg[1]
        if msg[0] != "run":
            return
        _, fit_args, segs, chunk = msg
        t = time.perf_counter()
        try:
            s.fit(*fit_args)
        except (InputError, OptionalDependencyError) as exc:
            outbox.put(("skip", str(exc), time.perf_counter() - t))
            return
        outbox.put(("fitted", time.perf_counter() - t, s.learned_provenance()))
        for lo in range(0, len(segs), chunk):
            hi = min(lo + chunk, len(segs))
            outbox.put(("chunk", hi, s.suggest(segs.iloc[lo:hi])))
        outbox.put(("done",))
    except KeyboardInterrupt:
        return
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which re-raises it
        outbox.put(("error", exc))
    finally:
        outbox.put(None)
        sender.join()
        conn.close()


def _receive(conn: Any, inbox: "Any") -> None:
    try:
        msg = conn.recv()
        if msg[0] == "spooled":  # the work is in a file the parent wrote (see Runner.start)
            import pickle

            path = Path(msg[1])
            with path.open("rb") as f:
                msg = pickle.load(f)
            path.unlink(missing_ok=True)
        inbox.put(msg)
    except (EOFError, OSError):
        inbox.put(("stop",))
    except Exception as exc:  # noqa: BLE001 - e.g. the work cannot be unpickled: reported to the parent
        inbox.put(("error", exc))


def _send_all(conn: Any, outbox: "Any") -> None:
    while True:
        msg = outbox.get()
        if msg is None:
            return
        try:
            if msg[0] == "error":
                _send_error(conn, msg[1])
            else:
                conn.send(msg)
        except (OSError, EOFError):
            return  # the parent went away or stopped us


def _send_error(conn: Any, exc: BaseException) -> None:
    try:
        conn.send(("error", exc))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled travels as its text
        try:
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        except (OSError, EOFError):
            pass
