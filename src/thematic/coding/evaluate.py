"""`thematic evaluate`: measure each suggester like a coder, against a gold file or the study's manual codings.

Two sources of human codes:
- a gold file (JSON Lines of ``{"id", "text", "codes"}``): every line is a unit;
- the study's own manual codings: the units are the participant segments a coder coded or recorded
  as seen (a sheet, the widget, mark-seen), in any document, plus every segment of a document coded
  with no such record (a segment with no code counts as coded "nothing"), except segments where a
  person accepted a suggestion: those are neither gold nor "nothing". A coding whose quote a
  re-ingest lost (``UNANCHORED_FLAGS``) counts nowhere.

Human codes no suggester can propose (unknown ids: W370; themes and retired codes: W034) are named;
their units stay scored and each such code counts as a miss.

Zero-shot suggesters (rules, similarity) are fitted on the codebook alone and scored on every
unit. The model learns from human codes, so it is scored by k-fold cross-validation (``cv``): each
unit is predicted by a model that never saw it; a fold where it cannot be trained (E376) is left out,
so it is scored on the held-out units of the folds that trained (``units_scored``), and one no fold
trained has no figures (None), with W532 saying why (W536 for one unit: no fold at all). Folds keep a
source document together (a gold
line's ``group``, else the part of its id before ``:``; in a study, the document), so a model is not
rewarded for recognising an interview it trained on; the result says how folds were grouped. A trivial baseline (the most frequent
code on every unit) is scored the same way for comparison. See ``metrics`` for the figures.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._limits import check_file
from ..codebook import Codebook, load_codebook
from ..context import HasContext, StudyContext, context_of
from ..errors import Errors, InputError, OptionalDependencyError, Warnings, display_path
from . import metrics
from .folds import Folds, grouped_folds
from .plan import study_codebook, study_options, with_seen

if TYPE_CHECKING:
    from .suggest.base import Suggester

BASELINE = "baseline.most_frequent"
#: Optional gold-line fields passed to suggesters as the segment's context (see ``segments`` schema).
GOLD_CONTEXT = ("question", "kind", "speaker")
#: Keys a gold line may hold its codes under by mistake (E384 names them).
GOLD_CODES_ALIASES = frozenset({"labels", "label", "tags", "tag", "codings", "coding", "gold"})


#: How the folds of a gold file are grouped (said in every result).
GOLD_GROUPS = "document (gold 'group', else the id before its last ':')"

def _first(exc: Exception) -> str:
    """The first clause of an exception's message (Python's digit-limit message ends in advice for programmers)."""
    return str(exc).split(";", 1)[0]


def read_gold(path: str | Path) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """Units (a segments frame) and their human codes from a gold JSON Lines file (E374 names the bad line;
    E384 one with no 'codes' key: ``"codes": []`` says coded with nothing, a missing key says nothing)."""
    p = Path(path)
    try:
        check_file(p, display_path(p))
        lines = p.read_bytes().decode("utf-8-sig").split("\n")  # not splitlines(): U+2028 is in texts
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Errors.E021.format(path=display_path(p), detail=exc)) from exc
    rows, labels, line_of = [], {}, {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(Errors.E374.format(path=display_path(p), line=n, detail=f"not JSON ({exc.msg})")) from exc
        except ValueError as exc:  # an integer over Python's 4,300-digit limit
            detail = f"not JSON (a number too long to read: {_first(exc)})"
            raise InputError(Errors.E374.format(path=display_path(p), line=n, detail=detail)) from None
        except RecursionError:
            raise InputError(Errors.E035.format(path=f"{display_path(p)}:{n}")) from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or "id" not in item:
            raise InputError(Errors.E374.format(path=display_path(p), line=n, detail="needs an 'id' and a 'text'"))
        if "codes" not in item:
            raise InputError(Errors.E384.format(path=display_path(p), line=n, keys=", ".join(map(repr, item)),
                                                guess=_codes_guess(item)))
        codes = item["codes"]
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise InputError(Errors.E374.format(path=display_path(p), line=n, detail="'codes' must be a list of ids"))
        uid = str(item["id"])
        if uid in labels:
            raise InputError(Errors.E374.format(path=display_path(p), line=n, detail=f"id '{uid}' appears twice"))
        group = item.get("group")
        row = {"segment_id": uid, "document_id": uid.rsplit(":", 1)[0], "start": 0, "end": len(item["text"]),
               "text": item["text"], "group": str(group) if group not in (None, "") else None}
        row.update({k: str(item[k]) for k in GOLD_CONTEXT if isinstance(item.get(k), (str, int))})
        rows.append(row)
        labels[uid] = set(codes)
        line_of[uid] = n
    if not rows:
        raise InputError(Errors.E374.format(path=display_path(p), line=1, detail="the file has no units"))
    df = pd.DataFrame(rows)
    if df["group"].notna().any():
        df["document_id"] = df["group"].fillna(df["document_id"])
    df = df.drop(columns="group")
    df.attrs["lines"] = line_of  # each unit's line in the file, for warnings that name it
    return df, labels


def _codes_guess(item: dict[str, Any]) -> str:
    """A hint naming the keys of a gold line that look like a misspelt 'codes' ("code", "Codes", "labels")."""
    import difflib

    known = {"id", "text", "group", *GOLD_CONTEXT}
    like = [k for k in item if k not in known and (difflib.get_close_matches(str(k).lower(), ["codes"], cutoff=0.6)
                                                   or str(k).lower() in GOLD_CODES_ALIASES)]
    return f"; {', '.join(map(repr, like))} may be meant as 'codes'" if like else ""


def study_units(study: StudyContext | HasContext, coder: str | None = None) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """Units and human codes from the study's manual codings (E377 when there are none): every participant turn
    a coder coded or recorded as seen, in any document, plus the rest of a document coded with no such record.

    With no ``coder``, a turn the consensus settled has the consensus's codes, as the tables count them
    (``coding.settled``); the units' ``attrs["settled"]`` says how many units that is."""
    from .settled import settled_codings, settled_segments
    from .suggest._labels import REVIEW_SOURCE, anchored, labelled_segments, segment_codes

    study = context_of(study)
    cods = study.store.codings(status="manual")
    if coder is not None:
        cods = cods[(cods["coder"] == coder).fillna(False).to_numpy(dtype=bool)]
    lost = len(cods)
    cods = anchored(cods)  # a quote lost at re-ingest: its offsets are the old text's, it is nobody's gold
    lost -= len(cods)
    if cods.empty:
        detail = f" by {coder}" if coder else ""
        if lost:
            detail += (f" that still point at their text ({lost} lost their quote when a file changed; "
                       "`thematic codebook flagged` lists them)")
        raise InputError(Errors.E377.format(detail=detail))
    seen = study.store.coverage(coder)  # what a coder read, coded or not (a sheet, the widget, mark-seen)
    settled = settled_segments(seen, study.config.consensus) if coder is None else set()
    cods = settled_codings(cods, study.store.segments(), settled, study.config.consensus)
    read = seen.loc[(seen["source"].fillna("") != REVIEW_SOURCE).to_numpy(dtype=bool), "document_id"]
    docs = sorted(set(cods["document_id"].astype(str)) | set(read.dropna().astype(str)))
    segs = study.store.segments(document=docs, include_interviewer=study.config.ingest.code_interviewer)
    segs = segs[segs["text"].fillna("").str.strip() != ""].reset_index(drop=True)
    decided = set(labelled_segments(segs, with_seen(study, cods, coder)))
    segs = segs[segs["segment_id"].astype(str).isin(decided)].reset_index(drop=True)
    accepted = study.store.codings(status="accepted", document=docs)
    if not accepted.empty:  # neither gold (a suggester proposed it) nor "coded nothing"
        touched = set(segment_codes(segs, accepted, statuses=("accepted",)))
        segs = segs[~segs["segment_id"].astype(str).isin(touched)].reset_index(drop=True)
    labels = segment_codes(segs, cods, statuses=("manual",))
    segs.attrs["settled"] = int(segs["segment_id"].astype(str).isin(settled).sum())
    segs.attrs["consensus"] = study.config.consensus
    return segs, {sid: labels.get(sid, set()) for sid in segs["segment_id"].astype(str)}


def study_source(units: pd.DataFrame, coder: str | None = None) -> str:
    """Which human codes ``study_units`` scored against: a coder's, or the consensus where it settled a unit."""
    source = "study manual codings" + (f" ({coder})" if coder else "")
    if units.attrs.get("settled"):
        source += (f": the consensus coding ('{units.attrs['consensus']}') on the {units.attrs['settled']} unit(s) "
                   "it settled, every coder's codings elsewhere")
    return source


def _rank(scored: pd.DataFrame) -> dict[str, list[str]]:
    ordered = scored.sort_values(["segment_id", "score", "code_id"], ascending=[True, False, True], kind="mergesort")
    return {str(k): list(g["code_id"].astype(str)) for k, g in ordered.groupby("segment_id", sort=False)}


def _predict(s: "Suggester", units: pd.DataFrame) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Thresholded suggestions and the full ranking of a fitted suggester on ``units``."""
    sug = s.suggest(units)
    predicted: dict[str, set[str]] = {}
    for sid, code in zip(sug["segment_id"].astype(str), sug["code_id"].astype(str)):
        predicted.setdefault(sid, set()).add(code)
    return predicted, _rank(s.scores(units))


def _as_codings(units: pd.DataFrame, labels: dict[str, set[str]]) -> pd.DataFrame:
    """Human labels as a manual-codings frame on one pseudo-document; a unit coded "nothing" gets a ``seen`` row,
    so every unit counts as decided (towards the model's and the ensemble's minimum too)."""
    from .. import schemas
    from .suggest._labels import SEEN_STATUS

    rows = [{"coding_id": f"{sid}|{c}", "document_id": "__units__", "segment_id": sid, "start": 0, "end": 1,
             "code_id": c, "coder": "gold", "status": "manual"}
            for sid in units["segment_id"].astype(str) for c in sorted(labels.get(sid, ()))]
    rows += [{"coding_id": f"{sid}|seen", "document_id": "__units__", "segment_id": sid, "coder": "gold",
              "status": SEEN_STATUS} for sid in units["segment_id"].astype(str) if not labels.get(sid)]
    if not rows:
        rows = [{"coding_id": "none", "document_id": "__units__", "segment_id": None, "start": 0, "end": 0,
                 "code_id": "__none__", "coder": "gold", "status": "manual"}]
    return schemas.coerce_frame(pd.DataFrame(rows), schemas.CODINGS)


def _cross_validate(s: "Suggester", units: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook,
                    folds: Folds) -> tuple[dict[str, set[str]], dict[str, list[str]], list[str], list[str],
                                           list[tuple[int, str]]]:
    """Out-of-fold predictions and rankings, notes, the held-out units of the folds that trained, and
    ``(training units, reason)`` of each fold that could not train (E376)."""
    from sklearn.base import clone

    predicted: dict[str, set[str]] = {}
    ranking: dict[str, list[str]] = {}
    notes: list[str] = []
    scored: list[str] = []
    failures: list[tuple[int, str]] = []
    skipped_in: dict[str, int] = {}
    as_fold = units.assign(group=units["document_id"].to_numpy(), document_id="__units__")
    for train, test in folds.splits:
        tr = as_fold.iloc[train]
        # a suggester that reads a background (the ensemble's similarity part) reads every unit's text, as a run
        # reads every segment of the study; it learns only from the training units' labels
        seen = as_fold.iloc[np.concatenate([train, test])] if s.uses_background else tr
        model = clone(s)
        try:
            model.fit(seen, _as_codings(tr, labels), cb)
        except InputError as exc:
            failures.append((len(tr), str(exc)))
            continue
        held = units.iloc[test]
        p, r = _predict(model, held)
        predicted.update(p)
        ranking.update(r)
        scored += held["segment_id"].astype(str).tolist()
        notes.extend(n for n in model.run_notes() if n not in notes)  # e.g. W524: n-grams only
        for code in getattr(model, "skipped_codes_", {}):
            skipped_in[code] = skipped_in.get(code, 0) + 1
    if skipped_in:
        listed = [f"{c} ({n}/{folds.k} folds)" for c, n in sorted(skipped_in.items(), key=lambda x: (-x[1], x[0]))]
        notes.append(Warnings.W523.format(min_examples=s.get_params().get("min_examples", "?"),
                                          codes=", ".join(listed[:10]) + ("…" if len(listed) > 10 else "")))
    return predicted, ranking, notes, scored, failures


def _untrained_warning(name: str, failures: list[tuple[int, str]], k: int, scored: int, n_units: int) -> str:
    """W532: how many folds could not train and why (the reason of the largest training set tried), and what
    the figures then are."""
    most = max(n for n, _ in failures)
    reason = next(w for n, w in failures if n == most)
    if len(failures) >= k:
        outcome = "It has no figures ('-' in the table, null in JSON, an empty cell in CSV)."
    else:
        outcome = (f"Its figures come from the {k - len(failures)} fold(s) that trained, scored on their held-out "
                   f"units only ({scored} of {n_units}; `units_scored` in JSON).")
    return Warnings.W532.format(name=name, failed=len(failures), k=k, reason=reason, outcome=outcome)


def _no_figures(summary: dict[str, Any]) -> dict[str, Any]:
    """``summary`` of a suggester no fold trained: every figure None (nothing was measured), no per-code rows."""
    none3 = {"precision": None, "recall": None, "f1": None}
    return {**summary, "micro": dict(none3), "macro": dict(none3), "kappa_mean": None, "top1_precision": None,
            "top3_recall": None, "per_code": []}


def _score_one(name: str, units: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook, folds: Folds,
               options: dict[str, Any], truth: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """One suggester trained (by CV) on ``labels`` and scored against ``truth`` (default: the same labels).

    A trained suggester is scored on the held-out units of the folds that trained (``units_scored``); one no
    fold trained has no figures (None) and W532 (in ``warnings``) says why."""
    from .suggest import get_suggester

    t = time.perf_counter()
    s = get_suggester(name, **{k: v for k, v in options.items() if k in get_suggester(name).get_params()})
    ids = units["segment_id"].astype(str).tolist()
    codes = [c.id for c in cb.codable()]
    notes: list[str] = []
    cv_keys: dict[str, Any] = {}
    warnings: list[str] = []
    try:
        if s.needs_codings:
            predicted, ranking, notes, scored, failures = _cross_validate(s, units, labels, cb, folds)
            mode = (f"{folds.k}-fold cross-validation by {folds.grouped_by}" if folds.splits
                    else "no cross-validation (one unit only)")
            cv_keys = {"folds_trained": len(folds.splits) - len(failures), "units_scored": len(scored)}
            if failures:
                warnings.append(_untrained_warning(s.name, failures, len(folds.splits), len(scored), len(ids)))
            if not folds.splits:  # one unit: nothing to hold out, so no fold at all
                warnings.append(Warnings.W536.format(name=s.name, n=len(ids)))
            if failures or not folds.splits:
                trained = set(scored)
                ids = [u for u in ids if u in trained]
        else:
            background = units if s.uses_background else None  # the units' text only, never their labels
            predicted, ranking = _predict(s.fit(background, None, cb), units)
            notes = list(s.run_notes())
            mode = "zero-shot (codebook only)"
    except OptionalDependencyError as exc:
        return {"name": s.name, "skipped": str(exc)}
    fp = s.fingerprint()
    figures = metrics.summary(ids, truth if truth is not None else labels, predicted, ranking, codes)
    if cv_keys and not cv_keys["folds_trained"]:
        figures = _no_figures(figures)
    out = {"name": s.name, "mode": mode, "params": fp["params"], **({"environment": fp["environment"]}
                                                                    if "environment" in fp else {}),
           **figures, **cv_keys}
    out["notes"] = notes
    out["warnings"] = warnings
    out["suggestions_per_unit"] = out["n_suggested"] / out["n_units"] if out["n_units"] else None
    out["human_per_unit"] = out["n_human"] / out["n_units"] if out["n_units"] else None
    out["seconds"] = round(time.perf_counter() - t, 2)
    return out


def compare(units: pd.DataFrame, labels: dict[str, set[str]], cb: Codebook, *, names: Sequence[str], cv: int = 5,
            truth: dict[str, set[str]] | None = None, options: dict[str, Any] | None = None,
            grouped_by: str = "document", name_options: Mapping[str, Mapping[str, Any]] | None = None
            ) -> dict[str, Any]:
    """Score suggesters trained on ``labels`` against ``truth`` (default ``labels``) with document-grouped folds.

    ``name_options`` are one suggester's own settings by versioned name (e.g. [code.llm]); ``options``
    apply to every suggester that has them.

    ``truth`` different from ``labels`` measures a suggester trained on one coder against another,
    the same way the two humans are compared.
    """
    from .suggest import resolve_name

    truth_labels = truth if truth is not None else labels
    folds = grouped_folds(units, cv, source=grouped_by)
    result: dict[str, Any] = {"folds": folds.describe(), "warnings": list(folds.warnings), "suggesters": {}}
    for name in dict.fromkeys(resolve_name(n) for n in names):
        own = dict((name_options or {}).get(name, {}))
        scored = _score_one(name, units, labels, cb, folds, {**own, **dict(options or {})}, truth_labels)
        result["warnings"] += scored.pop("warnings", [])  # W532: said once, with the other warnings
        result["suggesters"][name] = scored
    ids = units["segment_id"].astype(str).tolist()
    codes = [c.id for c in cb.codable()]
    base_pred, base_rank = metrics.most_frequent_baseline(ids, labels, codes)
    base = {"name": BASELINE, "mode": "most frequent human code on every unit",
            **metrics.summary(ids, truth_labels, base_pred, base_rank, codes)}
    base["suggestions_per_unit"] = base["n_suggested"] / max(1, len(ids))
    base["human_per_unit"] = base["n_human"] / max(1, len(ids))
    result["suggesters"][BASELINE] = base
    return result


def evaluate(study: StudyContext | HasContext | None = None, *, gold: str | Path | None = None, cv: int = 5,
             suggesters: str | Sequence[str] | None = None, codebook: str | Path | Codebook | None = None,
             coder: str | None = None, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Score each suggester (and the most-frequent-code baseline) against human codes.

    Args:
        study: the study (for its codebook and manual codings); optional with ``gold`` and ``codebook``.
        gold: a gold JSON Lines file; default: the study's manual codings.
        cv: folds for the model's cross-validation (at least 2).
        suggesters: names (a list, or one comma-separated string); default rules, model, similarity (wording only without the embeddings extra) and
            the ensemble, which ``thematic code`` runs by default.
        codebook: a codebook file or object (default: the study's).
        coder: with the study's codings, use only this coder's manual codings.
        options: extra suggester parameters, e.g. ``{"cache_dir": ...}`` (applied where a suggester has them).

    Returns:
        A JSON-ready dict: ``source``, ``codebook``, ``n_units``, ``cv``, ``warnings``, and ``suggesters``
        keyed by versioned name (plus ``baseline.most_frequent``); see docs/assisted-coding.md.
    """
    from .suggest import resolve_name, split_names

    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise InputError(Errors.E375.format(k=cv))
    study = context_of(study) if study is not None else None
    cb = _codebook(study, codebook)
    if gold is not None:
        units, labels = read_gold(gold)
        source = f"gold:{display_path(gold)}"
    elif study is not None:
        units, labels = study_units(study, coder)
        source = study_source(units, coder)
    else:
        raise InputError(Errors.E377.format(detail=" (no study and no gold file given)"))
    names = split_names(suggesters) or ["rules", "model", "similarity", "ensemble"]
    warnings = uncodable_codes(gold or "study", labels, cb, units.attrs.get("lines"))
    result = {"source": source, "codebook": {"name": cb.name, "version": cb.version}, "n_units": len(units),
              "n_human_codes": sum(len(v) for v in labels.values()), "cv": cv}
    grouped_by = "document" if gold is None else GOLD_GROUPS
    per_name = {resolve_name(n): study_options(study, resolve_name(n)) if study is not None else {} for n in names}
    scored = compare(units, labels, cb, names=names, cv=cv, options=options, grouped_by=grouped_by,
                     name_options=per_name)
    result.update(scored)
    result["warnings"] = [*warnings, *scored["warnings"]]
    return result


def _codebook(study: StudyContext | None, codebook: str | Path | Codebook | None) -> Codebook:
    if isinstance(codebook, Codebook):
        return codebook
    if codebook is not None:
        return load_codebook(codebook)
    if study is None:
        raise InputError(Errors.E378.format(task="evaluate against"))
    return study_codebook(study)


def uncodable_codes(where: str | Path, labels: Mapping[str, set[str]], cb: Codebook,
                    lines: Mapping[str, int] | None = None) -> list[str]:
    """W370 for human codes missing from the codebook, W034 for themes and retired codes: no suggester can propose
    them, so each counts as a miss. A code is named with the gold line it first appears on, or (in a study) how
    many codings carry it."""
    codable = {c.id for c in cb.codable()}
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for uid, codes in labels.items():
        for c in codes:
            if c not in codable:
                count[c] = count.get(c, 0) + 1
                if lines and uid in lines:
                    first[c] = min(first.get(c, lines[uid]), lines[uid])

    def named(codes: list[str], kind: Any) -> str:
        shown = []
        for c in codes[:10]:
            where_ = f"line {first[c]}" if c in first else f"{count[c]} unit{'s' * (count[c] != 1)}"
            shown.append(f"{c} ({', '.join(x for x in (kind(c), where_) if x)})")
        return ", ".join(shown) + ("…" if len(codes) > 10 else "")

    path = display_path(where) if where != "study" else "study"
    unknown = sorted(c for c in count if c not in cb)
    known = sorted(c for c in count if c in cb)
    out = []
    if unknown:
        out.append(Warnings.W370.format(path=path, n=len(unknown), codes=named(unknown, lambda c: "")))
    if known:
        out.append(Warnings.W034.format(path=path, n=len(known), codes=named(
            known, lambda c: "retired" if c in cb.retired else "theme" if cb[c].parent is None else "not codable")))
    return out


def evaluation_frame(result: dict[str, Any]) -> pd.DataFrame:
    """The result as one long table: per suggester, a ``(micro)`` and ``(macro)`` row then one row per code."""
    rows = []
    for name, r in result["suggesters"].items():
        if "skipped" in r:
            rows.append({"suggester": name, "code_id": "(skipped)", "note": r["skipped"]})
            continue
        for avg in ("micro", "macro"):
            rows.append({"suggester": name, "code_id": f"({avg})", "support": r["n_human"],
                         "predicted": r["n_suggested"], **r[avg],
                         "kappa": r["kappa_mean"] if avg == "macro" else np.nan,
                         "top1_precision": r["top1_precision"], "top3_recall": r["top3_recall"]})
        rows.extend({"suggester": name, **row} for row in r["per_code"])
    return pd.DataFrame(rows)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        return _clean(value.item())
    return value


def evaluation_json(result: dict[str, Any]) -> str:
    """The result as strict JSON (undefined figures such as kappa with no variation become null)."""
    return json.dumps(_clean(result), indent=2, ensure_ascii=False) + "\n"
