"""Scoring suggested codes against human codes: pure functions over label sets (no I/O).

Every segment is one unit; for each code the suggester and the human either applied it or not.
Precision, recall and F1 are computed over (segment, code) pairs (micro) and per code, then
averaged over codes the humans used (macro; a code never suggested has precision 0). Cohen's kappa
is computed per code on the 2x2 table over all segments (chance-corrected agreement, as for two
human coders). Ranking: top-1 precision is the share of segments with any ranked suggestion whose
first one is right; top-3 recall is the share of human (segment, code) pairs found among their
segment's three best-ranked codes.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from .._kappa import kappa_from_confusion

Labels = Mapping[str, set[str]]
Ranking = Mapping[str, Sequence[str]]


def _prf(tp: float, n_pred: float, n_true: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _kappa(tp: int, fp: int, fn: int, n: int) -> float:
    tn = n - tp - fp - fn
    value = kappa_from_confusion(np.array([[tp, fn], [fp, tn]], dtype=float))
    return float(value)


def per_code(units: Sequence[str], gold: Labels, predicted: Labels, codes: Sequence[str]) -> list[dict[str, Any]]:
    """One row per code: support (human), predicted, true positives, precision, recall, F1, kappa."""
    rows = []
    n = len(units)
    for code in codes:
        g = {u for u in units if code in gold.get(u, ())}
        p = {u for u in units if code in predicted.get(u, ())}
        tp = len(g & p)
        prec, rec, f1 = _prf(tp, len(p), len(g))
        rows.append({"code_id": code, "support": len(g), "predicted": len(p), "true_positives": tp,
                     "precision": prec, "recall": rec, "f1": f1,
                     "kappa": _kappa(tp, len(p) - tp, len(g) - tp, n)})
    return rows


def summary(units: Sequence[str], gold: Labels, predicted: Labels, ranking: Ranking,
            codes: Sequence[str]) -> dict[str, Any]:
    """Micro and macro precision/recall/F1, mean kappa, top-1 precision, top-3 recall and per-code rows."""
    rows = per_code(units, gold, predicted, codes)
    tp = sum(r["true_positives"] for r in rows)
    n_pred = sum(len(predicted.get(u, ())) for u in units)
    n_true = sum(len(gold.get(u, ())) for u in units)
    micro = dict(zip(("precision", "recall", "f1"), _prf(tp, n_pred, n_true)))
    used = [r for r in rows if r["support"] > 0]
    macro = {k: float(np.mean([r[k] for r in used])) if used else float("nan") for k in ("precision", "recall", "f1")}
    kappas = [r["kappa"] for r in used if not np.isnan(r["kappa"])]
    return {
        "micro": micro,
        "macro": macro,
        "kappa_mean": float(np.mean(kappas)) if kappas else float("nan"),
        "top1_precision": top1_precision(units, gold, ranking),
        "top3_recall": topk_recall(units, gold, ranking, 3),
        "n_units": len(units),
        "n_human": n_true,
        "n_suggested": n_pred,
        "per_code": rows,
    }


def top1_precision(units: Sequence[str], gold: Labels, ranking: Ranking) -> float:
    """Share of units with a ranked suggestion whose best-ranked code the humans applied."""
    ranked = [u for u in units if ranking.get(u)]
    if not ranked:
        return float("nan")
    return sum(ranking[u][0] in gold.get(u, ()) for u in ranked) / len(ranked)


def topk_recall(units: Sequence[str], gold: Labels, ranking: Ranking, k: int) -> float:
    """Share of human (unit, code) pairs that are among the unit's ``k`` best-ranked codes."""
    total = sum(len(gold.get(u, ())) for u in units)
    if not total:
        return float("nan")
    found = sum(len(gold.get(u, set()) & set(list(ranking.get(u, ()))[:k])) for u in units)
    return found / total


def most_frequent_baseline(units: Sequence[str], gold: Labels, codes: Sequence[str]) -> tuple[Labels, Ranking]:
    """The trivial baseline: every unit gets the most frequent human code among ``codes`` (one it can be scored on;
    a theme, a retired or an unknown code never is); ranking by overall frequency."""
    counts = {c: 0 for c in codes}
    for u in units:
        for c in gold.get(u, ()):
            if c in counts:
                counts[c] += 1
    order = sorted(counts, key=lambda c: (-counts[c], c))
    if not order or counts[order[0]] == 0:
        return {u: set() for u in units}, {u: [] for u in units}
    return {u: {order[0]} for u in units}, {u: order[:3] for u in units}
