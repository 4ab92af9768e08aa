"""Benchmark `thematic code` (rules + model) on a generated 1,000,000-word study.

Generates interviews with ``bench_ingest.generate``, ingests them (timed, reported apart), codes a
few hundred segments by hand as a synthetic coder and trains the model (timed, reported apart: the
saved model is then loaded by the run), and measures, each in the same fresh process:

1. the first `code()` run with rules + model over the whole study (words/s, peak RSS);
2. a second run with nothing changed;
3. a run after one transcript changed;

then, in a separate process, the similarity suggester's segments/s on a sample (cold cache).
Targets: >= 150,000 words/s, peak RSS < 1.5 GB, 2. < 2 s, 3. < 3 s. Usage::

    python bench/bench_code.py                      # 1,000,000 words
    python bench/bench_code.py --words 200000 --similarity-sample 100
    python bench/bench_code.py --manual 0,2500,5000   # study.code() CPU ms per call vs codings in the document
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_ingest import generate  # noqa: E402

CODEBOOK = REPO / "codebooks" / "peer-work-desistance.yaml"
#: Synthetic human coding: a segment mentioning the word gets the code (enough signal to learn from).
CUES = {"vetting": "security_vetting", "clearance": "security_vetting", "funding": "funding_resources",
        "stigma": "stigma_labelling", "label": "stigma_labelling", "labelled": "stigma_labelling",
        "disclosure": "disclosure_storytelling", "burnout": "emotional_toll_burnout",
        "boundaries": "boundaries_risk", "credibility": "credibility_legitimacy", "volunteer": "volunteering_pathway",
        "supervision": "training_support_supervision", "them-and-us": "them_and_us", "trust": "trust_relationships"}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_study(source: Path, target: Path):  # -> Study
    """A fresh study holding the generated transcripts and the example codebook."""
    from thematic.study import init_study

    if target.exists():
        shutil.rmtree(target)
    study = init_study(target, name="bench", codebook="codebooks/peer-work-desistance.yaml")
    shutil.rmtree(target / "data" / "raw")
    shutil.copytree(source / "data" / "raw", target / "data" / "raw")
    shutil.copy(CODEBOOK, target / "codebooks" / CODEBOOK.name)
    return study


def synthetic_coding(study, n_docs: int, limit: int = 400) -> int:
    """Manual codings by 'bench' (at most two per turn, ``limit`` in all) on the first ``n_docs`` documents."""
    from thematic.models import Coding

    docs = sorted(study.store.document_hashes())[:n_docs]
    segs = study.store.segments(document=docs, include_interviewer=False)
    codings = []
    for row in segs.itertuples(index=False):
        words = set(str(row.text).lower().replace(".", " ").replace("?", " ").replace("!", " ").split())
        for cue in sorted(words & set(CUES))[:2]:
            codings.append(Coding(str(row.document_id), int(row.start), int(row.end), CUES[cue], "bench",
                                  status="manual", text=str(row.text), segment_id=str(row.segment_id)))
    return study.store.add_codings(codings[:limit])[0]


def train(study) -> dict[str, object]:
    """Fit the model once (saved under data/coded/models, so the run loads it instead)."""
    from thematic.coding.run import study_codebook, training_codings
    from thematic.coding.suggest import ModelSuggester

    t0 = time.perf_counter()
    cods = training_codings(study, None)
    segs = study.store.segments(document=sorted(set(cods["document_id"])), include_interviewer=False)
    model = ModelSuggester(model_dir=str(study.paths.coded / "models")).fit(segs, cods, study_codebook(study))
    return {"train_s": round(time.perf_counter() - t0, 1), "training_segments": model.n_training_segments_,
            "codes_learned": len(model.codes_), "codes_skipped": len(model.skipped_codes_)}


def change_one_file(study) -> None:
    """Append a participant turn to one transcript (not one of the hand-coded ones: changing those
    changes the model's training data, so the model retrains and re-suggests everything)."""
    path = sorted((study.paths.raw / "interviews").glob("*.txt"))[-1]
    text = path.read_text(encoding="utf-8")
    speaker = text.splitlines()[3].split("] ", 1)[1].split(":", 1)[0]
    path.write_text(text + f"[01:59:00] {speaker}: The vetting took months and the funding ran out.\n",
                    encoding="utf-8")


def run_code(source: Path, target: Path, words: int) -> dict[str, object]:
    """Ingest, code by hand, train, then time the three `code()` runs in this process."""
    from thematic.coding.run import code
    from thematic.ingest.run import ingest

    study = make_study(source, target)
    t0 = time.perf_counter()
    ingest(study)
    out: dict[str, object] = {"words": words, "ingest_s": round(time.perf_counter() - t0, 1)}
    out["synthetic_codings"] = synthetic_coding(study, n_docs=8)
    out.update(train(study))
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    first = code(study, suggesters=["rules", "model"])
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0 + _children_cpu() - k0
    out.update({"first_s": round(wall, 2), "words_per_s": round(words / wall), "cpu_s": round(cpu, 2),
                "load": [round(x, 2) for x in os.getloadavg()], "peak_rss_mb": round(_rss_mb()),
                "suggested": first.added, "runs": [[r.name, r.status, r.segments, r.added, round(r.seconds, 2),
                                                   r.reason] for r in first.runs]})
    t0 = time.perf_counter()
    second = code(study, suggesters=["rules", "model"])
    out.update({"unchanged_s": round(time.perf_counter() - t0, 2), "unchanged_nothing": second.nothing_changed})
    change_one_file(study)
    t0 = time.perf_counter()
    third = code(study, suggesters=["rules", "model"])
    out.update({"one_changed_s": round(time.perf_counter() - t0, 2), "one_changed_added": third.added,
                "peak_rss_mb_all": round(_rss_mb()),
                "workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)})
    study.close()
    return out


def run_similarity(target: Path, sample: int) -> dict[str, object]:
    """Segments/s of the similarity suggester on ``sample`` participant segments (cold cache, model loaded)."""
    from thematic.coding.run import study_codebook
    from thematic.coding.suggest import SimilaritySuggester
    from thematic.coding.suggest._embed import embeddings_available
    from thematic.study import Study

    if not embeddings_available():
        return {"similarity": "not installed"}
    study = Study(target)
    segs = study.store.segments(include_interviewer=False).head(sample)
    t0 = time.perf_counter()
    s = SimilaritySuggester().fit(None, None, study_codebook(study))
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    s.suggest(segs)
    wall = time.perf_counter() - t0
    words = int(segs["text"].str.count(r"\S+").sum())
    study.close()
    return {"similarity_load_s": round(load, 1), "similarity_segments": len(segs), "similarity_words": words,
            "similarity_segments_per_s": round(len(segs) / wall, 1), "similarity_peak_rss_mb": round(_rss_mb())}


def _child(*args: str) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_manual(fills: list[int], calls: int = 50) -> None:
    """CPU ms per ``study.code()`` call on one 6,000-turn transcript already holding N codings: flat in N
    (it grew with N, each call loading the document's codings)."""
    from thematic.study import Study, init_study

    with tempfile.TemporaryDirectory(prefix="thematic-bench-manual-") as tmp:
        init_study(Path(tmp), name="bench").close()
        shutil.copy(Path(__file__).resolve().parents[1] / "codebooks" / "peer-work-desistance.yaml",
                    Path(tmp) / "codebooks" / "cb.yaml")
        lines = [x for i in range(6000) for x in ("Interviewer: And then?", f"Ann: The peer mentor helped me, turn {i}.")]
        (Path(tmp) / "data" / "raw" / "one.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with Study(Path(tmp)) as study:
            study.ingest()
            segs = study.segments(include_interviewer=False)
            codes = [c.id for c in study.codebook.codes]
            ids, done = list(segs["segment_id"]), 0
            for target in fills:
                if target > done:
                    study.code_hits(segs.iloc[done:target][["document_id", "segment_id", "start", "end"]], codes[0],
                                    coder="A")
                    done = target
                probe = ids[5900:5900 + calls]
                c0 = time.process_time()
                for sid in probe:
                    study.code(sid, codes[1], coder="A")
                ms = (time.process_time() - c0) / len(probe) * 1000
                print(f"codings already in the document {target:>6,} | study.code() {ms:6.1f} ms CPU per call")
                for sid in probe:
                    study.uncode(sid, codes[1], coder="A")


def main() -> None:
    """Generate once, then measure each part in its own process."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--similarity-sample", type=int, default=200, help="segments for the similarity timing (0: skip)")
    ap.add_argument("--manual", default="", help="only time study.code() against codings in the document, e.g. 0,5000")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.manual:
        bench_manual([int(n) for n in args.manual.split(",")])
        return
    if args.child:
        kind, *rest = args.child
        result = run_code(Path(rest[0]), Path(rest[1]), int(rest[2])) if kind == "code" else \
            run_similarity(Path(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="thematic-bench-code-") as tmp:
        base = Path(tmp)
        words = generate(base / "gen", args.words)
        print(f"generated {words:,} words in {sum(1 for _ in (base / 'gen').rglob('*.txt'))} interviews")
        r = _child("code", str(base / "gen"), str(base / "study"), str(words))
        print(f"ingest (reported apart): {r['ingest_s']} s; synthetic manual codings: {r['synthetic_codings']}")
        print(f"model training (excluded): {r['train_s']} s on {r['training_segments']} segments, "
              f"{r['codes_learned']} codes learned, {r['codes_skipped']} skipped (too few examples)")
        print(f"code, rules + model, first run: {r['first_s']} s = {r['words_per_s']:,} words/s "
              f"(target >= 150,000); CPU {r['cpu_s']} s incl. workers; load average {r['load']}; "
              f"{r['suggested']:,} suggestions; peak RSS {r['peak_rss_mb']} MB (target < 1,500)")
        for name, status, segs, added, secs, reason in r["runs"]:
            print(f"  {name}: {status}, {segs:,} segments, {added:,} suggested, {secs} s {reason or ''}")
        print(f"second run, nothing changed: {r['unchanged_s']} s (target < 2), nothing_changed={r['unchanged_nothing']}")
        print(f"after one changed file: {r['one_changed_s']} s (target < 3), {r['one_changed_added']} new suggestions; "
              f"peak RSS over all runs {r['peak_rss_mb_all']} MB (a worker process: {r['workers_peak_rss_mb']} MB, "
              "mostly pages shared with the parent by fork)")
        if args.similarity_sample:
            s = _child("similarity", str(base / "study"), str(args.similarity_sample))
            if "similarity" in s:
                print(f"similarity: {s['similarity']}")
            else:
                print(f"similarity: {s['similarity_segments_per_s']} segments/s on {s['similarity_segments']} segments "
                      f"({s['similarity_words']:,} words; model load {s['similarity_load_s']} s, cold cache); "
                      f"peak RSS {s['similarity_peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
