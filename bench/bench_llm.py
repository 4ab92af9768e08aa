"""Benchmark the llm suggester through an OpenAI-compatible server: passages/s and tokens/s.

Codes the first N passages of the example gold file with the example study's codebook (the
codebook as the model sees it, batched when it does not fit the context), cold (every answer
asked) and then warm (every answer from the cache). Without ``--base-url`` it starts
``python -m llama_cpp.server`` with the Gemma 3 270M GGUF of the ``llm`` extra on 127.0.0.1 and
stops it at the end. Usage::

    python bench/bench_llm.py                                   # tiny Gemma via llama.cpp, 20 passages
    python bench/bench_llm.py --base-url http://127.0.0.1:11434/v1 --model llama3.1:8b --context 8192
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", default=None)
    ap.add_argument("--model", default="gemma3-270m")
    ap.add_argument("--passages", type=int, default=20)
    ap.add_argument("--context", type=int, default=4096)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--codebook", default=str(REPO / "codebooks" / "peer-work-desistance.yaml"))
    args = ap.parse_args()

    import pandas as pd

    from thematic import schemas
    from thematic.codebook import load_codebook
    from thematic.coding.suggest import LLMSuggester

    proc = None
    base = args.base_url
    if base is None:
        from coding.llm_support import gguf_path, start_llama_server

        log = Path(tempfile.mkdtemp()) / "server.log"
        proc, base = start_llama_server(gguf_path(), log, n_ctx=args.context)
    try:
        gold = [json.loads(x) for x in (REPO / "tests/gold/example-gold.jsonl").read_text().splitlines() if x.strip()]
        rows = [{"segment_id": g["id"], "document_id": g["id"].rsplit(":", 1)[0], "start": 0, "end": len(g["text"]),
                 "is_interviewer": False, "text": g["text"]} for g in gold[: args.passages]]
        segs = schemas.coerce_frame(pd.DataFrame(rows), schemas.SEGMENTS)
        cb = load_codebook(args.codebook)
        with tempfile.TemporaryDirectory() as cache:
            s = LLMSuggester(base_url=base, model=args.model, context_tokens=args.context, max_tokens=args.max_tokens,
                             max_concurrency=args.concurrency, few_shot=0, timeout=args.timeout,
                             cache_dir=cache).fit(None, None, cb)
            t = time.perf_counter()
            out = s.suggest(segs)
            cold = time.perf_counter() - t
            st = dict(s.stats_)
            t = time.perf_counter()
            s.suggest(segs)
            warm = time.perf_counter() - t
        batches = len(s._layout(0))
        words = sum(len(r["text"].split()) for r in rows)
        print(f"server {base}  model {s.model_id_}  codebook {cb.name} ({len(s.codes_)} codes, "
              f"{batches} batch(es) at context {args.context})")
        print(f"cold: {len(rows)} passages ({words} words) in {cold:.1f} s = {len(rows) / cold:.2f} passages/s; "
              f"{st['requests']} requests")
        print(f"      prompt tokens {st['prompt_tokens']:,} ({st['prompt_tokens'] / cold:,.0f}/s), "
              f"completion tokens {st['completion_tokens']:,} ({st['completion_tokens'] / cold:,.1f}/s), "
              f"all tokens {(st['prompt_tokens'] + st['completion_tokens']) / cold:,.0f}/s")
        print(f"      {len(out)} suggestions; dropped: {st['bad_evidence']} evidence not in passage, "
              f"{st['unknown_code']} unknown code; {st['failed']} answers unusable after a retry")
        print(f"warm (cache): {len(rows) / warm:,.0f} passages/s, requests sent: {s.stats_['requests'] - st['requests']}")
    finally:
        if proc is not None:
            from coding.llm_support import stop_process

            stop_process(proc)


if __name__ == "__main__":
    main()
