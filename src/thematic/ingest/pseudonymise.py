"""Pseudonymisation (DESIGN.md §6): real names -> consistent pseudonyms, with a key kept apart.

Speaker names become the participant id when mapped, else ``Speaker 1``, ``Speaker 2``... (skipping any
label or participant id the study's texts already use, so a pseudonym never names someone else);
named interviewers become ``Interviewer 1``...; optional NER finds ``[Person 1]``, ``[Place 1]``,
``[Organisation 1]``; listed terms become ``[Term 1]`` (or the replacement written as
``"Acme Trust = [a charity]"``). The key (``kind,real,pseudonym``) lives in the study's
``private/`` folder, which no export reads; re-running with the same key gives the same text.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .._csvtext import unclosed_quote, unclosed_quote_detail
from .._perms import private_dir, readable_by_others, write_private
from .._spreadsheet import lf_rows
from ..errors import Errors, InputError, StudyError, Warnings
from .labels import APOSTROPHES, HYPHENS, caseless, label_key, name_parts

#: ``case``: a participant known only by a role label or a file (no participants.csv); never replaced in text.
KINDS = ("speaker", "interviewer", "person", "place", "organisation", "term", "case")
_FORMATS = {"speaker": "Speaker {n}", "interviewer": "Interviewer {n}", "person": "[Person {n}]",
            "place": "[Place {n}]", "organisation": "[Organisation {n}]", "term": "[Term {n}]", "case": "Case {n}"}
_NUMBER = re.compile(r"(\d+)\]?$")
KEY_HEADER = ("kind", "real", "pseudonym")
#: What a name several people share is written as (a name part, a speaker label several participants speak under).
SHARED_NAME = "[name]"
#: How long an ingest waits for another one's lock on the key (seconds).
LOCK_TIMEOUT = 600.0


class PseudonymKey:
    """The real <-> pseudonym table of a study (or of one ``read_transcript`` call, in memory)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._rows: dict[tuple[str, str], tuple[str, str]] = {}
        self._next: dict[str, int] = {k: 1 for k in KINDS}
        self._used: set[str] = set()  # label_key of every pseudonym in the key
        #: Labels and ids the texts use (``label_key``): a new pseudonym skips them. Kept across ``_read``.
        self._reserved: set[str] = set()
        self.changed = False
        #: Warnings found on load (W010: the key can be read by other users).
        self.warnings: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path) -> "PseudonymKey":
        """Read the key file (an empty key if it does not exist yet).

        Raises:
            InputError: [E116] a damaged key file, naming the line.
        """
        key = cls(path)
        if not path.is_file():
            return key
        mode = readable_by_others(path)
        if mode is not None:
            key.warnings = (Warnings.W010.format(path=path, mode=mode),)
        key._read()
        return key

    def _read(self) -> None:
        """Replace the entries with the file's (an empty key when there is no file yet)."""
        assert self.path is not None
        self._rows, self._next, self._used = {}, {k: 1 for k in KINDS}, set()
        if not self.path.is_file():
            self.changed = False
            return
        path, key = self.path, self
        text = path.read_bytes().decode("utf-8-sig")
        if (opened := unclosed_quote(text)) is not None:  # read on, it would swallow every later entry
            raise InputError(Errors.E116.format(path=path, line=opened, detail=unclosed_quote_detail(opened)))
        # newline="": a line break inside a quoted name is the name's, not a row end
        reader = csv.reader(io.StringIO(text, newline=""))
        for line, row in enumerate(reader, start=1):
            if line == 1 and tuple(row) == KEY_HEADER or not any(row):
                continue
            if len(row) != 3 or row[0] not in KINDS or not row[1] or not row[2]:
                raise InputError(Errors.E116.format(path=path, line=line, detail=f"expected kind,real,pseudonym; got {row!r}"))
            key._set(row[0], row[1], row[2])
        key.changed = False

    @contextmanager
    def locked(self, *, timeout: float = LOCK_TIMEOUT) -> Iterator["PseudonymKey"]:
        """Hold the key's lock file and re-read the key, so entries another ingest added are used, not redone.

        Every new pseudonym is assigned and ``save()``-d inside this block, so two ingests at once
        never give one pseudonym to two people or lose an entry.

        Raises:
            StudyError: [E037] another ingest held the lock for ``timeout`` seconds.
        """
        if self.path is None:
            yield self
            return
        from filelock import FileLock, Timeout

        private_dir(self.path.parent)
        lock = FileLock(str(self.path) + ".lock", timeout=timeout, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise StudyError(Errors.E037.format(path=self.path, timeout=timeout)) from None
        try:
            self._read()
            yield self
        finally:
            lock.release()

    def _set(self, kind: str, real: str, pseudonym: str) -> None:
        self._rows[(kind, label_key(real))] = (real, pseudonym)
        self._used.add(label_key(pseudonym))
        m = _NUMBER.search(pseudonym)
        if m and pseudonym == _FORMATS[kind].format(n=m.group(1)):
            self._next[kind] = max(self._next[kind], int(m.group(1)) + 1)
        self.changed = True

    def get(self, kind: str, real: str) -> str | None:
        """The pseudonym of ``real`` as ``kind``, if assigned."""
        row = self._rows.get((kind, label_key(real)))
        return row[1] if row else None

    def assign(self, kind: str, real: str, pseudonym: str | None = None) -> str:
        """The pseudonym of ``real``: ``pseudonym`` if given (a participant id), else the stored or next one."""
        current = self.get(kind, real)
        if pseudonym is not None and pseudonym != current:
            self._set(kind, real, pseudonym)
            return pseudonym
        if current is not None:
            return current
        n = self._next[kind]
        while (taken := label_key(new := _FORMATS[kind].format(n=n))) in self._reserved or taken in self._used:
            n += 1  # a label or id some text already uses (``Speaker 1:``), or taken in the key: skip it
        self._set(kind, real, new)
        return new

    def renew(self, kind: str, real: str) -> str:
        """A new automatic pseudonym for ``real`` (``Speaker 4``), its old one (a participant's id) dropped."""
        self._rows.pop((kind, label_key(real)), None)
        self._used = {label_key(p) for _, p in self._rows.values()}
        return self.assign(kind, real)

    def reserve(self, labels: Iterable[str | None]) -> None:
        """Speaker labels and participant ids the study's texts use: a pseudonym assigned from now on skips
        them (case and spacing ignored); pseudonyms already in the key stay as they are."""
        self._reserved.update(label_key(x) for x in labels if x and x.strip())

    def clashes(self, labels: Iterable[str | None]) -> list[str]:
        """The ``labels`` (as written in a file, left as they are) that an earlier entry of the key gave
        someone else as an automatic pseudonym (``Speaker 1``, ``Case 2``): two people share them."""
        auto: dict[str, str] = {}
        for (kind, real_key), (_, pseudonym) in self._rows.items():
            if kind in ("speaker", "interviewer", "case") and is_automatic(kind, pseudonym):
                auto.setdefault(label_key(pseudonym), real_key)
        return sorted({x for x in labels if x and auto.get(label_key(x), label_key(x)) != label_key(x)})

    def find(self, real: str, kinds: Iterable[str] = KINDS) -> str | None:
        """The pseudonym of ``real`` under the first of ``kinds`` that has one."""
        return next((p for p in (self.get(k, real) for k in kinds) if p is not None), None)

    def entries(self, kinds: Iterable[str] = KINDS) -> list[tuple[str, str, str]]:
        """(kind, real, pseudonym) rows of the given kinds, in the order they were assigned."""
        wanted = set(kinds)
        return [(k, real, p) for (k, _), (real, p) in self._rows.items() if k in wanted]

    def pseudonyms(self) -> frozenset[str]:
        """Every pseudonym in the key (never replaced again: re-running is idempotent)."""
        return frozenset(p for _, p in self._rows.values())

    def save(self) -> None:
        """Write the key atomically (temp file + rename) if it changed."""
        if self.path is None or not self.changed:
            return
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")  # quotes a name holding a lone CR; rows end in LF below
        writer.writerow(KEY_HEADER)
        writer.writerows(self.entries())
        try:
            write_private(self.path, lf_rows(buf.getvalue()).encode("utf-8"))  # 0600 in a 0700 folder
        except OSError as exc:
            raise StudyError(Errors.E117.format(path=self.path, detail=exc)) from None
        self.changed = False


def is_automatic(kind: str, pseudonym: str) -> bool:
    """Whether ``pseudonym`` is one the key numbers itself (``Speaker 3``), not a participant's id."""
    m = _NUMBER.search(pseudonym)
    return m is not None and pseudonym == _FORMATS[kind].format(n=m.group(1))


@dataclass(frozen=True, slots=True)
class Replacements:
    """A pseudonymised text with what changed: spans in the old text and their replacements."""

    text: str
    spans: tuple[tuple[int, int, str, str], ...]  # old start, old end, replacement, kind

    def counts(self) -> dict[str, int]:
        """How many replacements of each kind."""
        out: dict[str, int] = {}
        for *_, kind in self.spans:
            out[kind] = out.get(kind, 0) + 1
        return out

    def mapper(self) -> "OffsetMap":
        """Maps offsets in the old text to the new one."""
        return OffsetMap(self.spans)


class OffsetMap:
    """Old-text offsets -> new-text offsets after replacements (inside a replaced span: its edges)."""

    def __init__(self, spans: tuple[tuple[int, int, str, str], ...]) -> None:
        self._starts = [s for s, *_ in spans]
        self._ends = [e for _, e, *_ in spans]
        self._delta_before: list[int] = []
        delta = 0
        for s, e, repl, _ in spans:
            self._delta_before.append(delta)
            delta += len(repl) - (e - s)
        self._lens = [len(r) for _, _, r, _ in spans]
        self._total = delta

    def __call__(self, offset: int, *, end: bool = False) -> int:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        s, e, d = self._starts[i], self._ends[i], self._delta_before[i]
        if offset >= e:
            return offset + d + self._lens[i] - (e - s)
        if offset == s:
            return s + d
        return s + d + (self._lens[i] if end else 0)  # inside a replaced span


#: Characters no reader sees (soft hyphen, zero-width space/joiners, word joiner, BOM): ignored inside a name.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_BETWEEN = _INVISIBLE.pattern + "*"


def _trie(names: Iterable[str], *, between: str = "") -> str:
    """A regex alternation sharing prefixes (much faster than a flat ``a|b|c`` over long texts); ``between``
    is allowed between any two characters of a name."""
    root: dict[str, dict] = {}
    for name in names:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, dict], first: bool = False) -> str:
        gap = "" if first else between
        branches = [gap + re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(root, True)


_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_HYPHEN = re.compile(f"[{re.escape(HYPHENS)}]")
_APOSTROPHE_BEFORE_WORD = re.compile(f"(?<=\\w)([{re.escape(APOSTROPHES)}])(?=\\w)")


def _spellings(name: str) -> set[str]:
    """``name`` with its apostrophes and hyphens written each way (``O'Brien``, ``O’Brien``, ``Oʼ Brien``;
    ``Hartley-Smith``, ``Hartley‑Smith``): one name, however a keyboard or autocorrect wrote it."""
    out = {name}
    for pattern, chars in ((_APOSTROPHE, APOSTROPHES), (_HYPHEN, HYPHENS)):
        if pattern.search(name):
            out = {pattern.sub(lambda _, c=c: c, v) for v in out for c in chars}  # type: ignore[misc]
    return out | {_APOSTROPHE_BEFORE_WORD.sub(r"\1 ", v) for v in out if _APOSTROPHE_BEFORE_WORD.search(v)}


def _variants(name: str) -> set[str]:
    """Spellings of a capitalised name that match: as written, Title case, capitals (never all lower case),
    each with any apostrophe or hyphen style."""
    out = {v for s in _spellings(name) for v in (s, s.title(), s.upper(), s[:1].upper() + s[1:])}
    return {v for v in out if v.strip() and (not v.islower() or caseless(v))}  # Georgian is filed as lower case


def _scan(text: str, pattern: re.Pattern[str], lookup: Mapping[str, tuple[str, str]], *, fold: bool
          ) -> Iterator[tuple[int, int, str, str]]:
    """Whole-word matches of ``pattern`` as (start, end, pseudonym, kind)."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            pos = start + 1  # inside a longer word: look again just after
            continue
        found = _INVISIBLE.sub("", m.group())
        pseudonym, kind = lookup[found.casefold() if fold else found]
        yield start, m.end(), pseudonym, kind
        pos = m.end()


class NameReplacer:
    """``replace_names`` for one table, its patterns built once and reused for every text (building them
    costs time in proportion to the table, so building per value made ingest quadratic in participants)."""

    def __init__(self, table: Mapping[str, tuple[str, str]], *, case_sensitive_kinds: Iterable[str] = ()) -> None:
        strict = set(case_sensitive_kinds)
        self._exact: dict[str, tuple[str, str]] = {}
        self._folded: dict[str, tuple[str, str]] = {}
        for real, value in sorted(table.items()):
            if value[1] in strict:
                for variant in _variants(real):
                    self._exact.setdefault(variant, value)
            elif real.strip():
                for spelling in _spellings(real):
                    self._folded.setdefault(spelling.casefold(), value)
        self._patterns: dict[bool, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {}

    def _compiled(self, invisible: bool) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        """The exact and folded patterns; with ``invisible``, tolerant of invisible characters inside a name
        (built only for texts that have one: the plain patterns are faster)."""
        if invisible not in self._patterns:
            gap = _BETWEEN if invisible else ""
            exact = re.compile(f"(?:{_trie(self._exact, between=gap)})(?!\\w)") if self._exact else None
            folded = (re.compile(f"(?:{_trie(self._folded, between=gap)})(?!\\w)", re.IGNORECASE)
                      if self._folded else None)
            self._patterns[invisible] = (exact, folded)
        return self._patterns[invisible]

    def __call__(self, text: str) -> Replacements:
        spans: list[tuple[int, int, str, str]] = []
        exact_re, folded_re = self._compiled(_INVISIBLE.search(text) is not None)
        if exact_re is not None:
            spans.extend(_scan(text, exact_re, self._exact, fold=False))
        if folded_re is not None:
            spans.extend(_scan(text, folded_re, self._folded, fold=True))
        spans = _without_overlaps(spans)
        pieces: list[str] = []
        pos = 0
        for start, end, pseudonym, _ in spans:
            pieces.append(text[pos:start])
            pieces.append(pseudonym)
            pos = end
        pieces.append(text[pos:])
        return Replacements("".join(pieces), tuple(spans))


#: The last few tables' replacers, keyed by content (a table is a plain dict and may change between calls).
_REPLACERS: "OrderedDict[tuple[frozenset, frozenset], NameReplacer]" = OrderedDict()
_REPLACERS_MAX = 8
_REPLACERS_LOCK = threading.Lock()


def name_replacer(table: Mapping[str, tuple[str, str]], *, case_sensitive_kinds: Iterable[str] = ()) -> NameReplacer:
    """The ``NameReplacer`` of ``table``: reused while a table with the same entries comes back."""
    cache_key = (frozenset(table.items()), frozenset(case_sensitive_kinds))
    with _REPLACERS_LOCK:
        replacer = _REPLACERS.get(cache_key)
        if replacer is not None:
            _REPLACERS.move_to_end(cache_key)
            return replacer
    replacer = NameReplacer(table, case_sensitive_kinds=cache_key[1])
    with _REPLACERS_LOCK:
        _REPLACERS[cache_key] = replacer
        while len(_REPLACERS) > _REPLACERS_MAX:
            _REPLACERS.popitem(last=False)
    return replacer


def replace_names(text: str, table: Mapping[str, tuple[str, str]], *, case_sensitive_kinds: Iterable[str] = ()) -> Replacements:
    """Replace every whole-word occurrence of the table's names (longest first).

    ``table`` maps a real string to (pseudonym, kind). Names of ``case_sensitive_kinds`` match as
    written, in Title case and in capitals, never all in lower case ("will" is not "Will"); other
    kinds (listed terms) match in any case.
    """
    return name_replacer(table, case_sensitive_kinds=case_sensitive_kinds)(text)


def _without_overlaps(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Sorted spans; where two overlap, the earlier (then longer) one wins."""
    out: list[tuple[int, int, str, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def speaker_table(names: Mapping[str, str], *, kind_of: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Names and their parts (given name, surname) -> (pseudonym, kind); an ambiguous part -> ``[name]``."""
    table: dict[str, tuple[str, str]] = {}
    parts: dict[str, set[str]] = {}
    for name, pseudonym in names.items():
        kind = (kind_of or {}).get(name, "speaker")
        table[name] = (pseudonym, kind)
        if "," in name:  # Teams: "Surname, Given" is also written "Given Surname"
            surname, _, given = name.partition(",")
            table.setdefault(f"{given.strip()} {surname.strip()}", (pseudonym, kind))
        for part in name_parts(name):
            parts.setdefault(part, set()).add(pseudonym)
    known = {label_key(n) for n in table}  # kept up to date: one set, not one per part (quadratic in names)
    for part, owners in parts.items():
        if (part_key := label_key(part)) not in known:
            table[part] = (next(iter(owners)) if len(owners) == 1 else SHARED_NAME, "speaker")
            known.add(part_key)
    return table
