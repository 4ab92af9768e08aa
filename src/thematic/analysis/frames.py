"""Loading the frames every analysis takes from a study's store (the one place analysis reads I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..codebook import Codebook, load_codebook

if TYPE_CHECKING:
    from ..study import Study


@dataclass(frozen=True)
class StudyFrames:
    """What the analysis functions take: codings, segments (with text), participants, documents, codebook."""

    codings: pd.DataFrame
    segments: pd.DataFrame
    participants: pd.DataFrame
    documents: pd.DataFrame
    codebook: Codebook | None
    name: str = "study"

    @property
    def doc_lengths(self) -> dict[str, int]:
        """Characters per document (for character-level agreement)."""
        return {str(d): int(n) for d, n in zip(self.documents["document_id"], self.documents["n_chars"]) if pd.notna(n)}


def load_frames(study: "Study", *, codebook: Codebook | None = None) -> StudyFrames:
    """Read the study's store (never its private folder) and its default codebook, if any."""
    if codebook is None:
        path = study.codebook_path
        codebook = load_codebook(path) if path is not None and path.is_file() else None
    store = study.store
    return StudyFrames(
        codings=store.codings(), segments=store.segments(), participants=store.participants(),
        documents=store.documents(), codebook=codebook, name=study.config.name,
    )
