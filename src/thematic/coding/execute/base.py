"""The executor interface: what runs a fitted suggester's ``suggest`` over consecutive chunks of segments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Protocol

import pandas as pd

if TYPE_CHECKING:
    from ..suggest.base import Suggester


class Executor(Protocol):
    """Runs a fitted suggester's ``suggest`` over consecutive chunks of segments."""

    def chunks(self, suggester: "Suggester", segments: pd.DataFrame, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """``suggester.suggest(segments.iloc[i:i+size])`` for i = 0, size, 2*size, ..., yielded in order as
        (rows done so far, suggestions frame)."""
        ...

    def close(self) -> None:
        """Release what the executor holds (processes, a client); it is not used again."""
        ...


class InProcessExecutor:
    """Each chunk in this process, one after the other."""

    def chunks(self, suggester: "Suggester", segments: pd.DataFrame, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """The suggestions of each chunk, computed here in order."""
        n = len(segments)
        for lo in range(0, n, size):
            hi = min(lo + size, n)
            yield hi, suggester.suggest(segments.iloc[lo:hi])

    def close(self) -> None:
        """Nothing to release."""
