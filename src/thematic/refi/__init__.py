"""REFI-QDA interoperability: move a study to and from NVivo, ATLAS.ti, MAXQDA and QualCoder.

``export_refi(study, "study.qdpx")`` writes a project (or ``.qdc`` a codebook) that validates
against the official schemas; ``import_refi("file.qdpx", study)`` reads what vendors really write
and reports what it could not carry over. See docs/refi.md.
"""

from .export import ExportSummary, export_codebook, export_qdpx, export_refi
from .importer import import_refi
from .load import load_refi
from .report import ImportReport, SelectionCheck
from .safety import DEFAULT_LIMITS, Limits, RefiError

__all__ = [
    "DEFAULT_LIMITS",
    "ExportSummary",
    "ImportReport",
    "Limits",
    "RefiError",
    "SelectionCheck",
    "export_codebook",
    "export_qdpx",
    "export_refi",
    "import_refi",
    "load_refi",
]
