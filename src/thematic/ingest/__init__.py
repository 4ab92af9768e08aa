"""Ingest: every transcript format researchers have, speaker-aware, with stable offsets and pseudonyms.

``read_transcript(path)`` reads one file into a Document without touching a store;
``ingest(study)`` brings the study's store up to date with data/raw/.
"""

from __future__ import annotations

from .discover import discover_inputs
from .read import read_transcript
from .report import IngestReport, IngestRow
from .run import ingest

__all__ = ["IngestReport", "IngestRow", "discover_inputs", "ingest", "read_transcript"]
