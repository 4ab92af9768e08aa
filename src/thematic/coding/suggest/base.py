"""The suggester contract (scikit-learn's estimator contract) and the suggester registry.

A suggester proposes codes for segments. Like a scikit-learn estimator it has a keyword-only
``__init__`` that only stores its parameters, ``fit(segments, codings, codebook) -> self`` that
puts everything it learns in attributes ending in ``_``, and ``get_params()`` that, with its
versioned ``name``, is enough to reproduce it. ``suggest(segments)`` returns one row per proposed
coding (``schemas.SUGGESTIONS`` plus the ``threshold`` that let it through).

Suggesters are registered in the ``thematic.suggesters`` catalogue under versioned names
(``"thematic.rules.v1"``); plug-ins can add their own through the ``thematic_suggesters`` entry
point group.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar, Iterable

import catalogue
import pandas as pd

from ... import schemas
from ...codebook import Codebook
from ...errors import Errors, InputError, NotFittedError

#: The registry of suggester classes, keyed by versioned name ("thematic.rules.v1").
suggesters = catalogue.create("thematic", "suggesters", entry_points=True)

#: Columns of ``Suggester.scores``: every candidate (segment, code) with its raw score.
SCORES: schemas.Schema = {"segment_id": "string", "code_id": "string", "score": "Float64", "threshold": "Float64",
                          "evidence": "string"}

#: ``suggest`` output: ``schemas.SUGGESTIONS`` plus the cut-off that applied to each row.
SUGGESTION_COLUMNS: schemas.Schema = {**schemas.SUGGESTIONS, "threshold": "Float64"}


class Suggester:
    """Base class of every suggester: fit on a codebook (and codings), then suggest codes.

    Subclasses set ``name`` (versioned, e.g. ``"thematic.rules.v1"``), implement ``fit`` and
    ``scores``; ``suggest`` keeps the scores at or above their threshold. ``get_params`` and
    ``set_params`` follow scikit-learn (so ``sklearn.base.clone`` works) without importing it,
    which keeps `thematic code` fast when there is nothing to do.
    """

    name: ClassVar[str] = "thematic.base.v0"
    #: True when ``fit`` learns from human codings (not only from the codebook).
    needs_codings: ClassVar[bool] = False
    #: True when a zero-shot ``fit`` uses the study's segments (never codings), e.g. as a background.
    uses_background: ClassVar[bool] = False
    #: Parameters that do not change what is suggested (left out of run fingerprints).
    runtime_params: ClassVar[frozenset[str]] = frozenset()
    #: True when ``fit`` and ``suggest`` can run in a forked process (`thematic code` runs large jobs
    #: in one, beside the parent writing to the store); False for anything holding threads or devices.
    forkable: ClassVar[bool] = False
    #: Modules whose import is most of this suggester's start-up (it is warm once they are imported).
    warm_modules: ClassVar[tuple[str, ...]] = ()
    #: Modules a dependency imports when installed but this suggester never uses: a runner process
    #: hides them while it warms up (thinc, under spaCy, imports PyTorch whenever it can).
    unused_modules: ClassVar[tuple[str, ...]] = ()
    #: Learned attributes a coding run records (provenance and report), e.g. the model's training hash.
    reported_attributes: ClassVar[tuple[str, ...]] = ()
    #: Fitted attributes copied (without the trailing ``_``) into every stored suggestion's provenance.
    provenance_attributes: ClassVar[tuple[str, ...]] = ()
    #: Segments per ``suggest`` call in a run, None for the run's default (a slow suggester takes fewer,
    #: so the progress bar moves smoothly).
    chunk_size: int | None = None
    #: False for a suggester that paces its own work (the llm's requests): a run never splits it over processes.
    parallel_chunks: ClassVar[bool] = True

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values()
                      if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters and their values (scikit-learn's contract)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> "Suggester":
        """Set constructor parameters; returns ``self``."""
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"Invalid parameter {key!r} for {type(self).__name__}; valid: {sorted(valid)}.")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = {k: v for k, v in self.get_params().items() if defaults.get(k, inspect.Parameter.empty) != v}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    @property
    def version(self) -> str:
        """The version part of the registered name (``"v1"``)."""
        return self.name.rsplit(".", 1)[-1]

    def fit(self, segments: pd.DataFrame, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "Suggester":
        """Learn what is needed to suggest codes; returns ``self``."""
        raise NotImplementedError

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """Every candidate (segment, code) with its score, threshold and evidence (see ``SCORES``)."""
        raise NotImplementedError

    def suggest(self, segments: pd.DataFrame) -> pd.DataFrame:
        """Proposed codings, one row per (segment, code), best first within each segment.

        Returns ``schemas.SUGGESTIONS`` columns plus ``threshold``; ``confidence`` is the score.
        """
        check_is_fitted(self)
        segs = check_segments(segments)
        scored = self.scores(segs)
        kept = scored[scored["score"] >= scored["threshold"]]
        return suggestions_frame(segs, kept)

    def warm_up(self) -> None:
        """Import what ``fit`` and ``suggest`` need (a runner process does this before its work arrives)."""

    def is_warm(self) -> bool:
        """True when the modules of ``warm_modules`` are imported in this process."""
        import sys

        return all(m in sys.modules for m in self.warm_modules)

    def run_notes(self) -> list[str]:
        """Coded notes for the run report after ``suggest`` (e.g. suggestions dropped); none by default."""
        return []

    def learned_provenance(self) -> dict[str, Any]:
        """The fitted values of ``reported_attributes`` (those set, and not None)."""
        return {k: getattr(self, k) for k in self.reported_attributes if getattr(self, k, None) is not None}

    def environment(self) -> dict[str, Any]:
        """What decides the suggestions besides the parameters (e.g. whether an optional extra is installed)."""
        return {}

    def fingerprint(self) -> dict[str, Any]:
        """Name and the parameters that decide what is suggested (runtime-only ones left out), and the environment.

        A run is redone when this changes: installing the embeddings extra changes what similarity
        and the model read, so it must not leave their earlier suggestions or saved models "up to date".
        """
        params = {k: v for k, v in self.get_params().items() if k not in self.runtime_params}
        env = self.environment()
        return {"name": self.name, "params": params, **({"environment": env} if env else {})}

    def __sklearn_is_fitted__(self) -> bool:
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))


def check_is_fitted(suggester: Suggester) -> None:
    """Raise ``NotFittedError`` (E370) if ``fit`` has not been called."""
    if not suggester.__sklearn_is_fitted__():
        raise NotFittedError(Errors.E370.format(name=type(suggester).__name__))


def require_codebook(codebook: Codebook | None, task: str) -> Codebook:
    """The codebook, or an InputError (E378) saying the suggester needs one."""
    if codebook is None:
        raise InputError(Errors.E378.format(task=task))
    return codebook


def check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """The segments with the columns suggesters need (segment_id, document_id, start, end, text)."""
    schemas.validate_frame(segments, schemas.SEGMENTS, name="segments",
                           required=("segment_id", "document_id", "start", "end", "text"))
    out = segments.reset_index(drop=True)
    if out["text"].isna().any():
        out = out.assign(text=out["text"].fillna(""))
    return out


def scores_frame(rows: Iterable[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    """A ``SCORES`` frame from (segment_id, code_id, score, threshold, evidence) tuples."""
    df = pd.DataFrame(list(rows), columns=list(SCORES))
    return schemas.coerce_frame(df, SCORES)


def suggestions_frame(segments: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """Join kept scores to their segments' spans, ordered by segment then confidence (best first)."""
    if kept.empty:
        return schemas.empty_frame(SUGGESTION_COLUMNS)
    spans = segments[["segment_id", "document_id", "start", "end"]].assign(_order=range(len(segments)))
    df = kept.merge(spans, on="segment_id", how="inner").rename(columns={"score": "confidence"})
    df = df.sort_values(["_order", "confidence", "code_id"], ascending=[True, False, True], kind="mergesort")
    return schemas.coerce_frame(df.drop(columns="_order"), SUGGESTION_COLUMNS)[list(SUGGESTION_COLUMNS)].reset_index(
        drop=True)


SHORT_NAMES = {"rules": "thematic.rules.v1", "model": "thematic.model.v1", "similarity": "thematic.similarity.v1",
               "ensemble": "thematic.ensemble.v1",
               "llm": "thematic.llm.v1"}


def suggester_names() -> list[str]:
    """Every registered versioned name (built-ins first registered when thematic.coding.suggest loads)."""
    return sorted(suggesters.get_all())


def split_names(value: str | Iterable[str] | None) -> list[str] | None:
    """Suggester names as given: a string is comma-separated ("rules, model"), never read letter by letter.

    None (or nothing named) stays None, so callers keep their default suggesters.
    """
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [str(n).strip() for n in items if str(n).strip()]
    return names or None


def resolve_name(name: str) -> str:
    """A versioned registry name for ``name`` ("rules" -> "thematic.rules.v1")."""
    full = SHORT_NAMES.get(name, name)
    if full not in suggesters:
        known = ", ".join([*SHORT_NAMES, *suggester_names()])
        raise InputError(Errors.E371.format(name=name, known=known))
    return full


def get_suggester(name: str, **params: Any) -> Suggester:
    """A new, unfitted suggester by short ("rules") or versioned ("thematic.rules.v1") name."""
    cls = suggesters.get(resolve_name(name))
    return cls(**params)  # type: ignore[no-any-return]
