"""The ``llm`` suggester: a language model the researcher runs (Ollama, llama.cpp, vLLM, LM Studio) codes passages.

Settings come from thematic.toml ``[code.llm]`` (see docs/assisted-coding.md). The prompt holds
the codebook and, when the study has some, a few of its own manual/accepted codings as examples;
the answer is strict JSON, validated, asked again once when malformed. A suggestion whose code
is not in the codebook or whose evidence is not quoted from the passage is dropped and counted.
Answers are cached under data/coded/cache/llm, so a re-run sends nothing for a passage seen before.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from .... import schemas
from ....codebook import Codebook
from ....errors import Errors, InputError, Warnings
from ..base import SCORES, Suggester, check_is_fitted, check_segments, require_codebook, suggesters
from .answer import Parsed, parse_answer
from .cache import AnswerCache, cache_key, passage_hash
from .endpoint import check_endpoint, is_loopback
from .fewshot import few_shot_examples, message_for
from .prompt import (INSTRUCTIONS, MESSAGE_OVERHEAD, RETRY, TEMPLATE_VERSION, Batch, code_block,
                     estimate_tokens, passage_schema, plan_batches)

_MARGIN = 32


@suggesters.register("thematic.llm.v1")
class LLMSuggester(Suggester):
    """Suggest codes with a locally run language model over an OpenAI-compatible API (or a GGUF file).

    Example:
        >>> s = LLMSuggester(base_url="http://127.0.0.1:11434/v1", model="llama3.1:8b").fit(None, None, codebook)
        >>> s.suggest(segments)
    """

    name = "thematic.llm.v1"
    runtime_params = frozenset({"cache_dir", "max_concurrency", "timeout", "api_key_env", "allow_remote"})
    provenance_attributes: ClassVar[tuple[str, ...]] = ("model_id_", "model_digest_", "template_hash_", "host_")
    parallel_chunks = False

    def __init__(self, *, base_url: str = "http://127.0.0.1:11434/v1", model: str = "", temperature: float = 0.0,
                 seed: int | None = 0, max_concurrency: int = 2, timeout: float = 120.0,
                 api_key_env: str | None = None, allow_remote: bool = False, context_tokens: int = 4096,
                 max_tokens: int = 256, few_shot: int = 4, min_confidence: float = 0.0, gguf: str | None = None,
                 cache_dir: str | None = None) -> None:
        self.base_url = base_url
        self.model = model
        self.temperature = temperature
        self.seed = seed
        self.max_concurrency = max_concurrency
        self.timeout = timeout
        self.api_key_env = api_key_env
        self.allow_remote = allow_remote
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        self.few_shot = few_shot
        self.min_confidence = min_confidence
        self.gguf = gguf
        self.cache_dir = cache_dir

    @property  # type: ignore[override]
    def needs_codings(self) -> bool:
        """True when few-shot examples are wanted (then `thematic code` passes the study's codings to ``fit``)."""
        return self.few_shot > 0

    @property
    def chunk_size(self) -> int:  # type: ignore[override]
        """Passages per ``suggest`` call in a run: small, so the progress bar moves with the answers."""
        return max(1, 4 * int(self.max_concurrency))

    def _check_params(self) -> None:
        rules = [("temperature", self.temperature >= 0, "a number of at least 0"),
                 ("max_concurrency", isinstance(self.max_concurrency, int) and self.max_concurrency >= 1,
                  "a whole number of at least 1"),
                 ("timeout", self.timeout > 0, "seconds, more than 0"),
                 ("context_tokens", isinstance(self.context_tokens, int) and self.context_tokens >= 256,
                  "a whole number of tokens of at least 256"),
                 ("max_tokens", isinstance(self.max_tokens, int) and 16 <= self.max_tokens < self.context_tokens,
                  "a whole number from 16 to below context_tokens"),
                 ("few_shot", isinstance(self.few_shot, int) and self.few_shot >= 0, "a whole number of at least 0"),
                 ("min_confidence", 0 <= self.min_confidence <= 1, "a number from 0 to 1")]
        for key, ok, why in rules:
            if not ok:
                raise InputError(Errors.E653.format(key=key, value=getattr(self, key), why=why))

    def _backend(self) -> tuple[Any, str]:
        if self.gguf:
            from .local import LlamaCppBackend

            folder = Path(self.cache_dir) / "llm" if self.cache_dir else None
            return LlamaCppBackend(self.gguf, context_tokens=self.context_tokens, cache_dir=folder), "in-process"
        from .client import HttpBackend

        host = check_endpoint(self.base_url, self.allow_remote)
        return HttpBackend(self.base_url, self.model, timeout=self.timeout, api_key_env=self.api_key_env), host

    def fit(self, segments: pd.DataFrame | None = None, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "LLMSuggester":
        """Check the settings, reach the model (E650/E651/E655 when it cannot be used), build the prompt template."""
        cb = require_codebook(codebook, "build the prompt from")
        self._check_params()
        backend, host = self._backend()
        info = backend.describe()
        codes = cb.codable()
        self.examples_ = few_shot_examples(segments, codings, [c.id for c in codes], self.few_shot)
        self.generation_ = {"temperature": self.temperature, "seed": self.seed, "max_tokens": self.max_tokens}
        self.template_hash_ = hashlib.sha256(json.dumps(
            [TEMPLATE_VERSION, INSTRUCTIONS, [code_block(c) for c in codes],
             [[e.passage, list(e.codes)] for e in self.examples_], self.generation_]).encode()).hexdigest()
        self.codes_ = [c.id for c in codes]
        self.model_id_, self.model_digest_, self.host_ = info["model_id"], info["digest"], host
        self.codebook_version_ = cb.version
        self.backend_ = backend
        self.layouts_: dict[int, list[Batch]] = {}
        self.stats_ = dict.fromkeys(("passages", "requests", "cached", "bad_evidence", "unknown_code", "failed",
                                     "prompt_tokens", "completion_tokens"), 0)
        self._codebook, self._codes = cb, codes
        self._cache = AnswerCache(Path(self.cache_dir) / "llm" if self.cache_dir else None)
        self._layout(0)  # E659 now, not in the middle of a run
        return self

    def _layout(self, passage_tokens: int) -> list[Batch]:
        budget = self.context_tokens - self.max_tokens - passage_tokens - MESSAGE_OVERHEAD - _MARGIN
        bucket = max(0, budget // 64 * 64)
        if bucket not in self.layouts_:
            self.layouts_[bucket] = plan_batches(self._codebook, self._codes, self.examples_, self.generation_, bucket)
        return self.layouts_[bucket]

    def _ask(self, batch: Batch, message: str, text: str) -> dict[str, Any]:
        """Send one request (and one retry if the answer is malformed); the cache entry."""
        msgs = [*batch.messages, {"role": "user", "content": message}]
        schema = passage_schema(batch.code_ids, text, self.max_tokens)
        replies, usage = [], [0, 0]
        for attempt in range(2):
            reply = self.backend_.chat(msgs, schema, temperature=self.temperature, seed=self.seed,
                                       max_tokens=self.max_tokens)
            replies.append(reply.text)
            usage = [usage[0] + reply.prompt_tokens, usage[1] + reply.completion_tokens]
            if attempt == 0 and not parse_answer(reply.text, text, batch.code_ids).ok:
                msgs = [*msgs, {"role": "assistant", "content": reply.text}, {"role": "user", "content": RETRY}]
                continue
            break
        return {"model": self.model_id_, "digest": self.model_digest_, "template_hash": batch.template_hash,
                "replies": replies, "prompt_tokens": usage[0], "completion_tokens": usage[1], "requests": len(replies)}

    def _answers(self, segs: pd.DataFrame) -> list[dict[str, tuple[float, str]]]:
        """Each segment's merged, validated codes: from the cache, or asked now (answers cached as they come)."""
        rows = segs.to_dict("records")
        work: list[tuple[int, int, Batch, str, str]] = []
        first: dict[str, tuple[int, int]] = {}
        same: list[tuple[tuple[int, int], tuple[int, int]]] = []
        entries: dict[tuple[int, int], dict[str, Any]] = {}
        layouts = []
        for i, row in enumerate(rows):
            message = message_for(row)
            batches = self._layout(estimate_tokens(message))
            layouts.append(batches)
            for j, batch in enumerate(batches):
                key = cache_key(self.model_id_, self.model_digest_, batch.template_hash, passage_hash(message))
                hit = self._cache.get(key)
                if hit is not None:
                    entries[i, j] = hit
                    self.stats_["cached"] += 1
                elif key in first:
                    same.append(((i, j), first[key]))  # the same passage twice in this call: asked once
                else:
                    first[key] = (i, j)
                    work.append((i, j, batch, message, key))
        if work:  # batch by batch: a server that keeps the last prompt's prefix (llama.cpp) reuses the codebook part
            work.sort(key=lambda w: (w[1], w[0]))
            entries.update(self._send(work, rows))
            entries.update({ij: entries[src] for ij, src in same})
        out = []
        for i, row in enumerate(rows):
            merged: dict[str, tuple[float, str]] = {}
            for j, batch in enumerate(layouts[i]):
                parsed = self._parse(entries[i, j], str(row["text"]), batch)
                for code, (conf, ev) in parsed.codes.items():
                    if code not in merged or merged[code][0] < conf:
                        merged[code] = (conf, ev)
            self.stats_["passages"] += 1
            out.append(merged)
        return out

    def _parse(self, entry: dict[str, Any], text: str, batch: Batch) -> Parsed:
        parsed = parse_answer(str(entry["replies"][-1]) if entry["replies"] else "", text, batch.code_ids)
        if not parsed.ok:
            self.stats_["failed"] += 1
        self.stats_["bad_evidence"] += parsed.bad_evidence
        self.stats_["unknown_code"] += parsed.unknown_code
        return parsed

    def _send(self, work: list[Any], rows: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
        done: dict[tuple[int, int], dict[str, Any]] = {}
        pool = ThreadPoolExecutor(max_workers=int(self.max_concurrency), thread_name_prefix="thematic-llm")
        futures: dict[Future[dict[str, Any]], tuple[int, int, str]] = {}
        try:
            for i, j, batch, message, key in work:
                futures[pool.submit(self._ask, batch, message, str(rows[i]["text"]))] = (i, j, key)
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for fut in finished:
                    i, j, key = futures[fut]
                    entry = fut.result()  # a ServiceError stops the run here; answers so far are cached
                    self._cache.put(key, entry)
                    done[i, j] = entry
                    self.stats_["requests"] += entry["requests"]
                    self.stats_["prompt_tokens"] += entry["prompt_tokens"]
                    self.stats_["completion_tokens"] += entry["completion_tokens"]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return done

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """The codes the model gave each segment, with its confidence and the evidence it quoted."""
        check_is_fitted(self)
        segs = check_segments(segments)
        if segs.empty:
            return schemas.empty_frame(SCORES)
        rows = [(str(sid), code, round(conf, 4), float(self.min_confidence), f'"{ev}"')
                for sid, answer in zip(segs["segment_id"], self._answers(segs))
                for code, (conf, ev) in sorted(answer.items(), key=lambda kv: self.codes_.index(kv[0]))]
        df = pd.DataFrame(rows, columns=list(SCORES))
        return schemas.coerce_frame(df, SCORES)

    def run_notes(self) -> list[str]:
        """What a run report should say: the remote host passages went to, dropped suggestions, failed answers."""
        notes = []
        if getattr(self, "host_", "in-process") not in ("in-process",) and not is_loopback(self.host_):
            notes.append(Warnings.W650.format(host=self.host_))
        st = getattr(self, "stats_", {})
        if st.get("bad_evidence") or st.get("unknown_code"):
            notes.append(Warnings.W651.format(n=st["bad_evidence"] + st["unknown_code"], evidence=st["bad_evidence"],
                                              unknown=st["unknown_code"]))
        if st.get("failed"):
            notes.append(Warnings.W652.format(n=st["failed"]))
        return notes
