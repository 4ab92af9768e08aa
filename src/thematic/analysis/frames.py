"""Loading the frames every analysis takes from a study's store (the one place analysis reads I/O)."""

from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from ..codebook import Codebook, load_codebook
from ..context import HasContext, StudyContext, context_of
from ..errors import Errors, InputError


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
    """Read the study's store (never its private folder) at one moment, and its default codebook, if any."""
    study = context_of(study)
    if codebook is None:
        path = study.codebook_path
        codebook = load_codebook(path) if path is not None and path.is_file() else None
    from .consensus import prefer_consensus

    store = study.store
    with store.snapshot():  # one moment, though a notebook or another command commits meanwhile
        segments, coverage, documents = store.segments(), store.coverage(), store.documents()
        stored, participants = store.codings(), store.participants()
        question_ids = store.survey_question_ids()
    segments = with_question_ids(with_source_kinds(study, segments, documents), question_ids)
    codings, n_consensus = prefer_consensus(stored, segments, coverage, study.config.consensus)
    return StudyFrames(
        codings=codings, segments=segments, participants=participants,
        documents=documents, codebook=codebook, name=study.config.name, coverage=coverage,
        consensus=study.config.consensus, n_consensus=n_consensus,
    )


def with_question_ids(segments: pd.DataFrame, ids: dict[str, dict[str, str]]) -> pd.DataFrame:
    """``segments`` with column ``question_id``: a survey answer's question as its file's column names it (``Q3``,
    from ``store.survey_question_ids``), where that differs from the question's text; else missing."""
    keys = zip(segments["document_id"].astype(str), segments["question"].astype("object"))
    found = [ids.get(d, {}).get(str(q)) if isinstance(q, str) else None for d, q in keys]
    return segments.assign(question_id=pd.Series(found, index=segments.index, dtype="string"))


def with_source_kinds(study: StudyContext, segments: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``segments`` with column ``source_kind``: the ``kind`` thematic.toml's ``[ingest.files."NAME"]`` gives the
    segment's document, else missing (then who speaks decides, ``selection.document_kinds``).

    Read from thematic.toml here, when the tables are made, rather than stored at ingest: the kind changes no
    segment, so a changed setting takes effect at once, without re-reading the transcript (ingest leaves it out
    of what re-reads a file), and it names documents imported from REFI-QDA too.

    Raises:
        InputError: [E513] a kind other than interview or focus group; [E514] a kind on a survey.
    """
    from ..ingest.read import file_kind, stored_file_entry
    from .selection import SOURCE_KIND, document_kinds

    files = study.config.ingest.files
    raw = study.paths.raw.relative_to(study.root).as_posix()
    named: dict[str, str] = {}
    for doc, path in zip(documents["document_id"].astype(str), documents["path"].astype(str)):
        key, options = stored_file_entry(files, path, doc, raw) if files else ("", {})
        kind = file_kind(options, key)
        if kind is not None:
            if document_kinds(segments.loc[(segments["document_id"] == doc).to_numpy(dtype=bool)]).get(doc) == "survey":
                raise InputError(Errors.E514.format(kind=kind, key=key, path=path))
            named[doc] = kind
    kinds = segments["document_id"].astype(str).map(named).astype("string")
    return segments.assign(**{SOURCE_KIND: kinds})
