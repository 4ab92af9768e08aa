"""The in-process backend: llama-cpp-python with a GGUF file, the same prompts and answers as over HTTP.

Needs the optional ``llm`` extra. The model file's SHA-256 is its digest (computed once per file
version and kept in the cache folder beside the answers). Passages are measured with the model's
own tokenizer; a prompt that still does not fit raises ``ContextOverflow`` (the passage is skipped),
any other failure of llama.cpp is E654. A file llama.cpp cannot load is E641 (an InputError: the llm is skipped).
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from ...._atomic import write_text_atomic
from ....errors import Errors, InputError, OptionalDependencyError, ServiceError
from .client import ContextOverflow, Reply, is_overflow


def file_digest(path: Path, cache_dir: Path | None) -> str:
    """``sha256:<hex>`` of ``path``, remembered by (path, size, mtime) under ``cache_dir``."""
    st = path.stat()
    memo = cache_dir / "gguf-digests.json" if cache_dir is not None else None
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    known: dict[str, str] = {}
    if memo is not None and memo.is_file():
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    if key not in known:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        known[key] = f"sha256:{h.hexdigest()}"
        if memo is not None:
            memo.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(memo, json.dumps(known, indent=1, sort_keys=True), internal=True)
    return known[key]


class LlamaCppBackend:
    """Chat completions from a GGUF model loaded in this process (one request at a time)."""

    def __init__(self, gguf: str, *, context_tokens: int, cache_dir: Path | None = None) -> None:
        self.path = Path(gguf).expanduser()
        self.context_tokens = context_tokens
        self.cache_dir = cache_dir
        self.model = self.path.name
        self.requests = 0
        self._llm: Any = None
        self._lock = threading.Lock()

    def describe(self) -> dict[str, Any]:
        """The model id (the file name) and digest (its SHA-256); loads the model (E656/E657; E641 when the file
        is not a loadable GGUF model, so the run skips the llm)."""
        if not self.path.is_file():
            raise InputError(Errors.E657.format(path=self.path))
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise OptionalDependencyError(Errors.E656.format(detail=exc)) from exc
        if self._llm is None:
            try:
                self._llm = Llama(model_path=str(self.path), n_ctx=self.context_tokens, verbose=False)
            except Exception as exc:  # noqa: BLE001 - llama.cpp's ValueError (not GGUF, truncated) or others
                said = " ".join(str(exc).replace(str(self.path), "").split()).rstrip(": .") or type(exc).__name__
                raise InputError(Errors.E641.format(path=self.path, detail=f"llama.cpp: {said}")) from exc
        return {"model_id": self.model, "digest": file_digest(self.path, self.cache_dir)}

    def chat(self, messages: list[dict[str, str]], schema: dict[str, Any], *, temperature: float,
             seed: int | None, max_tokens: int) -> Reply:
        """One completion constrained by ``schema`` (llama.cpp turns it into a grammar); ``ContextOverflow``
        when the prompt does not fit the context, E654 when llama.cpp fails otherwise."""
        with self._lock:
            self.requests += 1
            try:
                out = self._llm.create_chat_completion(
                    messages=messages, response_format={"type": "json_object", "schema": schema},
                    temperature=temperature, seed=seed, max_tokens=max_tokens)
                usage = out.get("usage") or {}
                text = out["choices"][0]["message"].get("content") or ""
            except Exception as exc:  # noqa: BLE001 - llama.cpp raises ValueError/RuntimeError/...: all coded
                said = " ".join(str(exc).split()) or type(exc).__name__
                if is_overflow(said):
                    raise ContextOverflow(said) from exc
                raise ServiceError(Errors.E654.format(
                    where=f"The in-process model {self.path}", detail=said.rstrip("."),
                    todo="Check that gguf under [code.llm] names a complete chat model file, or run it under a "
                         "server (`python -m llama_cpp.server --model FILE.gguf`) and set base_url instead.")) from exc
        return Reply(str(text), int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))

    def count_tokens(self, text: str) -> int:
        """The tokens of ``text`` by the model's own tokenizer (what a passage takes of the context)."""
        with self._lock:
            return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
