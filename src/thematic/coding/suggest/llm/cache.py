"""Answers already received, kept as JSON files under the study's data/coded/cache/llm (never pickles).

The key is (model id, model digest where reported, prompt-template hash, passage hash): a re-run
with the same model, codebook, few-shot examples and settings sends nothing for a passage it has
seen. Each answer is written atomically as it arrives, so an interrupted run keeps every answer
received. Only the model's reply text is kept, not the passage.

An answer that failed (empty, or not the JSON asked for) is kept in memory only, for the rest of
this run, and counted in ``unanswered.json``: the suggester's fingerprint carries that count, so the
next `thematic code` runs it again and asks for those passages anew.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ...._atomic import write_text_atomic


def passage_hash(message: str) -> str:
    """The hash of a passage's user message (text, speaker role, survey question)."""
    return hashlib.sha256(message.encode("utf-8")).hexdigest()


def cache_key(model_id: str, digest: str | None, template_hash: str, phash: str) -> str:
    """The file key of one answer."""
    return hashlib.sha256(json.dumps([model_id, digest or "", template_hash, phash]).encode()).hexdigest()


#: The file counting the answers that failed (never cached), beside the answers.
UNANSWERED = "unanswered.json"


def unanswered(folder: Path | None) -> int:
    """How many answers have failed (and were not cached) in ``folder`` so far: 0 when none or unreadable."""
    if folder is None:
        return 0
    try:
        value = json.loads((folder / UNANSWERED).read_text(encoding="utf-8")).get("count", 0)
    except (OSError, ValueError, AttributeError):
        return 0
    return value if isinstance(value, int) and value > 0 else 0


class AnswerCache:
    """Answers by key in ``folder`` (None: kept in memory only, for this object's life)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, dict[str, Any]] = {}
        self._failed: set[str] = set()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry for ``key``, or None (an unreadable file counts as missing)."""
        if key in self._memory:
            return self._memory[key]
        if self.folder is None:
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("replies"), list):
            return None
        self._memory[key] = entry
        return entry

    def put(self, key: str, entry: dict[str, Any], *, ok: bool = True) -> None:
        """Store ``entry`` (written to disk at once, atomically); a failed one (``ok`` False) in memory only,
        counted in ``unanswered.json``."""
        self._memory[key] = entry
        if not ok:
            self._failed.add(key)
            if self.folder is not None:
                count = unanswered(self.folder) + 1
                self.folder.mkdir(parents=True, exist_ok=True)
                write_text_atomic(self.folder / UNANSWERED, json.dumps({"count": count}), internal=True)
            return
        self._failed.discard(key)
        if self.folder is not None:
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, json.dumps(entry, ensure_ascii=False, sort_keys=True), internal=True)

    def failed_here(self, key: str) -> bool:
        """True when ``key``'s entry is an answer that failed in this object's life (not on disk)."""
        return key in self._failed

    def __len__(self) -> int:
        if self.folder is None or not self.folder.is_dir():
            return len(self._memory)
        return sum(1 for _ in self.folder.glob("*/*.json"))
