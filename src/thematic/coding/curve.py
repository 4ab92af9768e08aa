"""A learning curve: how good the trained suggesters are after N human-coded segments.

With document-grouped folds, each fold's training documents are the pool a researcher would code.
Two orders of coding are simulated: **random** (a seeded shuffle) and **uncertainty-first** (the
first ``sizes[0]`` at random, then, at each step, the pool segments where the model trained so far
is least sure: the smallest distance between a code's score and its threshold). After each size N
the suggester is trained on the first N segments of the order and scored on the held-out fold;
micro-F1 and mean per-code kappa come from every fold's predictions together. It tells a researcher
how much to code before suggestions pay, and whether reviewing uncertain segments first saves work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import InputError
from . import metrics
from .folds import grouped_folds

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_SIZES = (25, 50, 100, 200)
ORDERS = ("random", "uncertainty")


def _uncertainty(model: Any, segs: pd.DataFrame) -> np.ndarray:
    """Per segment, the smallest |score - threshold| over its ranked codes (small = unsure)."""
    scored = model.scores(segs)
    margin = (scored["score"].astype(float) - scored["threshold"].astype(float).clip(upper=1.0)).abs()
    best = margin.groupby(scored["segment_id"].astype(str)).min()
    return segs["segment_id"].astype(str).map(best).fillna(1.0).to_numpy()


def _order(name: str, pool: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook, steps: list[int],
           make: Any, rng: np.random.Generator, fit: Any) -> list[int]:
    """Positions in ``pool`` in the order a coder would code them."""
    order = list(rng.permutation(len(pool)))
    if name == "random":
        return order
    chosen, rest = order[:steps[0]], order[steps[0]:]
    for nxt in steps[1:]:
        if not rest:
            break
        model = fit(make(), pool.iloc[chosen], labels, cb)
        if model is None:
            take = rest[: nxt - len(chosen)]
        else:
            u = _uncertainty(model, pool.iloc[rest])
            take = [rest[i] for i in np.argsort(u, kind="stable")[: nxt - len(chosen)]]
        chosen += take
        rest = [i for i in rest if i not in set(take)]
    return chosen + rest


def _fit(model: Any, train: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook) -> Any:
    from .evaluate import _as_codings

    tr = train.assign(group=train["document_id"].to_numpy(), document_id="__units__")
    try:
        return model.fit(tr, _as_codings(tr, labels), cb)
    except InputError:
        return None


def learning_curve(units: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook, *, suggester: str = "model",
                   sizes: Sequence[int] = DEFAULT_SIZES, cv: int = 3, seed: int = 0,
                   options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Micro-F1 and mean kappa after N coded segments, random vs uncertainty-first (see the module doc)."""
    from .suggest import get_suggester

    def make() -> Any:
        s = get_suggester(suggester)
        return s.set_params(**{k: v for k, v in (options or {}).items() if k in s.get_params()})

    folds = grouped_folds(units, cv, seed=seed)
    largest = max(len(tr) for tr, _ in folds.splits)
    steps = sorted({n for n in sizes if n < largest} | {largest})
    ids = units["segment_id"].astype(str).tolist()
    codes = [c.id for c in cb.codable()]
    predicted = {(o, n): {} for o in ORDERS for n in steps}
    trained = {(o, n): 0 for o in ORDERS for n in steps}
    for f, (train, test) in enumerate(folds.splits):
        pool, held = units.iloc[train], units.iloc[test]
        for o in ORDERS:
            order = _order(o, pool, labels, cb, steps, make, np.random.default_rng(seed + f), _fit)
            for n in steps:
                model = _fit(make(), pool.iloc[order[:n]], labels, cb)
                if model is None:
                    continue
                trained[(o, n)] += 1
                sug = model.suggest(held)
                for sid, code in zip(sug["segment_id"].astype(str), sug["code_id"].astype(str)):
                    predicted[(o, n)].setdefault(sid, set()).add(code)
    points = []
    for o in ORDERS:
        for n in steps:
            s = metrics.summary(ids, labels, predicted[(o, n)], {}, codes)
            points.append({"order": o, "n_coded": n, "micro_f1": s["micro"]["f1"], "kappa_mean": s["kappa_mean"],
                           "suggestions_per_unit": s["n_suggested"] / max(1, len(ids)),
                           "folds_trained": trained[(o, n)]})
    return {"suggester": get_suggester(suggester).name, "folds": folds.describe(), "n_units": len(units),
            "warnings": list(folds.warnings), "points": points}


def curve_frame(curve: dict[str, Any]) -> pd.DataFrame:
    """The curve as a table: one row per (order, N)."""
    return pd.DataFrame(curve["points"])


def curve_chart(curve: dict[str, Any]) -> "Figure":
    """Micro-F1 and mean kappa against N coded segments, one line per order (a matplotlib Figure)."""
    from matplotlib.figure import Figure

    df = curve_frame(curve)
    fig = Figure(figsize=(7, 3.6))
    for k, (col, title) in enumerate((("kappa_mean", "mean per-code kappa"), ("micro_f1", "micro-F1"))):
        ax = fig.add_subplot(1, 2, k + 1)
        for o, colour in zip(ORDERS, ("#3B6E8F", "#D08C3B")):
            part = df[df["order"] == o]
            ax.plot(part["n_coded"], part[col], marker="o", color=colour, label=f"{o} order")
        ax.set_xlabel("human-coded segments")
        ax.set_title(title)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    fig.axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"{curve['suggester']}: learning curve ({curve['folds']['k']} folds by {curve['folds']['grouped_by']})",
                 fontsize=9)
    fig.tight_layout()
    return fig


def study_curve(study: Any = None, *, gold: Any = None, codebook: Any = None, coder: str | None = None,
                suggester: str = "model", sizes: Sequence[int] = DEFAULT_SIZES, cv: int = 3,
                options: dict[str, Any] | None = None) -> dict[str, Any]:
    """``learning_curve`` on a gold file or the study's manual codings (the units ``evaluate`` uses)."""
    from ..errors import Errors
    from .evaluate import _codebook, read_gold, study_units

    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise InputError(Errors.E375.format(k=cv))
    cb = _codebook(study, codebook)
    if gold is not None:
        units, labels = read_gold(gold)
    elif study is not None:
        units, labels = study_units(study, coder)
    else:
        raise InputError(Errors.E377.format(detail=" (no study and no gold file given)"))
    if study is not None:
        from .plan import study_options
        from .suggest import resolve_name

        options = {**study_options(study, resolve_name(suggester)), **(options or {})}
    return learning_curve(units, labels, cb, suggester=suggester, sizes=sizes, cv=cv, options=options)
