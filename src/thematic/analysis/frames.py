"""Loading the frames every analysis takes from a study's store (the one place analysis reads I/O)."""

from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from ..codebook import Codebook, load_codebook
from ..context import HasContext, StudyContext, context_of


@dataclass(frozen=True)
class StudyFrames:
    """What the analysis functions take: codings (``superseded`` marks those a consensus coding
    replaces, ``superseded_on`` the settled turns where it replaces one spanning others too), segments
    (with text), participants, documents, codebook, and coverage (who saw what)."""

    codings: pd.DataFrame
    segments: pd.DataFrame
    participants: pd.DataFrame
    documents: pd.DataFrame
    codebook: Codebook | None
    name: str = "study"
    coverage: pd.DataFrame | None = None
    consensus: str = "consensus"
    n_consensus: int = 0

    @property
    def consensus_note(self) -> str:
        """Says that tables count the consensus coding where it exists ('' when there is none)."""
        from .consensus import consensus_note, unsettled_codings

        unsettled = 0 if self.n_consensus else unsettled_codings(self.codings, self.consensus)
        return consensus_note(self.consensus, self.n_consensus, unsettled)

    @property
    def doc_lengths(self) -> dict[str, int]:
        """Characters per document (for character-level agreement)."""
        return {str(d): int(n) for d, n in zip(self.documents["document_id"], self.documents["n_chars"]) if pd.notna(n)}


def load_frames(study: StudyContext | HasContext, *, codebook: Codebook | None = None) -> StudyFrames:
    """Read the study's store (never its private folder) and its default codebook, if any."""
    study = context_of(study)
    if codebook is None:
        path = study.codebook_path
        codebook = load_codebook(path) if path is not None and path.is_file() else None
    from .consensus import prefer_consensus

    store = study.store
    segments, coverage = store.segments(), store.coverage()
    codings, n_consensus = prefer_consensus(store.codings(), segments, coverage, study.config.consensus)
    return StudyFrames(
        codings=codings, segments=segments, participants=store.participants(),
        documents=store.documents(), codebook=codebook, name=study.config.name, coverage=coverage,
        consensus=study.config.consensus, n_consensus=n_consensus,
    )
