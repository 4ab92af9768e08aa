"""Conformance checks for suggesters (in the spirit of scikit-learn's ``check_estimator``).

Run ``check_suggester(MySuggester())`` in your plug-in's tests: it fits and uses the suggester on a
small fictional study (or on data you pass) and raises ``AssertionError`` naming the broken rule.

Example:
    >>> from thematic.testing import check_suggester
    >>> from thematic.coding.suggest import RulesSuggester
    >>> check_suggester(RulesSuggester())
    ['init_stores_params', 'not_fitted', ...]
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any, Callable

import pandas as pd
from sklearn.base import clone

from . import schemas
from .codebook import Codebook, loads_codebook
from .errors import NotFittedError

EXAMPLE_CODEBOOK = """\
name: conformance
version: 0.1.0
themes:
- id: barriers
  label: Barriers
  definition: Obstacles in the system.
- id: peers
  label: Peer support
  definition: What people who have been through it bring.
codes:
- id: vetting
  label: Security vetting
  parent: barriers
  definition: Waiting for or failing security clearance before working in a prison.
  keywords: [vetting, security clearance]
  patterns:
  - [{LEMMA: vet}]
  examples: ["My clearance took months to come through."]
- id: funding
  label: Funding
  parent: barriers
  definition: Too little money or short grants for projects.
  keywords: [funding, grant]
  examples: ["The grant ran out after a year."]
- id: been_there
  label: Been there
  parent: peers
  definition: The helper has lived through the same things and so understands.
  keywords: [been there, same boat]
  examples: ["He knows what it's like, he did the same sentence."]
"""

_TEMPLATES = {
    "vetting": ["The vetting took five months before I could go in.", "I got vetted twice for the same prison.",
                "Security clearance is the big wall for us.", "They vet you again at every jail."],
    "funding": ["The funding stopped after a year.", "We had no grant money left for the course.",
                "Funding is always short term here.", "The grant only paid for one worker."],
    "been_there": ["I have been there myself so I get it.", "We were in the same boat, him and me.",
                   "He has been there, done the sentence.", "Same boat as the lads I mentor."],
    None: ["We talked about the weather.", "The bus was late again.", "I like football on Saturdays.",
           "My sister moved house last week."],
}

CHECKS: list[str] = ["init_stores_params", "get_params_round_trip", "not_fitted", "fit_returns_self",
                     "suggest_frame", "provenance", "deterministic", "empty_input", "batch_independent"]


def example_data() -> tuple[pd.DataFrame, pd.DataFrame, Codebook]:
    """A small fictional study: segments, manual codings on them, and its codebook (3 codes)."""
    rows, codings = [], []
    n = 0
    for doc in range(3):
        for code, texts in _TEMPLATES.items():
            for text in texts:
                sid = f"doc{doc}:{n}"
                rows.append({"segment_id": sid, "document_id": f"doc{doc}", "index": n, "start": 0,
                             "end": len(text), "is_interviewer": False, "text": text})
                if code is not None:
                    codings.append({"coding_id": f"c{n}", "document_id": f"doc{doc}", "segment_id": sid,
                                    "start": 0, "end": len(text), "code_id": code, "coder": "AB", "status": "manual"})
                n += 1
    segs = schemas.coerce_frame(pd.DataFrame(rows), schemas.SEGMENTS)
    cods = schemas.coerce_frame(pd.DataFrame(codings), schemas.CODINGS)
    return segs, cods, loads_codebook(EXAMPLE_CODEBOOK, path="<conformance>")


def _fail(check: str, message: str) -> AssertionError:
    return AssertionError(f"check_suggester[{check}]: {message}")


def _init_stores_params(s: Any, data: tuple) -> None:
    sig = inspect.signature(type(s).__init__)
    params = [p for p in sig.parameters.values() if p.name != "self"]
    bad = [p.name for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    if bad:
        raise _fail("init_stores_params", f"__init__ parameters must be keyword-only: {bad}")
    fresh = type(s)()
    learned = [k for k in vars(fresh) if k.endswith("_") and not k.startswith("_")]
    if learned:
        raise _fail("init_stores_params", f"__init__ sets learned attributes {learned}; set them in fit")
    for p in params:
        if not hasattr(fresh, p.name):
            raise _fail("init_stores_params", f"__init__ does not store parameter '{p.name}' as an attribute")


def _get_params_round_trip(s: Any, data: tuple) -> None:
    params = s.get_params()
    again = type(s)(**params).get_params()
    if again != params:
        raise _fail("get_params_round_trip", f"{params} != {again}")
    json.dumps(s.fingerprint(), default=str)


def _not_fitted(s: Any, data: tuple) -> None:
    segs = data[0]
    for method in ("suggest", "scores"):
        try:
            getattr(clone(s), method)(segs)
        except NotFittedError:
            continue
        raise _fail("not_fitted", f"{method}() before fit() must raise thematic.errors.NotFittedError")


def _fit_returns_self(s: Any, data: tuple) -> None:
    est = clone(s)
    if est.fit(*data) is not est:
        raise _fail("fit_returns_self", "fit() must return self")


def _suggest_frame(s: Any, data: tuple) -> None:
    segs, _, cb = data
    out = clone(s).fit(*data).suggest(segs)
    missing = [c for c in schemas.SUGGESTIONS if c not in out.columns]
    if missing:
        raise _fail("suggest_frame", f"suggest() output lacks columns {missing}")
    if out.empty:
        raise _fail("suggest_frame", "suggest() proposed nothing on the example data")
    if not set(out["segment_id"]).issubset(set(segs["segment_id"])):
        raise _fail("suggest_frame", "suggest() returned unknown segment ids")
    if not set(out["code_id"]).issubset({c.id for c in cb.codable()}):
        raise _fail("suggest_frame", "suggest() returned codes that are not in the codebook")
    if out.duplicated(["segment_id", "code_id"]).any():
        raise _fail("suggest_frame", "suggest() returned a (segment, code) twice")
    conf = out["confidence"].astype(float)
    if conf.isna().any() or (conf < 0).any() or (conf > 1).any():
        raise _fail("suggest_frame", "confidence must be a number between 0 and 1")
    spans = segs.set_index("segment_id")[["start", "end"]]
    joined = out.merge(spans.add_suffix("_seg"), left_on="segment_id", right_index=True, how="left")
    if not ((joined["start"] >= joined["start_seg"]) & (joined["end"] <= joined["end_seg"])).all():
        raise _fail("suggest_frame", "a suggestion's span lies outside its segment")


def _provenance(s: Any, data: tuple) -> None:
    from .coding.suggest import suggesters

    if not re.fullmatch(r"[A-Za-z_][\w]*(\.[\w]+)*\.v\d+", s.name or ""):
        raise _fail("provenance", f"name '{s.name}' must be versioned, like 'thematic.rules.v1'")
    if s.name not in suggesters or suggesters.get(s.name) is not type(s):
        raise _fail("provenance", f"'{s.name}' is not registered in thematic.suggesters for {type(s).__name__}")
    fp = s.fingerprint()
    if fp.get("name") != s.name or not isinstance(fp.get("params"), dict):
        raise _fail("provenance", "fingerprint() must give the name and the parameters")


def _deterministic(s: Any, data: tuple) -> None:
    segs = data[0]
    a = clone(s).fit(*data).suggest(segs)
    b = clone(s).fit(*data).suggest(segs)
    if not a.equals(b):
        raise _fail("deterministic", "two fits with the same parameters and data suggested different codes")


def _empty_input(s: Any, data: tuple) -> None:
    out = clone(s).fit(*data).suggest(data[0].iloc[0:0])
    if not out.empty or [c for c in schemas.SUGGESTIONS if c not in out.columns]:
        raise _fail("empty_input", "suggest() on no segments must return an empty frame with the columns")


def _batch_independent(s: Any, data: tuple) -> None:
    segs = data[0]
    est = clone(s).fit(*data)
    whole = est.suggest(segs)
    half = segs.iloc[::-1].iloc[: len(segs) // 2]
    part = est.suggest(half)
    key = ["segment_id", "code_id", "confidence"]
    expect = whole[whole["segment_id"].isin(set(half["segment_id"]))][key].sort_values(key).reset_index(drop=True)
    got = part[key].sort_values(key).reset_index(drop=True)
    if not expect.equals(got):
        raise _fail("batch_independent", "a segment's suggestions depend on the other segments in the call")


_FUNCS: dict[str, Callable[[Any, tuple], None]] = {
    "init_stores_params": _init_stores_params, "get_params_round_trip": _get_params_round_trip,
    "not_fitted": _not_fitted, "fit_returns_self": _fit_returns_self, "suggest_frame": _suggest_frame,
    "provenance": _provenance, "deterministic": _deterministic, "empty_input": _empty_input,
    "batch_independent": _batch_independent,
}


def check_suggester(suggester: Any, *, data: tuple[pd.DataFrame, pd.DataFrame, Codebook] | None = None) -> list[str]:
    """Run every conformance check on ``suggester``; returns the names of the checks passed.

    Args:
        suggester: an unfitted suggester instance (its parameters are kept; it is cloned per check).
        data: (segments, codings, codebook) to use instead of ``example_data()``.

    Raises:
        AssertionError: naming the first check that failed and why.
    """
    data = data or example_data()
    for name in CHECKS:
        _FUNCS[name](suggester, data)
    return list(CHECKS)
