"""thematic: thematic analysis of interviews, focus groups and open-text surveys.

The notebook API: open a study, ingest transcripts, code, analyse, export.

Example:
    >>> import thematic
    >>> study = thematic.Study.open("path/to/study")
"""

from __future__ import annotations

import sys as _sys


def _quiet_interrupt(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """Ctrl-C while the `thematic` command is still starting: one line and exit 130, no traceback."""
    if issubclass(kind, KeyboardInterrupt):
        _sys.stderr.write("Interrupted while starting; nothing was changed.\n")
        _sys.stderr.flush()
        import os

        os._exit(130)
    _sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]


if _sys.argv and _sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1] in {"thematic", "thematic.exe", "-m"}:
    _sys.excepthook = _quiet_interrupt  # the console script (or `python -m thematic`) imports us first

from .codebook import Codebook, load_codebook
from .errors import ThematicError
from .ingest import read_transcript
from .models import Code, Coding, Document, Participant, Provenance, Segment
from .store import Store
from .study import Study, init_study, status
from ._version import __version__

__all__ = [
    "Code",
    "Codebook",
    "Coding",
    "Document",
    "Participant",
    "Provenance",
    "Segment",
    "Store",
    "Study",
    "ThematicError",
    "__version__",
    "init_study",
    "load_codebook",
    "read_transcript",
    "status",
]
