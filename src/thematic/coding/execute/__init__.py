"""`thematic code`, stage 2 of 3 (plan -> execute -> store): fit the suggesters and compute their suggestions.

- ``base``: the ``Executor`` interface (run ``suggest`` over chunks of segments) and the in-process one.
- ``executors``: the local fork-pool executor, ``executor_for`` (the one place an executor is chosen,
  including the ``[code] scheduler`` seam), and ``run_suggester`` (chunks -> suggested Codings).
- ``runner``: a suggester in its own forked process (warm up, fit, stream chunks back).
- ``jobs``: one suggester's share of a run (computed here or streamed from a runner), and the runners
  started early, before the ingest.

Calls go one way: ``jobs`` -> ``executors`` -> ``base``/``runner``; nothing here imports the store stage.
"""

from .base import Executor, InProcessExecutor

__all__ = ["Executor", "InProcessExecutor"]
