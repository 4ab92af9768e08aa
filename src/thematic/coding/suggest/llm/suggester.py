"""The ``llm`` suggester: a language model the researcher runs (Ollama, llama.cpp, vLLM, LM Studio) codes passages.

Settings come from thematic.toml ``[code.llm]`` (see docs/assisted-coding.md). The prompt holds
the codebook and, when the study has some, a few of its own manual/accepted codings as examples;
the answer is strict JSON, validated, asked again once when malformed. A suggestion whose code
is not in the codebook or whose evidence is not quoted from the passage is dropped and counted.
Answers are cached under data/coded/cache/llm, so a re-run sends nothing for a passage seen before;
a failed answer is not cached, so the next run asks again. A passage too long for the model's
context (by the estimate, the in-process model's tokenizer, or the server's refusal) is skipped
and named (W653); the rest of the run goes on.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from .... import schemas
from ....codebook import Codebook
from ....errors import Errors, InputError, Warnings
from ..base import SCORES, Suggester, check_is_fitted, check_segments, require_codebook, suggesters
from .answer import Parsed, parse_answer
from .cache import AnswerCache, cache_key, passage_hash, unanswered
from .client import ContextOverflow
from .endpoint import check_endpoint, is_loopback
from .fewshot import few_shot_examples, message_for
from .prompt import (INSTRUCTIONS, MESSAGE_OVERHEAD, RETRY, TEMPLATE_VERSION, Batch, code_block,
                     estimate_tokens, passage_schema, plan_batches, smallest_prompt)

_MARGIN = 32
#: Passages named in a W652/W653 note (the rest are counted).
_NAMED = 5


@suggesters.register("thematic.llm.v1")
class LLMSuggester(Suggester):
    """Suggest codes with a locally run language model over an OpenAI-compatible API (or a GGUF file).

    Example:
        >>> s = LLMSuggester(base_url="http://127.0.0.1:11434/v1", model="llama3.1:8b").fit(None, None, codebook)
        >>> s.suggest(segments)
    """

    name = "thematic.llm.v1"
    runtime_params = frozenset({"cache_dir", "max_concurrency", "timeout", "api_key_env", "allow_remote"})
    provenance_attributes: ClassVar[tuple[str, ...]] = ("model_id_", "model_digest_", "template_hash_", "host_",
                                                        "batch_template_hashes_")
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

    def environment(self) -> dict[str, Any]:
        """How many answers failed so far (never cached): a new failure makes the next run ask again."""
        n = unanswered(Path(self.cache_dir) / "llm" if self.cache_dir else None)
        return {"unanswered": n} if n else {}

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
        self.batch_template_hashes_: list[str] = []
        self.stats_ = dict.fromkeys(("passages", "requests", "cached", "bad_evidence", "unknown_code", "failed",
                                     "too_long", "prompt_tokens", "completion_tokens"), 0)
        self.too_long_: list[tuple[str, int, str]] = []
        self.unanswered_: list[str] = []
        self._codebook, self._codes = cb, codes
        self._smallest = smallest_prompt(codes)
        self._cache = AnswerCache(Path(self.cache_dir) / "llm" if self.cache_dir else None)
        self._layout(0)  # E659 now (a code too long for the context alone), not in the middle of a run
        return self

    def _layout(self, passage_tokens: int) -> list[Batch] | None:
        """The batches for a passage of ``passage_tokens``; None when even one code does not fit beside it."""
        budget = self.context_tokens - self.max_tokens - passage_tokens - MESSAGE_OVERHEAD - _MARGIN
        needed, code = self._smallest
        if budget < needed:
            if passage_tokens:
                return None  # the passage is too long: skipped and named (W653)
            raise InputError(Errors.E659.format(code=code, needed=needed, room=max(0, budget),
                                                context=self.context_tokens, answer=self.max_tokens))
        bucket = max(needed, budget // 64 * 64)
        if bucket not in self.layouts_:
            self.layouts_[bucket] = plan_batches(self._codebook, self._codes, self.examples_, self.generation_, bucket,
                                                 context=self.context_tokens, answer=self.max_tokens)
        return self.layouts_[bucket]

    def _tokens(self, message: str) -> int:
        """A passage message's tokens: the in-process model's tokenizer, else a generous estimate."""
        count = getattr(self.backend_, "count_tokens", None)
        return int(count(message)) if count is not None else estimate_tokens(message)

    def _ask(self, batch: Batch, message: str, text: str) -> dict[str, Any]:
        """Send one request (and one retry if the answer is malformed); the cache entry."""
        msgs = [*batch.messages, {"role": "user", "content": message}]
        schema = passage_schema(batch.code_ids, text, self.max_tokens)
        replies, usage = [], [0, 0]
        for attempt in range(2):
            try:
                reply = self.backend_.chat(msgs, schema, temperature=self.temperature, seed=self.seed,
                                           max_tokens=self.max_tokens)
            except ContextOverflow:
                if attempt == 0:
                    raise  # the passage does not fit: skipped by the caller
                break  # the retry, longer by the bad answer, does not fit: the first answer stands (failed)
            replies.append(reply.text)
            usage = [usage[0] + reply.prompt_tokens, usage[1] + reply.completion_tokens]
            if attempt == 0 and not parse_answer(reply.text, text, batch.code_ids).ok:
                msgs = [*msgs, {"role": "assistant", "content": reply.text}, {"role": "user", "content": RETRY}]
                continue
            break
        return {"model": self.model_id_, "digest": self.model_digest_, "template_hash": batch.template_hash,
                "replies": replies, "prompt_tokens": usage[0], "completion_tokens": usage[1], "requests": len(replies)}

    def _answers(self, segs: pd.DataFrame) -> list[dict[str, tuple[float, str]]]:
        """Each segment's merged, validated codes: from the cache, or asked now (answers cached as they come).

        A passage too long for the context gets none and is named in W653; one without a usable answer
        gets none and is named in W652 (its answer is not cached, so the next run asks again).
        """
        rows = segs.to_dict("records")
        work: list[tuple[int, int, Batch, str, str]] = []
        first: dict[str, tuple[int, int]] = {}
        same: list[tuple[tuple[int, int], tuple[int, int]]] = []
        entries: dict[tuple[int, int], dict[str, Any]] = {}
        layouts: list[list[Batch]] = []
        tokens: list[int] = []
        too_long: dict[int, str] = {}
        for i, row in enumerate(rows):
            message = message_for(row)
            tokens.append(self._tokens(message))
            batches = self._layout(tokens[i])
            if batches is None:
                too_long[i] = ""
                batches = []
            layouts.append(batches)
            for j, batch in enumerate(batches):
                if batch.template_hash not in self.batch_template_hashes_:
                    self.batch_template_hashes_ = sorted([*self.batch_template_hashes_, batch.template_hash])
                key = cache_key(self.model_id_, self.model_digest_, batch.template_hash, passage_hash(message))
                hit = self._cache.get(key)
                if hit is not None and not self._cache.failed_here(key) \
                        and not parse_answer(_last(hit), str(row["text"]), batch.code_ids).ok:
                    hit = None  # a failed answer cached by an earlier version: asked again
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
            sent, refused = self._send(work, rows)
            entries.update(sent)
            too_long.update(refused)
            entries.update({ij: entries[src] for ij, src in same if src in entries})
            too_long.update({ij[0]: refused[src[0]] for ij, src in same if src[0] in refused})
        out = []
        for i, row in enumerate(rows):
            merged: dict[str, tuple[float, str]] = {}
            self.stats_["passages"] += 1
            if i in too_long:  # no suggestions at all, not those of the batches that fitted
                self.stats_["too_long"] += 1
                self.too_long_.append((str(row["segment_id"]), tokens[i], too_long[i]))
                out.append(merged)
                continue
            failed = False
            for j, batch in enumerate(layouts[i]):
                parsed = self._parse(entries[i, j], str(row["text"]), batch)
                failed = failed or not parsed.ok
                for code, (conf, ev) in parsed.codes.items():
                    if code not in merged or merged[code][0] < conf:
                        merged[code] = (conf, ev)
            if failed:
                self.unanswered_.append(str(row["segment_id"]))
            out.append(merged)
        return out

    def _parse(self, entry: dict[str, Any], text: str, batch: Batch) -> Parsed:
        parsed = parse_answer(_last(entry), text, batch.code_ids)
        if not parsed.ok:
            self.stats_["failed"] += 1
        self.stats_["bad_evidence"] += parsed.bad_evidence
        self.stats_["unknown_code"] += parsed.unknown_code
        return parsed

    def _send(self, work: list[Any], rows: list[dict[str, Any]]
              ) -> tuple[dict[tuple[int, int], dict[str, Any]], dict[int, str]]:
        """Ask for each (passage, batch) of ``work``: the answers, and the passages the model said were too long
        (with what it said). Each answer is cached as it arrives (a failed one in memory only, so the next run
        asks again); after a request fails, those not yet sent are dropped, those under way are let finish and
        cached, then the failure is raised."""
        done: dict[tuple[int, int], dict[str, Any]] = {}
        refused: dict[int, str] = {}
        failure: Exception | None = None
        pool = ThreadPoolExecutor(max_workers=int(self.max_concurrency), thread_name_prefix="thematic-llm")
        futures: dict[Future[dict[str, Any]], tuple[int, int, str, Batch]] = {}
        try:
            for i, j, batch, message, key in work:
                futures[pool.submit(self._ask, batch, message, str(rows[i]["text"]))] = (i, j, key, batch)
            for fut in as_completed(futures):
                if fut.cancelled():
                    continue
                i, j, key, batch = futures[fut]
                try:
                    entry = fut.result()
                except ContextOverflow as exc:
                    refused[i] = str(exc)
                    continue
                except Exception as exc:  # noqa: BLE001 - a ServiceError (E650/E652/E654): raised once the rest is in
                    if failure is None:
                        failure = exc
                        for other in futures:
                            other.cancel()  # not sent yet: not sent at all
                    continue
                ok = parse_answer(_last(entry), str(rows[i]["text"]), batch.code_ids).ok
                self._cache.put(key, entry, ok=ok)
                done[i, j] = entry
                self.stats_["requests"] += entry["requests"]
                self.stats_["prompt_tokens"] += entry["prompt_tokens"]
                self.stats_["completion_tokens"] += entry["completion_tokens"]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        if failure is not None:
            raise failure
        return done, refused

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
        """What a run report should say: the remote host passages went to, dropped suggestions, failed answers
        (W652) and passages too long for the context (W653), each named."""
        notes = []
        if getattr(self, "host_", "in-process") not in ("in-process",) and not is_loopback(self.host_):
            notes.append(Warnings.W650.format(host=self.host_))
        st = getattr(self, "stats_", {})
        if st.get("bad_evidence") or st.get("unknown_code"):
            notes.append(Warnings.W651.format(n=st["bad_evidence"] + st["unknown_code"], evidence=st["bad_evidence"],
                                              unknown=st["unknown_code"]))
        if st.get("failed"):
            unanswered = list(dict.fromkeys(getattr(self, "unanswered_", [])))
            notes.append(Warnings.W652.format(n=len(unanswered), segments=_named(unanswered)))
        if st.get("too_long"):
            long = list({sid: (sid, n, d) for sid, n, d in getattr(self, "too_long_", [])}.values())
            said = next((d for _, _, d in long if d), "")
            notes.append(Warnings.W653.format(
                n=len(long), context=self.context_tokens,
                segments=_named([f"{sid} (about {n:,} tokens)" for sid, n, _ in long]),
                said=f" The model said: {said.rstrip('.')}." if said else ""))
        return notes


def _last(entry: dict[str, Any]) -> str:
    """The last reply of a cache entry (the retry's, if there was one)."""
    return str(entry["replies"][-1]) if entry.get("replies") else ""


def _named(items: list[str]) -> str:
    """The first few of ``items``, and how many more."""
    more = len(items) - _NAMED
    return ", ".join(items[:_NAMED]) + (f" and {more} more" if more > 0 else "")
