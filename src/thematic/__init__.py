"""thematic: thematic analysis of interviews, focus groups and open-text surveys.

The notebook API: open a study, ingest transcripts, code, analyse, export.

Example:
    >>> import thematic
    >>> study = thematic.Study.open("path/to/study")
"""

from __future__ import annotations

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
