"""The model suggester's variants measured on the development sets (what chose its defaults).

Each variant is the model with some parameters changed, scored like ``bench_suggesters.py``
(document-grouped folds; set (c) trained on coder HT and scored against coder SO). Variants:
n-grams alone, embeddings alone, both averaged (the default), without context, without the
codebook's text, and the old per-code F1 thresholds. Usage::

    python bench/bench_model_variants.py --sets bc
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suggesters import load_sets  # noqa: E402

from thematic.coding.evaluate import compare  # noqa: E402

VARIANTS = {
    "averaged n-grams + embeddings (default)": {},
    "n-grams only": {"use_embeddings": False},
    "embeddings only": {"use_ngrams": False},
    "no context features": {"use_context": False},
    "no codebook text": {"use_codebook": False},
    "per-code F1 thresholds (old)": {"decision": "f1"},
    "with codebook prior (z-normalised closeness to code text)": {"codebook_prior": True},
    "old model (n-grams, F1 thresholds, no context/codebook)": {"use_embeddings": False, "decision": "f1",
                                                                "use_context": False, "use_codebook": False},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="abc")
    ap.add_argument("--variants", default=None, help="comma-separated variant numbers (1-based)")
    ap.add_argument("--cv", type=int, default=5)
    args = ap.parse_args()
    chosen = list(VARIANTS.items())
    if args.variants:
        chosen = [chosen[int(i) - 1] for i in args.variants.split(",")]
    cache = tempfile.mkdtemp(prefix="thematic-bench-")
    print(f"{'set':26} {'variant':56} {'micro F1':>8} {'kappa':>6} {'top-3 R':>7} {'per unit':>8}")
    for ds in load_sets(args.sets):
        for label, opts in chosen:
            res = compare(ds["units"], ds["labels"], ds["codebook"], names=["model"], cv=args.cv, truth=ds["truth"],
                          options={"cache_dir": cache, **opts})
            r = res["suggesters"]["thematic.model.v1"]
            print(f"{ds['name']:26} {label:56} {r['micro']['f1']:8.2f} {r['kappa_mean']:6.2f} {r['top3_recall']:7.2f} "
                  f"{r['suggestions_per_unit']:4.2f}/{r['human_per_unit']:.2f}", flush=True)


if __name__ == "__main__":
    main()
