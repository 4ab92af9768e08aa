"""The ``ensemble`` suggester: rules, model and similarity combined by a rule learnt from the study's human codings.

Each part is fitted as on its own (the model only when there are enough human codings; similarity
with the study's segments as its background, or, once the combiner is learnt, the segments it learns
from; reading wording alone without the embeddings extra)
and gives, for every (segment, code), a few numbers through its
public ``scores``: its score, whether it would suggest the code, and whether the code is its best
for the segment (the model also gives its probability for every code). With at least
``min_codings`` segments a person decided on (``decided_segments``) the combiner is a logistic
regression over those numbers, fitted on out-of-fold part scores (the model part cross-fitted
with document-grouped folds), and how many codes to suggest per segment is learnt from the human rate (``_decide``; a code no part
voted for also needs a combined probability of ``NO_VOTE_BAR``). The combiner is
kept only if, cross-validated on the same folds, it beats every part's own suggestions on held-out
documents; otherwise the best part is used alone (``combiner_ == "part"``). With fewer codings, a
fixed rule: a code is suggested when rules fire or it is the similarity's (else the model's)
suggestion. Under the fixed rule and a part alone, a suggestion's confidence and threshold are the
deciding part's own score and bar (so review's uncertainty order is the distance to a real boundary).
Evidence names the parts that voted, each with its own reason (keywords matched, z-score and closest
sentence, probability).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ... import schemas
from ...codebook import Codebook
from ...errors import InputError, OptionalDependencyError
from ._labels import decided_segments, label_matrix, labelled_segments, segment_codes
from .base import SCORES, Suggester, check_is_fitted, check_segments, get_suggester, require_codebook, suggesters

PART_NAMES = ("rules", "model", "similarity")
#: Per part: score, suggested (score >= threshold), best for the segment.
FEATURES_PER_PART = 3
#: The learnt combiner's least probability for a code that no part voted for (its learnt bar can be near 0).
NO_VOTE_BAR = 0.5
#: Characters of a part's reason kept in the ensemble's evidence (the review line stays readable).
REASON_CHARS = 80


@suggesters.register("thematic.ensemble.v1")
class EnsembleSuggester(Suggester):
    """Combine the other suggesters with a combiner learnt from human codings (a fixed rule when too few).

    ``encoder`` is passed to the parts that read meaning (similarity and the model's embedding view).

    Example:
        >>> s = EnsembleSuggester().fit(segments, codings, codebook)
        >>> s.combiner_            # "learnt" or "fixed"
        >>> s.suggest(new_segments)["evidence"]   # e.g. "rules 0.40 + model 0.71: p=0.66"
    """

    name = "thematic.ensemble.v1"
    needs_codings = True
    uses_background = True  # ``fit``'s segments are also its similarity part's background: pass all the study's
    runtime_params = frozenset({"model_dir", "cache_dir"})
    forkable = False
    reported_attributes = ("parts_used_", "combiner_", "n_training_segments_", "n_coded_segments_")

    def __init__(self, *, parts: tuple[str, ...] = PART_NAMES, min_codings: int = 60, folds: int = 3,
                 max_rate_ratio: float = 1.25, min_precision: float = 0.3, top_k: int = 3, random_state: int = 0,
                 encoder: str = "auto", model_dir: str | None = None, cache_dir: str | None = None) -> None:
        self.parts = parts
        self.min_codings = min_codings
        self.folds = folds
        self.max_rate_ratio = max_rate_ratio
        self.min_precision = min_precision
        self.top_k = top_k
        self.random_state = random_state
        self.encoder = encoder
        self.model_dir = model_dir
        self.cache_dir = cache_dir

    def _part(self, name: str) -> Suggester:
        s = get_suggester(name)
        runtime = {"model_dir": self.model_dir, "cache_dir": self.cache_dir, "random_state": self.random_state,
                   "encoder": self.encoder}
        return s.set_params(**{k: v for k, v in runtime.items() if k in s.get_params() and v is not None})

    def environment(self) -> dict[str, Any]:
        """The parts' environments (whether the embeddings extra is installed decides what they read)."""
        env: dict[str, Any] = {}
        for name in self.parts:
            if name in PART_NAMES:
                env.update(self._part(name).environment())
        return env

    # -- fit -------------------------------------------------------------------------------------
    def fit(self, segments: pd.DataFrame | None = None, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "EnsembleSuggester":
        """Fit the parts that can be fitted, then the combiner (learnt, or the fixed rule).

        ``segments``: the study's participant segments, all of them; the ones a person decided on (by ``codings``)
        are what the model and the combiner learn from. The similarity part's background is all of them under the
        fixed rule, and the segments learnt from once the combiner is learnt (so the scores it combines are on the
        scale it was fitted on: 0.03-0.07 better mean kappa on two of the three development sets)."""
        cb = require_codebook(codebook, "know which codes to combine")
        unknown = [p for p in self.parts if p not in PART_NAMES]
        if unknown:
            from ...errors import Errors

            raise InputError(Errors.E379.format(name=self.name, param="parts", value=unknown,
                                                allowed=f"a subset of {list(PART_NAMES)}"))
        self.codes_ = [c.id for c in cb.codable()]
        self.parts_: dict[str, Suggester] = {}
        self.skipped_parts_: dict[str, str] = {}
        ids, y, segs = self._human(segments, codings)
        self.n_training_segments_ = len(ids)
        self.n_coded_segments_ = len(decided_segments(segs, codings)) if segs is not None else 0
        learns = segs is not None and self.n_coded_segments_ >= self.min_codings and bool(y.sum() > 0)
        for name in self.parts:
            if name == "model":
                continue
            try:
                part = self._part(name)
                # a learnt combiner reads similarity normalised on the segments it learns from; the fixed rule
                # reads it as the similarity suggester does, against all the study's segments
                background = (segs if learns else segments) if getattr(part, "uses_background", False) else None
                self.parts_[name] = part.fit(background, None, cb)
            except (InputError, OptionalDependencyError) as exc:
                self.skipped_parts_[name] = str(exc)
        if "model" in self.parts and segs is not None:
            try:
                self.parts_["model"] = self._part("model").fit(segments, codings, cb)
            except (InputError, OptionalDependencyError) as exc:
                self.skipped_parts_["model"] = str(exc)
        self.parts_used_ = list(self.parts_)
        self.combiner_ = "fixed"
        self.weights_: np.ndarray | None = None
        self.decision_: Any = None
        self.chosen_part_: str | None = None
        self.held_out_f1_: dict[str, float] | None = None
        if learns:
            assert segs is not None
            self._fit_combiner(segs, segments, codings, cb, y)
        return self

    def _human(self, segments: pd.DataFrame | None,
               codings: pd.DataFrame | None) -> tuple[list[str], np.ndarray, pd.DataFrame | None]:
        """The segments to learn from (decided ones, and uncoded turns of coded documents as negatives),
        their 0/1 labels (segments x codes) and rows."""
        if segments is None or codings is None or codings.empty:
            return [], np.zeros((0, len(self.codes_))), None
        segs = check_segments(segments)
        ids = labelled_segments(segs, codings)
        y = label_matrix(ids, segment_codes(segs, codings), self.codes_)
        rows = segs.set_index(segs["segment_id"].astype(str)).loc[ids].reset_index(drop=True)
        return ids, y, rows

    def _fit_combiner(self, rows: pd.DataFrame, segments: pd.DataFrame, codings: pd.DataFrame, cb: Codebook,
                      y: np.ndarray) -> None:
        from ..folds import grouped_folds

        X = np.zeros((len(rows), len(self.codes_), FEATURES_PER_PART * len(PART_NAMES)))
        zero_shot = {k: v for k, v in self.parts_.items() if k != "model"}
        X += self._features(rows, zero_shot)
        group = rows["group"] if "group" in rows else rows["document_id"]
        split = grouped_folds(rows.assign(document_id=group.astype(str).to_numpy()), self.folds, seed=self.random_state)
        if "model" in self.parts_:
            for train, test in split.splits:
                keep = set(rows["segment_id"].astype(str).iloc[train])
                cods = codings[codings["segment_id"].astype(str).isin(keep)]
                tr = segments[segments["segment_id"].astype(str).isin(keep)]
                try:
                    part = self._part("model").set_params(model_dir=None).fit(tr, cods, cb)
                except InputError:
                    continue  # a fold too small to train: the model part counts as silent there
                X[test] += self._features(rows.iloc[test], {"model": part})
        if y.min() == y.max():
            return
        self.weights_, self.decision_ = self._learn(X, y)
        self.combiner_ = "learnt"
        self._choose(X, y, [test for _, test in split.splits if len(test) and len(test) < len(y)])

    def _learn(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, Any]:
        """The combiner's weights (intercept first) and its rate-learnt decision, fitted on ``X`` and ``y``."""
        from sklearn.linear_model import LogisticRegression

        from ._decide import RateDecision

        flat, target = X.reshape(-1, X.shape[2]), y.reshape(-1)
        if target.min() == target.max():
            return np.zeros(1 + X.shape[2]), None
        lr = LogisticRegression(C=1.0, max_iter=1000).fit(flat, target)
        weights = np.r_[lr.intercept_, lr.coef_[0]]
        decision = RateDecision(max_rate_ratio=self.max_rate_ratio, min_precision=self.min_precision)
        return weights, decision.fit(_probability(weights, X), y)

    def _choose(self, X: np.ndarray, y: np.ndarray, tests: list[np.ndarray]) -> None:
        """Keep the learnt combiner only if, on held-out documents, it beats every part's own suggestions.

        The combiner is cross-validated on the same document-grouped folds as the model part (it never
        scores a document it was fitted on); each part's own decision needs no fitting. Micro-F1 on
        those folds decides: on a study unlike the one the parts were fitted for (a new report), a
        combiner learnt from a few documents can do worse than its best part, which is then used alone.
        """
        pred = np.zeros(y.shape, dtype=bool)
        for test in tests:
            train = np.setdiff1d(np.arange(len(y)), test)
            weights, decision = self._learn(X[train], y[train])
            if decision is None:
                return
            p = _probability(weights, X[test])
            pred[test] = p >= _learnt_bars(decision, p, X[test])
        if not tests:
            return
        held = np.concatenate(tests)
        f1 = {"learnt combiner": _micro_f1(pred[held], y[held])}
        for name in self.parts_:
            k = FEATURES_PER_PART * PART_NAMES.index(name)
            f1[name] = _micro_f1(X[held, :, k + 1] > 0, y[held])
        self.held_out_f1_ = {k: round(v, 4) for k, v in f1.items()}
        best = max(f1, key=lambda k: (f1[k], k == "learnt combiner"))
        if best != "learnt combiner":
            self.combiner_, self.chosen_part_ = "part", best

    # -- scoring ---------------------------------------------------------------------------------
    def _features(self, segs: pd.DataFrame, parts: dict[str, Suggester]) -> np.ndarray:
        """Segments x codes x features from each part's public ``scores`` (zeros for parts not given)."""
        return self._read_parts(segs, parts)[0]

    def _read_parts(self, segs: pd.DataFrame, parts: dict[str, Suggester]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The features, each part's own threshold (segments x codes x parts; inf where it gave none) and
        its reason (same shape, objects; None where it gave none)."""
        shape = (len(segs), len(self.codes_), len(PART_NAMES))
        X = np.zeros((len(segs), len(self.codes_), FEATURES_PER_PART * len(PART_NAMES)))
        T, why = np.full(shape, np.inf), np.full(shape, None, dtype=object)
        row = {s: i for i, s in enumerate(segs["segment_id"].astype(str))}
        col = {c: j for j, c in enumerate(self.codes_)}
        for name, part in parts.items():
            n = PART_NAMES.index(name)
            k = FEATURES_PER_PART * n
            sc = part.scores(segs)
            if sc.empty:
                continue
            i = sc["segment_id"].astype(str).map(row).to_numpy()
            j = sc["code_id"].astype(str).map(col)
            ok = j.notna().to_numpy()
            i, j = i[ok].astype(int), j[ok].to_numpy().astype(int)
            score = sc["score"].astype(float).to_numpy()[ok]
            thr = sc["threshold"].astype(float).to_numpy()[ok]
            X[i, j, k] = score
            X[i, j, k + 1] = score >= thr
            best = sc[ok].assign(_i=i).groupby("_i")["score"].transform("max").to_numpy()
            X[i, j, k + 2] = score >= best
            T[i, j, n] = thr
            why[i, j, n] = sc["evidence"].astype(object).to_numpy()[ok]
        return X, T, why

    def _combine(self, X: np.ndarray) -> np.ndarray:
        return _probability(np.zeros(1 + X.shape[2]) if self.weights_ is None else self.weights_, X)

    def _fixed(self, X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The fixed rule: rules fire, or the similarity's (else the model's) suggestion.

        A voted code gets the score and threshold of the voting part furthest above its own bar (the
        suggestion stands while that part votes); any other code the best part score, never suggested.
        """
        voters = [PART_NAMES.index("rules"), PART_NAMES.index("similarity" if "similarity" in self.parts_ else "model")]
        scores = np.stack([X[:, :, FEATURES_PER_PART * n] for n in voters], axis=2)
        votes = np.stack([X[:, :, FEATURES_PER_PART * n + 1] > 0 for n in voters], axis=2)
        bars = T[:, :, voters]
        margin = np.where(votes, scores - np.where(np.isfinite(bars), bars, 0.0), -np.inf)
        pick = np.argmax(margin, axis=2)[:, :, None]
        voted = votes.any(axis=2)
        best = np.max(X[:, :, [FEATURES_PER_PART * n for n in range(len(PART_NAMES))]], axis=2)
        score = np.where(voted, np.take_along_axis(scores, pick, axis=2)[:, :, 0], best)
        thr = np.where(voted, np.take_along_axis(bars, pick, axis=2)[:, :, 0], np.inf)
        return np.clip(score, 0.0, 1.0), np.clip(thr, 0.0, None)

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """Every code voted for by a part or among the ``top_k`` combined scores, with the parts that voted."""
        check_is_fitted(self)
        segs = check_segments(segments)
        if segs.empty or not self.codes_:
            return schemas.empty_frame(SCORES)
        X, T, why = self._read_parts(segs, self.parts_)
        if self.combiner_ == "learnt":
            score = self._combine(X)
            thr = _learnt_bars(self.decision_, score, X)
        elif self.combiner_ == "part":
            n = PART_NAMES.index(self.chosen_part_)
            score, thr = X[:, :, FEATURES_PER_PART * n], T[:, :, n]
        else:
            score, thr = self._fixed(X, T)
        from ._decide import kept_scores

        df, keep_i, keep_j = kept_scores(segs["segment_id"].to_numpy(), self.codes_, score, thr, self.top_k)
        df["evidence"] = [self._evidence(X[i, j], score[i, j], why[i, j]) for i, j in zip(keep_i, keep_j)]
        return schemas.coerce_frame(df, SCORES)

    def _evidence(self, x: np.ndarray, p: float, why: np.ndarray) -> str:
        """The parts that voted, each with its score and own reason, then how they were combined."""
        shown = [self.chosen_part_] if self.combiner_ == "part" else PART_NAMES
        reasons = [f" ({_reason(n, w)})" if isinstance(w, str) and w else "" for n, w in zip(PART_NAMES, why)]
        voted = [f"{n} {x[FEATURES_PER_PART * k]:.2f}{reasons[k]}" for k, n in enumerate(PART_NAMES)
                 if n in self.parts_ and n in shown and x[FEATURES_PER_PART * k + 1] > 0]
        how = {"learnt": "learnt combiner", "part": f"{self.chosen_part_} alone (it beat the learnt combiner on "
               "held-out documents)"}.get(self.combiner_, "fixed rule")
        return f"{' + '.join(voted) if voted else 'no part voted'}: {how} {p:.2f}"

    def run_notes(self) -> list[str]:
        """The parts' notes (e.g. W525: similarity read wording alone), each once; W526 while the fixed rule is used."""
        from ...errors import Warnings

        notes = list(dict.fromkeys(n for part in getattr(self, "parts_", {}).values() for n in part.run_notes()))
        notes += [Warnings.W527.format(part=name, reason=why) for name, why in getattr(self, "skipped_parts_", {}).items()
                  if not why.startswith("[E376]")]  # the model waiting for codings is said by W526
        if getattr(self, "combiner_", None) == "fixed":
            used = list(self.parts_used_)
            parts = " and ".join([", ".join(used[:-1]), used[-1]] if len(used) > 2 else used) or "no part"
            model_min = get_suggester("model").get_params()["min_segments"]
            notes.append(Warnings.W526.format(parts=parts,
                                              n=getattr(self, "n_coded_segments_", 0), model_min=model_min,
                                              min_codings=self.min_codings))
        return notes

    def describe(self) -> dict[str, Any]:
        """Parts used or skipped (with why), the combiner and its weights."""
        check_is_fitted(self)
        names = [f"{n}.{f}" for n in PART_NAMES for f in ("score", "suggested", "best")]
        return {"parts": list(self.parts_used_), "skipped_parts": dict(self.skipped_parts_), "combiner": self.combiner_,
                "weights": dict(zip(["intercept", *names], self.weights_.tolist())) if self.weights_ is not None
                else None, "decision": self.decision_.to_data() if self.decision_ is not None else None,
                "chosen_part": self.chosen_part_, "held_out_f1": self.held_out_f1_}


def _micro_f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & y.astype(bool)).sum())
    total = float(pred.sum() + y.sum())
    return 2 * tp / total if total else 0.0


def _learnt_bars(decision: Any, p: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The learnt decision's bars, raised to ``NO_VOTE_BAR`` where no part voted for the code."""
    voted = np.any(X[:, :, 1::FEATURES_PER_PART] > 0, axis=2)
    bars = decision.thresholds(p)
    return np.where(voted, bars, np.maximum(bars, NO_VOTE_BAR))


def _reason(part: str, text: str) -> str:
    """A part's reason, short: similarity's z-score (or cosine) and closest sentence; others clipped."""
    import re

    text = " ".join(str(text).split())
    if part == "similarity":
        head = re.split(r" against | to the code's", text, maxsplit=1)[0]
        quote = re.search(r'closest sentence: "(.*)"', text)
        if head != text:
            return head + (f'; closest sentence: "{_clip(quote.group(1), REASON_CHARS)}"' if quote else "")
    return _clip(text, REASON_CHARS)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _probability(weights: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The combiner's probability for each (segment, code): a logistic function of the part features."""
    return 1.0 / (1.0 + np.exp(-np.clip(weights[0] + X @ weights[1:], -30, 30)))
