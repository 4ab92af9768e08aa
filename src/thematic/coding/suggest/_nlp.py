"""The spaCy pipeline the rules suggester matches on: blank English with lookup lemmas, once per process.

Matching is on each token's ``NORM``, which here holds the *lowercased lookup lemma* of the word
("Vetting", "vetted" -> "vet"). The lemmas come from the lookup lemmatizer's table in
spacy-lookups-data (the table ``nlp.add_pipe("lemmatizer", config={"mode": "lookup"})`` uses) and
are written into the vocabulary's lexemes the first time a word is seen. A token reads its NORM
from its lexeme, so matching needs only the tokenizer: about six times faster than running the
lemmatizer component on every token, with the same lemmas (and case-insensitive, which the
component is not).
"""

from __future__ import annotations

import gzip
import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """The English lookup-lemma table (lowercase word -> lowercase lemma) from spacy-lookups-data."""
    import spacy_lookups_data

    path = Path(str(spacy_lookups_data.en["lemma_lookup"]))
    if not path.exists():
        path = path.with_name(path.name + ".gz")
    raw = path.read_bytes()
    data = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    table: dict[str, str] = {}
    for word, lemma in data.items():
        table.setdefault(str(word).lower(), str(lemma).lower())
    return table


def lemma_of(word: str) -> str:
    """The lowercase lookup lemma of one word (the word itself, lowercased, if not in the table)."""
    low = word.lower()
    return lemma_table().get(low, low)


class LemmaNLP:
    """A blank English pipeline whose lexeme NORMs are lowercase lookup lemmas (see module doc)."""

    def __init__(self) -> None:
        import spacy

        self.nlp = spacy.blank("en")  # only its tokenizer is used: no lemmatizer component to load
        self.vocab = self.nlp.vocab
        self._table = lemma_table()
        self._done: set[int] = set()

    def _set_norms(self, orths: Iterable[int]) -> None:
        strings, vocab, table = self.vocab.strings, self.vocab, self._table
        for orth in orths:
            orth = int(orth)
            if orth in self._done:
                continue
            self._done.add(orth)
            text = strings[orth]
            lemma = table.get(text.lower())
            if lemma is not None:
                vocab[orth].norm_ = lemma

    def pipe(self, texts: Iterable[str], *, batch_size: int = 1000) -> Iterator[Any]:
        """Tokenise ``texts`` in batches, NORMs set to lemmas (the lemmatizer pipe is not run)."""
        from spacy.attrs import ORTH

        batch: list[Any] = []
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._finish(batch, ORTH)
                batch = []
        if batch:
            yield from self._finish(batch, ORTH)

    def _finish(self, docs: list[Any], orth_attr: int) -> list[Any]:
        with _LOCK:
            arrays = [d.to_array([orth_attr]) for d in docs if len(d)]
            if arrays:
                self._set_norms(np.unique(np.concatenate(arrays)).tolist())
        return docs

    def make_doc(self, text: str) -> Any:
        """One tokenised text with lemma NORMs."""
        return next(iter(self.pipe([text])))


@lru_cache(maxsize=1)
def lemma_nlp() -> LemmaNLP:
    """The shared pipeline (built once per process, then reused by every rules suggester)."""
    return LemmaNLP()


def norm_tokens(text: str) -> list[str]:
    """The NORMs (lowercase lemmas) of the tokens of ``text`` as the rules suggester sees them."""
    return [t.norm_ for t in lemma_nlp().make_doc(text)]
