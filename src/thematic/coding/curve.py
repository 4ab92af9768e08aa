"""A learning curve: how good the trained suggesters are after N human-coded segments.

With document-grouped folds, each fold's training documents are the pool a researcher would code.
Two orders of coding are simulated: **random** (a seeded shuffle) and **uncertainty-first** (the
first ``sizes[0]`` at random, then, at each step, the pool segments where the model trained so far
is least sure: the smallest distance between a code's score and its threshold). After each size N
the suggester is trained on the first N segments of the order and scored on the held-out fold;
micro-F1 and mean per-code kappa come from the predictions of every fold that trained, on those
folds' held-out units only: a fold that could not train (E376) is left out, not scored as "suggested
nothing", and a point where no fold trained has no figure (None; W531 gives the reason once). N counts
every segment of the training pool a person decided, with or without a code; ``with_code`` says how
many of them carry one. It tells a researcher how much to code before suggestions pay, and whether
reviewing uncertain segments first saves work.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError, Warnings, display_path
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


def _fit(model: Any, train: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook,
         why: list[str] | None = None) -> Any:
    """The model fitted on ``train``, or None when it cannot be trained (the reason appended to ``why``)."""
    from .evaluate import _as_codings

    tr = train.assign(group=train["document_id"].to_numpy(), document_id="__units__")
    try:
        return model.fit(tr, _as_codings(tr, labels), cb)
    except InputError as exc:
        if why is not None:
            why.append(str(exc))
        return None


def learning_curve(units: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook, *, suggester: str = "model",
                   sizes: Sequence[int] = DEFAULT_SIZES, cv: int = 3, seed: int = 0,
                   options: dict[str, Any] | None = None, grouped_by: str = "document") -> dict[str, Any]:
    """Micro-F1 and mean kappa after N coded segments, random vs uncertainty-first (see the module doc);
    ``grouped_by`` says in the result what a fold keeps together."""
    from .suggest import get_suggester

    def make() -> Any:
        s = get_suggester(suggester)
        return s.set_params(**{k: v for k, v in (options or {}).items() if k in s.get_params()})

    folds = grouped_folds(units, cv, seed=seed, source=grouped_by)
    if not folds.splits:  # one unit: nothing to hold out
        raise InputError(Errors.E065.format(n=len(units)))
    largest = max(len(tr) for tr, _ in folds.splits)
    steps = sorted({n for n in sizes if n < largest} | {largest})
    codes = [c.id for c in cb.codable()]
    keys = [(o, n) for o in ORDERS for n in steps]
    predicted: dict[tuple[str, int], dict[str, set[str]]] = {k: {} for k in keys}
    trained = {k: 0 for k in keys}
    scored: dict[tuple[str, int], list[str]] = {k: [] for k in keys}  # held-out units of the folds that trained
    with_code: dict[tuple[str, int], list[int]] = {k: [] for k in keys}
    failures: list[tuple[int, str]] = []  # (pool size, reason) of each fit that failed
    for f, (train, test) in enumerate(folds.splits):
        pool, held = units.iloc[train], units.iloc[test]
        for o in ORDERS:
            order = _order(o, pool, labels, cb, steps, make, np.random.default_rng(seed + f), _fit)
            for n in steps:
                chosen = pool.iloc[order[:n]]
                with_code[(o, n)].append(sum(1 for sid in chosen["segment_id"].astype(str) if labels.get(sid)))
                why: list[str] = []
                model = _fit(make(), chosen, labels, cb, why)
                if model is None:
                    failures += [(len(chosen), w) for w in why]
                    continue
                trained[(o, n)] += 1
                scored[(o, n)] += held["segment_id"].astype(str).tolist()
                sug = model.suggest(held)
                for sid, code in zip(sug["segment_id"].astype(str), sug["code_id"].astype(str)):
                    predicted[(o, n)].setdefault(sid, set()).add(code)
    points = [_point(o, n, scored[(o, n)], labels, predicted[(o, n)], codes, trained[(o, n)], with_code[(o, n)])
              for o, n in keys]
    name = get_suggester(suggester).name
    warnings = list(folds.warnings)
    if failures:
        most = max(k for k, _ in failures)  # the reason with the largest pool tried says the most
        reason = Counter(w for k, w in failures if k == most).most_common(1)[0][0]
        warnings.append(Warnings.W531.format(name=name, failed=len(failures), fits=len(folds.splits) * len(keys),
                                             reason=reason))
    for p in points:
        p["suggester"] = name
    return {"suggester": name, "suggesters": [name], "folds": folds.describe(), "n_units": len(units),
            "warnings": warnings, "points": points}


def _point(order: str, n: int, ids: list[str], labels: dict[str, set[str]], predicted: dict[str, set[str]],
           codes: list[str], trained: int, with_code: list[int]) -> dict[str, Any]:
    """One point of the curve: figures on the trained folds' held-out units, None when no fold trained."""
    point: dict[str, Any] = {"order": order, "n_coded": n,
                             "with_code": round(float(np.mean(with_code)), 1) if with_code else 0.0,
                             "micro_f1": None, "kappa_mean": None, "suggestions_per_unit": None,
                             "folds_trained": trained, "units_scored": len(ids), "n_human_scored": 0}
    if ids:
        s = metrics.summary(ids, labels, predicted, {}, codes)
        point.update(micro_f1=s["micro"]["f1"], kappa_mean=s["kappa_mean"],
                     suggestions_per_unit=s["n_suggested"] / len(ids), n_human_scored=s["n_human"])
    return point


def curve_frame(curve: dict[str, Any]) -> pd.DataFrame:
    """The curve as a table: one row per (order, N)."""
    return pd.DataFrame(curve["points"])


def curve_chart(curve: dict[str, Any]) -> "Figure":
    """Micro-F1 and mean kappa against N coded segments, one line per order and suggester (a matplotlib Figure)."""
    from matplotlib.figure import Figure

    df = curve_frame(curve)
    if "suggester" not in df:
        df = df.assign(suggester=curve["suggester"])
    names = list(dict.fromkeys(df["suggester"]))
    fig = Figure(figsize=(7, 3.6))
    for k, (col, title) in enumerate((("kappa_mean", "mean per-code kappa"), ("micro_f1", "micro-F1"))):
        ax = fig.add_subplot(1, 2, k + 1)
        values = pd.to_numeric(df[col], errors="coerce")
        for name, style in zip(names, ("-", "--", ":", "-.") * len(names)):
            for o, colour in zip(ORDERS, ("#3B6E8F", "#D08C3B")):
                part = (df["order"] == o) & (df["suggester"] == name)  # no trained fold is NaN: a gap in the line
                label = f"{o} order" if len(names) == 1 else f"{_short(name)}, {o}"
                ax.plot(df.loc[part, "n_coded"], values[part], marker="o", color=colour, linestyle=style, label=label)
        if values.isna().all():
            ax.text(0.5, 0.5, "not trained in any fold", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlim(0, float(df["n_coded"].max()) * 1.05 + 1)  # the sizes tried, even where no figure is drawn
        ax.set_xlabel("segments decided by a person (N)")
        ax.set_title(title)
        lowest = values.min()
        ax.set_ylim(min(0.0, float(lowest) - 0.05) if pd.notna(lowest) else 0.0, 1)  # a kappa below 0 stays in view
        ax.grid(alpha=0.3)
    fig.axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"{curve['suggester']}: learning curve ({curve['folds']['k']} folds by {curve['folds']['grouped_by']})",
                 fontsize=9)
    fig.tight_layout()
    return fig


def _short(name: str) -> str:
    """``model`` for ``thematic.model.v1``; another name as it is."""
    parts = name.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "thematic" else name


def study_curve(study: Any = None, *, gold: Any = None, codebook: Any = None, coder: str | None = None,
                suggester: str | Sequence[str] = "model", sizes: Sequence[int] = DEFAULT_SIZES, cv: int = 3,
                options: dict[str, Any] | None = None) -> dict[str, Any]:
    """``learning_curve`` of each trained suggester named (one name, a list, or a comma-separated string) on a
    gold file or the study's manual codings (the units ``evaluate`` uses), folds shared. A zero-shot suggester
    learns nothing from coded segments: it is left out with W035, and E066 when no trained one is left.

    The result is one curve's: ``suggesters`` lists those drawn, ``suggester`` names them, and each point says
    its ``suggester``."""
    from .evaluate import GOLD_GROUPS, _codebook, read_gold, study_source, study_units, uncodable_codes
    from .suggest import resolve_name, split_names

    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise InputError(Errors.E375.format(k=cv))
    names = list(dict.fromkeys(resolve_name(n) for n in (split_names(suggester) or ["model"])))
    own = {n: _options(study, n, options) for n in names}
    trained = [n for n in names if _learns(n, own[n])]
    zero_shot = [n for n in names if n not in trained]
    if not trained:
        raise InputError(Errors.E066.format(names=", ".join(zero_shot)))
    cb = _codebook(study, codebook)
    if gold is not None:
        units, labels = read_gold(gold)
        source = f"gold:{display_path(gold)}"
    elif study is not None:
        units, labels = study_units(study, coder)
        source = study_source(units, coder)
    else:
        raise InputError(Errors.E377.format(detail=" (no study and no gold file given)"))
    grouped_by = "document" if gold is None else GOLD_GROUPS
    curves = [learning_curve(units, labels, cb, suggester=n, sizes=sizes, cv=cv, options=own[n], grouped_by=grouped_by)
              for n in trained]
    uncodable = uncodable_codes(gold or "study", labels, cb, units.attrs.get("lines"))  # W370, W034: misses
    result = {**curves[0], "source": source, "suggester": ", ".join(trained), "suggesters": trained,
              "warnings": list(dict.fromkeys([*uncodable, *(w for c in curves for w in c["warnings"])])),
              "points": [p for c in curves for p in c["points"]]}
    if zero_shot:
        result["warnings"].insert(0, Warnings.W035.format(names=", ".join(zero_shot), drawn=", ".join(trained)))
    return result


def _options(study: Any, name: str, options: dict[str, Any] | None) -> dict[str, Any]:
    """Suggester ``name``'s settings: the study's [code] ones (in a study), then ``options``."""
    if study is None:
        return dict(options or {})
    from .plan import study_options

    return {**study_options(study, name), **(options or {})}


def _learns(name: str, options: dict[str, Any]) -> bool:
    """Whether suggester ``name``, with ``options``, learns from coded segments (the llm only with few-shot)."""
    from .suggest import get_suggester

    s = get_suggester(name)
    return bool(s.set_params(**{k: v for k, v in options.items() if k in s.get_params()}).needs_codings)
