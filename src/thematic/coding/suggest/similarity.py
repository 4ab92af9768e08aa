"""The ``similarity`` suggester: segment embeddings against each code's reference, normalised per code.

Each code's reference is a set of prototypes: its label with its definition, each of its inclusion
criteria (``use_include``) and each of its examples (``use_examples``). A text's raw score for a
code is the mean cosine to the code's prototypes (``aggregate="mean"``; ``"max"`` takes the closest).

A segment is read two ways (``pooling="sentences"``, the default): as a whole (the mean of its
sentences' vectors) and sentence by sentence, so one sentence on a theme inside a long turn about
other things still counts. Only sentences are encoded (each sentence once, whatever segment it is
in). ``pooling="chunks"`` embeds pieces of ``chunk_words`` words and keeps the best piece.

Raw cosines are not comparable across codes: a long or generic label is close to everything and
would be suggested everywhere. So with ``normalise="z"`` (the default) each code's raw scores are
turned into z-scores against a background: the segments given to ``fit`` (the study's own
segments; at most ``background_size`` of them, evenly spaced), or, when ``fit`` gets none, the
codebook's own prototype texts. With sentence pooling a segment's score is the mean of its whole
z-score and its best sentence's z-score (sentences have their own background). A second view reads
the wording (``wording``, the weight of ``_wording.WordingView``: character n-gram TF-IDF against
the code's text, z-normalised on the same background): the ranking score is
``(meaning + wording * wording_z) / sqrt(1 + wording**2)``; ``wording=0`` reads meaning alone. Codes are ranked by
that score; a code is suggested when it is at least ``min_z`` (1.5: clearly closer than the
study's typical segment) and among the segment's ``max_codes`` (2) best. The confidence is
``1 / (1 + exp(-z))``; the evidence quotes the closest sentence. ``normalise="none"`` keeps the
raw cosine with the ``min_similarity`` cut-off (0.25).

Meaning needs the optional ``embeddings`` extra (``pip install "thematic[embeddings]"``). Without it
the wording view is read alone and ``run_notes`` says so (W525); ``meaning=True`` makes the extra
required (``OptionalDependencyError``, E372), ``meaning=False`` reads wording alone anyway. Nothing
is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ... import schemas
from ...codebook import Codebook
from ...errors import Errors, InputError, Warnings
from ._embed import DEFAULT_MODEL, EmbeddingCache, embeddings_available, encoder_environment, load_encoder, resolve_model
from ._wording import WordingView
from .base import SCORES, Suggester, check_is_fitted, check_segments, require_codebook, suggesters

_NORMALISE = ("z", "none")
_POOLING = ("sentences", "chunks")


def chunk_text(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` words (at least one piece)."""
    words = text.split()
    if len(words) <= size:
        return [text]
    return [" ".join(words[i:i + size]) for i in range(0, len(words), size)]


def sentence_pieces(texts: Sequence[str], max_words: int) -> tuple[list[str], np.ndarray]:
    """Every text's sentences (long ones cut at ``max_words`` words) and the index of the text each came from.

    Each text gives at least one piece (the text itself when it has no sentence), in order.
    """
    from ...ingest.segment import sentence_spans

    joined = "\n\n".join(texts)
    spans, pos = [], 0
    for text in texts:
        spans.append((pos, pos + len(text)))
        pos += len(text) + 2
    pieces: list[str] = []
    owner: list[int] = []
    for i, (text, sents) in enumerate(zip(texts, sentence_spans(joined, spans) if texts else [])):
        found = [piece for a, b in sents for piece in chunk_text(joined[a:b], max_words)] or [text]
        pieces.extend(found)
        owner.extend([i] * len(found))
    return pieces, np.asarray(owner, dtype=np.int64)


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


def _spread(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return raw.mean(axis=0).astype(np.float64), np.maximum(raw.std(axis=0), 1e-3).astype(np.float64)


@dataclass(frozen=True)
class _Read:
    """One batch of segments as the suggester sees them: raw scores per code, and the best piece's."""

    whole: np.ndarray  # segments x codes: the whole segment's raw score
    piece: np.ndarray  # pieces x codes: each piece's raw score
    owner: np.ndarray  # the segment of each piece
    pieces: list[str]
    wording: np.ndarray | None = None  # segments x codes: the wording view's z-score (None when not used)


@suggesters.register("thematic.similarity.v1")
class SimilaritySuggester(Suggester):
    """Suggest codes whose definition, criteria or examples are unusually close in meaning to a segment (zero-shot).

    Meaning is read by ``encoder``: "auto" (all-mpnet-base-v2 when the embeddings-large extra is
    installed, else all-MiniLM-L6-v2), "minilm", "mpnet" or a sentence-transformers folder.

    Example:
        >>> s = SimilaritySuggester().fit(study_segments, None, codebook)
        >>> s.suggest(segments)
    """

    name = "thematic.similarity.v1"
    runtime_params = frozenset({"cache_dir", "batch_size"})
    reported_attributes = ("views_", "encoder_")
    #: ``fit`` uses the segments it is given (no codings) as the background of the z-scores.
    uses_background = True

    def __init__(self, *, encoder: str = DEFAULT_MODEL, normalise: str = "z", min_z: float = 1.5,
                 min_similarity: float = 0.25, max_codes: int = 2, aggregate: str = "mean",
                 pooling: str = "sentences", use_examples: bool = True, use_include: bool = True,
                 chunk_words: int = 120, top_k: int = 3, background_size: int = 2000, wording: float = 0.5,
                 meaning: bool | None = None, cache_dir: str | None = None, batch_size: int = 32) -> None:
        self.encoder = encoder
        self.normalise = normalise
        self.min_z = min_z
        self.min_similarity = min_similarity
        self.max_codes = max_codes
        self.aggregate = aggregate
        self.pooling = pooling
        self.use_examples = use_examples
        self.use_include = use_include
        self.chunk_words = chunk_words
        self.top_k = top_k
        self.background_size = background_size
        self.wording = wording
        self.meaning = meaning
        self.cache_dir = cache_dir
        self.batch_size = batch_size

    def _cache(self) -> EmbeddingCache:
        folder = Path(self.cache_dir) if self.cache_dir else None
        cache = getattr(self, "_embedding_cache", None)
        model = getattr(self, "encoder_", None) or resolve_model(self.encoder)
        if cache is None or cache.folder != folder or cache.model != model:
            cache = self._embedding_cache = EmbeddingCache(folder, model)
        return cache

    def _check_params(self) -> None:
        for param, value, allowed in (("aggregate", self.aggregate, ("mean", "max")),
                                      ("normalise", self.normalise, _NORMALISE),
                                      ("pooling", self.pooling, _POOLING)):
            if value not in allowed:
                raise InputError(Errors.E379.format(name=self.name, param=param, value=value,
                                                    allowed=" or ".join(allowed)))

    def _reads_meaning(self) -> bool:
        """True when sentence embeddings are read: with ``meaning=True``, or by default when the extra is installed.

        Without the extra (and ``meaning`` left at None) the wording view alone is read; where that
        view is off (``wording=0`` or ``normalise="none"``), the extra is needed (E372).
        """
        wording_on = self.normalise == "z" and self.wording > 0
        if self.meaning is False and not wording_on:
            raise InputError(Errors.E379.format(name=self.name, param="meaning", value=False,
                                                allowed="meaning=True or None unless wording > 0 with normalise='z'"))
        if self.meaning is False or (self.meaning is None and wording_on and not embeddings_available()):
            return False
        load_encoder(self.encoder_)  # fails early, with the install hint, if the extra is missing
        return True

    def fit(self, segments: pd.DataFrame | None = None, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "SimilaritySuggester":
        """Embed every code's prototypes; with ``normalise="z"``, learn each code's background mean and spread.

        ``segments`` (optional, codings are never read) are the background: pass the study's segments.
        """
        cb = require_codebook(codebook, "read code definitions from")
        self._check_params()
        self.encoder_: str | None = resolve_model(self.encoder)
        self.meaning_ = self._reads_meaning()
        if not self.meaning_:
            self.encoder_ = None
        texts, owners, codes = code_prototypes(cb, use_examples=self.use_examples, use_include=self.use_include)
        self.prototypes_ = (self._cache().encode(texts, batch_size=self.batch_size) if self.meaning_
                            else np.zeros((len(texts), 0), dtype=np.float32))
        self.prototype_code_ = np.asarray(owners, dtype=np.int64)
        self.codes_ = codes
        self.codebook_version_ = cb.version
        self.wording_view_: WordingView | None = None
        zeros, ones = np.zeros(len(codes), dtype=np.float64), np.ones(len(codes), dtype=np.float64)
        self.center_, self.scale_, self.piece_center_, self.piece_scale_ = zeros, ones, zeros.copy(), ones.copy()
        self.background_ = "none"
        if self.normalise == "z":
            seg_texts = [] if segments is None or len(segments) == 0 else segments["text"].astype(str).tolist()
            sample = background_sample(seg_texts, self.background_size)
            if len(sample) < 2:
                self._codebook_background()
            elif self.meaning_:
                read = self._read(sample)
                self.center_, self.scale_ = _spread(read.whole)
                self.piece_center_, self.piece_scale_ = _spread(read.piece)
            if len(sample) >= 2:
                self.background_ = f"{len(sample)} segments"
            if self.wording > 0:
                self.wording_view_ = WordingView().fit(texts, owners, len(codes), sample if len(sample) >= 2 else [])
        self.views_ = [*(["meaning"] if self.meaning_ else []), *(["wording"] if self.wording_view_ else [])]
        return self

    def environment(self) -> dict[str, Any]:
        """Whether the embeddings extra is installed, where that decides if meaning is read, and which encoder reads it."""
        return encoder_environment(self.meaning, self.encoder)

    def run_notes(self) -> list[str]:
        """W525 when only the wording was read because the embeddings extra is not installed."""
        return [Warnings.W525] if self.meaning is None and not getattr(self, "meaning_", True) else []

    def _codebook_background(self) -> None:
        """Each code's mean and spread over the *other* codes' prototypes (no segments to compare with)."""
        self.background_ = "the other codes' definitions and examples"
        if not self.meaning_:
            return
        raw = self._by_code(self.prototypes_)
        for j in range(len(self.codes_)):
            others = raw[self.prototype_code_ != j, j]
            if len(others) >= 2:
                self.center_[j] = self.piece_center_[j] = float(others.mean())
                self.scale_[j] = self.piece_scale_[j] = max(float(others.std()), 1e-3)

    def _by_code(self, vecs: np.ndarray) -> np.ndarray:
        """Raw score of each embedded text for each code: mean (or best) cosine to the code's prototypes."""
        sim = vecs @ self.prototypes_.T
        by_code = np.full((len(vecs), len(self.codes_)), -1.0, dtype=np.float32)
        for j in range(len(self.codes_)):
            cols = np.flatnonzero(self.prototype_code_ == j)
            by_code[:, j] = sim[:, cols].mean(axis=1) if self.aggregate == "mean" else sim[:, cols].max(axis=1)
        return by_code

    def _read(self, texts: list[str]) -> _Read:
        view = getattr(self, "wording_view_", None)
        words = view.raw(texts) if view is not None else None
        wording = view.standardise(words) if view is not None else None
        if not self.meaning_:  # the wording view's raw cosines stand in for meaning's
            raw = words if words is not None else np.zeros((len(texts), len(self.codes_)))
            return _Read(raw, raw, np.arange(len(texts), dtype=np.int64), list(texts), wording)
        if self.pooling == "sentences":
            pieces, owner = sentence_pieces(texts, self.chunk_words)
        else:
            pairs = [(piece, i) for i, text in enumerate(texts) for piece in chunk_text(text, self.chunk_words)]
            pieces, owner = [p for p, _ in pairs], np.asarray([i for _, i in pairs], dtype=np.int64)
        if not pieces:
            empty = np.zeros((0, len(self.codes_)), dtype=np.float32)
            return _Read(empty, empty, owner, pieces, wording)
        vecs = self._cache().encode(pieces, batch_size=self.batch_size)
        piece = self._by_code(vecs)
        if self.pooling == "sentences":
            mean = np.zeros((len(texts), vecs.shape[1]), dtype=np.float64)
            np.add.at(mean, owner, vecs)
            mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-9)
            whole = self._by_code(mean.astype(np.float32))
        else:
            whole = np.maximum.reduceat(piece, np.r_[0, np.flatnonzero(np.diff(owner)) + 1], axis=0)
        return _Read(whole, piece, owner, pieces, wording)

    def _combine(self, read: _Read, normalise: bool) -> tuple[np.ndarray, np.ndarray]:
        """The ranking score (segments x codes) and, per cell, the index of the piece that counted most."""
        if not self.meaning_:
            score = read.wording if normalise and read.wording is not None else read.whole.astype(np.float64)
            return score, np.zeros(read.whole.shape, dtype=np.int64)
        if not len(read.piece):
            return read.whole.astype(np.float64), np.zeros(read.whole.shape, dtype=np.int64)
        whole = (read.whole - self.center_) / self.scale_ if normalise else read.whole.astype(np.float64)
        piece = (read.piece - self.piece_center_) / self.piece_scale_ if normalise else read.piece.astype(np.float64)
        starts = np.r_[0, np.flatnonzero(np.diff(read.owner)) + 1]
        best = np.maximum.reduceat(piece, starts, axis=0)
        rows = np.broadcast_to(np.arange(len(piece))[:, None], piece.shape)
        at = np.minimum.reduceat(np.where(piece >= best[read.owner], rows, len(piece)), starts, axis=0)
        meaning = whole if self.pooling == "chunks" else (whole + best) / 2.0
        if normalise and read.wording is not None:
            return (meaning + self.wording * read.wording) / np.sqrt(1.0 + self.wording ** 2), at
        return meaning, at

    def similarity(self, segments: pd.DataFrame) -> np.ndarray:
        """Raw similarity, segments x ``codes_``: cosine to the code's prototypes (whole and best sentence averaged;
        the wording view's cosine when meaning is not read)."""
        check_is_fitted(self)
        segs = check_segments(segments)
        return self._combine(self._read(segs["text"].astype(str).tolist()), normalise=False)[0]

    def normalised(self, segments: pd.DataFrame) -> np.ndarray:
        """The ranking score, segments x ``codes_``: z-scores against the background, meaning and wording combined
        (raw cosine with ``"none"``)."""
        check_is_fitted(self)
        segs = check_segments(segments)
        return self._combine(self._read(segs["text"].astype(str).tolist()), normalise=self.normalise == "z")[0]

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """For each segment its ``max(top_k, max_codes)`` best codes; beyond ``max_codes`` never suggested."""
        check_is_fitted(self)
        segs = check_segments(segments)
        if segs.empty:
            return schemas.empty_frame(SCORES)
        read = self._read(segs["text"].astype(str).tolist())
        norm, at = self._combine(read, normalise=self.normalise == "z")
        raw = self._combine(read, normalise=False)[0] if self.normalise == "z" else norm
        rank = np.argsort(np.argsort(-norm, axis=1, kind="stable"), axis=1, kind="stable")
        keep_i, keep_j = np.nonzero(rank < max(self.top_k, self.max_codes))
        beyond = rank[keep_i, keep_j] >= self.max_codes
        value = norm[keep_i, keep_j].astype(float)
        words = read.wording if read.wording is not None and self.normalise == "z" else None
        quote = self.pooling == "sentences" and self.meaning_
        evidence = [self._evidence(v, float(raw[i, j]), read.pieces[at[i, j]] if quote else "",
                                   None if words is None else float(words[i, j]))
                    for v, i, j in zip(value, keep_i, keep_j)]
        if self.normalise == "z":
            score, cut = 1.0 / (1.0 + np.exp(-value)), 1.0 / (1.0 + np.exp(-self.min_z))
        else:
            score, cut = value, self.min_similarity
        df = pd.DataFrame({
            "segment_id": segs["segment_id"].to_numpy()[keep_i],
            "code_id": np.asarray(self.codes_, dtype=object)[keep_j],
            "score": np.round(score, 4),
            "threshold": np.where(beyond, np.inf, cut),
            "evidence": evidence,
        })
        return schemas.coerce_frame(df, SCORES)

    def _evidence(self, value: float, cosine: float, sentence: str, wording: float | None = None) -> str:
        if not self.meaning_:
            return (f"wording z {value:.1f} against {self.background_} (cosine {cosine:.2f} of the word pieces it "
                    f"shares with the code's definition, criteria and examples; meaning not read)")
        how = "mean" if self.aggregate == "mean" else "best"
        closest = f'; closest sentence: "{_clip(sentence)}"' if sentence else ""
        if self.normalise == "z":
            words = f"; wording z {wording:.1f}" if wording is not None else ""
            return (f"z {value:.1f} against {self.background_} ({how} cosine {cosine:.2f} to the code's definition, "
                    f"criteria and examples{words}{closest})")
        return f"{how} cosine {cosine:.2f} to the code's definition, examples and criteria{closest}"


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"
