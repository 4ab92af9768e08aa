"""Old turns -> new turns of a re-read document, so re-anchoring follows a turn, not the nearest equal words.

A turn whose speaker, question (survey answers) and text occur once on each side is that turn wherever it
went (a re-sorted survey sheet); a survey answer whose text changed is still its respondent's answer to
its question, and a survey answer is never paired with another respondent's (a respondent who is gone
takes their codings along; rows without ids are known by an answer unique to both sides, and an answer
of rows no answer tells apart that fits several is ``Ambiguous``). The other segments are matched in
order, difflib-style, by their text (then by their text with the names pseudonymised since and the
pseudonyms renamed since); a long stretch of changed turns is split where turns are equal but for quote
marks and spacing, then diffed (O(ND)). A quote is looked for
in its own turn first, then in the stretch of changed turns around it (in one turn only), and elsewhere
only where one place fits (never in a turn matched to another old turn; the old turn's speaker and
question break a tie): several equally good places are reported as ``Ambiguous``, never guessed.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping

import pandas as pd

from ..models import Document
from .pseudonymise import PseudonymKey, replace_names

#: (old from, old to, new from, new to): character ranges of a stretch of the old and the new text.
Span = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """``Alignment.find``'s answer when several places (``places`` of them) fit a quote equally well."""

    places: int


def renamed_pseudonyms(previous: Iterable[tuple[str, str, str]], key: PseudonymKey) -> dict[str, str]:
    """Old pseudonym -> new one, for every key entry ``(kind, real, pseudonym)`` of ``previous`` (the key
    as it was before this ingest) that ``key`` now gives another pseudonym (participants.csv added since)."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for kind, real, old in previous:
        new = key.get(kind, real)
        if new is None or new == old:
            continue
        if out.get(old, new) != new:
            clash.add(old)
        out[old] = new
    return {old: new for old, new in out.items() if old not in clash}


class QuoteForms:
    """The spellings an old quote may have in the new text: as stored, with names pseudonymised since,
    with pseudonyms renamed since (``renamed``: old -> new), and both."""

    _SEP = "\n\x00\n"

    def __init__(self, rewrite: Callable[[str], str] | None = None, renamed: Mapping[str, str] | None = None) -> None:
        self._rewrite = rewrite
        self._table = {old: (new, "speaker") for old, new in (renamed or {}).items() if old.strip() and old != new}
        self._rewritten: dict[str, str] = {}
        self._newest: dict[str, str] = {}

    def prime(self, texts: Iterable[str]) -> None:
        """Rewrite many texts in one pass each way (a call per text would build the name table each time)."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._newest and self._SEP not in t))
        if not todo or (self._rewrite is None and not self._table):
            return
        rewritten = self._batch(self._rewrite, todo) if self._rewrite is not None else todo
        if rewritten is None:
            return
        self._rewritten.update(zip(todo, rewritten))
        newest = self._batch(self._swap, rewritten) if self._table else rewritten
        if newest is not None:
            self._newest.update(zip(todo, newest))

    def _batch(self, fn: Callable[[str], str], texts: list[str]) -> list[str] | None:
        done = fn(self._SEP.join(texts)).split(self._SEP)
        return done if len(done) == len(texts) else None

    @property
    def pseudonymised(self) -> bool:
        """Whether the text is pseudonymised (names in it are pseudonyms that may be renamed)."""
        return self._rewrite is not None

    def learn(self, renamed: Mapping[str, str]) -> None:
        """More old -> new pseudonyms (a document's own speakers); those already known stay as they are."""
        for old, new in renamed.items():
            if old.strip() and old != new and old not in self._table:
                self._table[old] = (new, "speaker")
        self._newest.clear()

    def _swap(self, text: str) -> str:
        return replace_names(text, self._table, case_sensitive_kinds=("speaker",)).text if self._table else text

    def _pseudonymised(self, text: str) -> str:
        if self._rewrite is None:
            return text
        if text not in self._rewritten:
            self._rewritten[text] = self._rewrite(text)
        return self._rewritten[text]

    def __call__(self, quote: str) -> Iterator[str]:
        """The quote's forms, most literal first (empty ones and repeats left out); the others only when asked."""
        seen = {quote}
        if quote.strip():
            yield quote
        rewritten, newest = self._pseudonymised(quote), self.newest(quote)
        for form in (rewritten, newest if rewritten == quote else self._swap(quote), newest):
            if form not in seen and form.strip():
                seen.add(form)
                yield form

    def newest(self, quote: str) -> str:
        """The quote as the new text would read it (names pseudonymised and pseudonyms renamed since)."""
        if quote not in self._newest:
            self._newest[quote] = self._swap(self._pseudonymised(quote))
        return self._newest[quote]

    def speaker(self, label: str | None) -> str | None:
        """An old speaker label as the new text shows it (a pseudonym renamed since, else as it was)."""
        return self._table[label][0] if label in self._table else label


def _text(value: object) -> str:
    return "" if value is None or bool(pd.isna(value)) else str(value)


#: Marks a re-export may spell otherwise (straight or curly quotes and apostrophes, hyphens or dashes).
_MARK_GROUPS = ("'\u2018\u2019\u201a\u201b\u2032`", '"\u201c\u201d\u201e\u201f\u2033',
                "-\u2010\u2011\u2012\u2013\u2014\u2212")
_ANY_MARK = {c: "[" + re.escape(group) + "]" for group in _MARK_GROUPS for c in group}


@functools.lru_cache(maxsize=4096)
def _loose(quote: str) -> re.Pattern[str] | None:
    """``quote`` as a pattern that ignores differences in whitespace and in quote marks and dashes."""
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join("".join(_ANY_MARK.get(c) or re.escape(c) for c in w) for w in words))


def occurrences(text: str, quote: str, lo: int = 0, hi: int | None = None, limit: int | None = None
                ) -> list[tuple[int, int]]:
    """Where ``quote`` is in ``text[lo:hi]`` (the first ``limit``): exact matches, else matches ignoring
    differences in whitespace and in quote marks and dashes (a re-export's curly apostrophes)."""
    hi = len(text) if hi is None else min(hi, len(text))
    found, i = [], text.find(quote, lo, hi)
    while i != -1 and (limit is None or len(found) < limit):
        found.append((i, i + len(quote)))
        i = text.find(quote, i + 1, hi)
    if found:
        return found
    pattern = _loose(quote)
    if pattern is None or lo >= hi:
        return []
    return [(m.start(), m.end()) for m in itertools.islice(pattern.finditer(text, lo, hi), limit)]


def _count(text: str, quote: str, lo: int, hi: int) -> int:
    """How many times ``quote`` is in ``text[lo:hi]`` (as ``occurrences`` finds it, without listing them)."""
    n = text.count(quote, lo, hi)
    pattern = _loose(quote) if not n else None
    return sum(1 for _ in pattern.finditer(text, lo, hi)) if pattern is not None else n


#: Up to this many (old, new) pairs, a stretch with no turn unique to both sides is matched by difflib.
_DIFFLIB_LIMIT = 40_000
#: Steps the O(ND) diff may take on the longer stretches of one matching (about a second in all); a stretch
#: past them is left unmatched: one gap, where a quote is placed only where one turn fits.
_DIFF_BUDGET = 3_000_000
#: More equal places than this in a stretch of several turns are counted, not told apart (``Ambiguous``).
_PLACES_CAP = 64
#: Quote marks, dashes and ellipses as a re-export may spell them otherwise (Word's curly apostrophes).
_MARKS = str.maketrans({**{c: group[0] for group in _MARK_GROUPS for c in group[1:]}, "\u2026": "..."})


def _folded(text: str) -> str:
    """``text`` with quote marks, dashes, case and whitespace evened out: a turn as a re-export may spell it."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_MARKS).casefold().split())


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by old index) whose new indices increase too (patience sorting)."""
    tails: list[int] = []
    tops: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        n = bisect.bisect_left(tails, j)
        back[k] = tops[n - 1] if n else -1
        if n == len(tails):
            tails.append(j)
            tops.append(k)
        else:
            tails[n], tops[n] = j, k
    out, k = [], tops[-1] if tops else -1
    while k != -1:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _anchors(a: list, b: list, alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
    """In order, the (i, j) whose item occurs once in ``a[alo:ahi]`` and once in ``b[blo:bhi]``."""
    count_a, count_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    in_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    return _increasing([(i, in_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in in_b])


def _diff(a: list, b: list, budget: int) -> tuple[list[tuple[int, int]] | None, int]:
    """(the (i, j) of a shortest edit script from ``a`` to ``b``, or None past ``budget`` steps; the steps
    taken): Myers' O(ND) diff, near-linear when few turns changed, however many repeat."""
    n, m = len(a), len(b)
    off = m + 1
    v = [-1] * (n + m + 3)  # furthest x reached on diagonal k = x - y (at v[k + off]); -1: not reached
    trace: list[tuple[array, bytearray]] = []
    work = 0
    for d in range(n + m + 1):
        xs, moves = array("l"), bytearray()
        for k in range(-d, d + 1, 2):
            if k < -m or k > n:
                xs.append(-1)
                moves.append(0)
                continue
            if d == 0:
                x, move = 0, 0
            else:
                down = v[k + 1 + off] if k < n and v[k + 1 + off] >= 0 and v[k + 1 + off] - k <= m else -1
                right = v[k - 1 + off] + 1 if k > -m and 0 <= v[k - 1 + off] < n else -1
                x, move = (down, 2) if down >= right else (right, 1)
            if x >= 0:
                y = x - k
                x0 = x
                while x < n and y < m and a[x] == b[y]:
                    x, y = x + 1, y + 1
                work += x - x0
            v[k + off] = x
            xs.append(x)
            moves.append(move)
        work += d + 1
        trace.append((xs, moves))
        if v[n - m + off] >= n:
            break
        if work > budget:
            return None, work
    pairs: list[tuple[int, int]] = []
    k, end = n - m, n
    for d in range(len(trace) - 1, -1, -1):
        xs, moves = trace[d]
        idx = (k + d) // 2
        if d == 0:
            mid, back = 0, k
        else:
            back = k - 1 if moves[idx] == 1 else k + 1
            mid = trace[d - 1][0][(back + d - 1) // 2] + (1 if moves[idx] == 1 else 0)
        pairs.extend((x, x - k) for x in range(mid, end))
        k, end = back, trace[d - 1][0][(back + d - 1) // 2] if d else 0
    return pairs, work


def matching_pairs(a: list, b: list) -> list[tuple[int, int]]:
    """(i, j) with ``a[i] == b[j]``, in order on both sides: equal ends first, then turns unique to both
    sides as anchors (patience diff), then difflib inside small stretches between them. A longer stretch
    is split at turns unique to both sides once quote marks, dashes, case and spacing are evened out (a
    re-export that made every apostrophe curly), then matched by an O(ND) diff; only a stretch past the
    diff's ``_DIFF_BUDGET`` steps (for all stretches together) is left unmatched.

    Near-linear where difflib alone is quadratic in repeated short turns ("Yeah.", "Go on.")."""
    out: list[tuple[int, int]] = []
    fa: list | None = None
    fb: list | None = None
    budget = _DIFF_BUDGET
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            out.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            out.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        anchors = _anchors(a, b, alo, ahi, blo, bhi)
        if anchors:
            out.extend(anchors)
        elif (ahi - alo) * (bhi - blo) <= _DIFFLIB_LIMIT:
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            out.extend((alo + m.a + k, blo + m.b + k) for m in matcher.get_matching_blocks() for k in range(m.size))
            continue
        else:
            if fa is None or fb is None:
                fa = [_folded(t) if isinstance(t, str) else t for t in a]
                fb = [_folded(t) if isinstance(t, str) else t for t in b]
            # split at turns that are one turn spelt otherwise (not equal, so not matched: an edit there)
            anchors = _anchors(fa, fb, alo, ahi, blo, bhi)
            if not anchors:
                diffed, work = _diff(a[alo:ahi], b[blo:bhi], budget) if budget > 0 else (None, 0)
                budget -= work
                out.extend((alo + i, blo + j) for i, j in diffed or ())
                continue
        edges = [(alo - 1, blo - 1), *anchors, (ahi, bhi)]
        stack.extend((i1 + 1, i2, j1 + 1, j2) for (i1, j1), (i2, j2) in zip(edges, edges[1:]))
    return sorted(out)


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes (``equal`` / ``replace`` / ``delete`` / ``insert``) from ``matching_pairs``."""
    out: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for pi, pj in [*matching_pairs(a, b), (len(a), len(b))]:
        if i < pi or j < pj:
            out.append(("replace" if i < pi and j < pj else "delete" if i < pi else "insert", i, pi, j, pj))
        if pi < len(a):
            if out and out[-1][0] == "equal" and out[-1][2] == pi and out[-1][4] == pj:
                out[-1] = ("equal", out[-1][1], pi + 1, out[-1][3], pj + 1)
            else:
                out.append(("equal", pi, pi + 1, pj, pj + 1))
        i, j = pi + 1, pj + 1
    return out


@dataclass(frozen=True, slots=True)
class _Turn:
    id: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    question: str | None = None


def _unique_keys(keys: Iterable[tuple | None]) -> dict[tuple, int]:
    """Key -> index, for the keys that occur exactly once (None keys left out)."""
    counted = Counter(k for k in keys if k is not None)
    return {k: i for i, k in enumerate(keys) if k is not None and counted[k] == 1}


class Alignment:
    """Which new segment each old segment became: the same text (``pair``), an edited text in the same
    place (``edit``), or a stretch of changed turns (``gap_of``); ``old`` is the stored segments with text.

    ``slot`` holds the old survey answers whose new place is their respondent's answer to their question
    (text edited); ``owner`` maps a new segment to the old one it is known to be (paired, or its slot);
    ``unsure`` the old answers (no id column) that fit several rows' answers, with how many."""

    def __init__(self, old: pd.DataFrame | None, doc: Document, forms: QuoteForms) -> None:
        self.doc, self.forms = doc, forms
        rows = [] if old is None or old.empty else old.sort_values("start").to_dict("records")
        self.old = [_Turn(str(r["segment_id"]), int(r["start"]), int(r["end"]), _text(r.get("text")),
                          _text(r.get("speaker")) or None, _text(r.get("question")) or None) for r in rows]
        self.new = list(doc.segments)
        columns = doc.attributes.get("columns") if isinstance(doc.attributes, Mapping) else None
        #: False for a survey without an id column: its respondents are numbered by row, and a re-sorted
        #: sheet gives row 2's number to someone else, so a speaker says nothing of who wrote an answer.
        self._speakers_identify = not (isinstance(columns, Mapping) and "id" in columns and not columns["id"])
        self._old_starts = [t.start for t in self.old]
        self._new_starts = [s.start for s in self.new]
        self.pair: dict[int, int] = {}
        self.edit: dict[int, int] = {}
        self.slot: dict[int, int] = {}
        self.owner: dict[int, int] = {}
        #: old survey answers whose respondent cannot be told (rows without ids that moved, equal words): how
        #: many new answers fit; their codings are flagged ``Ambiguous``, never guessed
        self.unsure: dict[int, int] = {}
        #: old respondent -> new, for survey answers (``_respondents``); ``_renamed``: an id gone -> a new id
        #: with every answer the same, taken as renamed if the answers stayed in their row (``_keep_respondents``)
        self._rows: dict[str, str] = {}
        self._renamed: dict[str, str] = {}
        self.gaps: list[Span] = []
        self._joined: str | None = None  # the changed stretches' new text, joined (``_in_gaps``)
        self._joined_at: list[int] = []
        self.gap_of: dict[int, int] = {}
        if self.old:
            self._match()

    def _identities(self) -> tuple[dict[int, int], dict[int, int]]:
        """(same, slot): old -> new turns that are one turn wherever they are now. ``same``: the same
        speaker, question and text, once on each side (a re-sorted survey, a moved turn, or the one "Yeah."
        of a speaker among others'); ``slot``: of the rest, a survey answer whose respondent answered its
        question once on each side, with another text (an edited answer). In a survey without an id column a
        row is its respondent only where ``_respondents`` knows it."""
        self._rows = self._respondents()
        who = [t.speaker for t in self.old]
        if not self._speakers_identify:  # respondents numbered by row: only a row its answers identify is someone
            who = [self._rows.get(t.speaker) if t.question and t.speaker else None for t in self.old]

        def key(speaker: str | None, question: str | None, text: str) -> tuple | None:
            return (speaker, question, text) if speaker and text.strip() else None

        olds = _unique_keys([key(w, t.question, t.text) for w, t in zip(who, self.old)])
        news = _unique_keys([key(s.speaker, s.question, s.text) for s in self.new])
        same = {i: news[k] for k, i in olds.items() if k in news}
        taken = set(same.values())
        olds = _unique_keys([(w, t.question) if w and t.question and i not in same else None
                             for i, (w, t) in enumerate(zip(who, self.old))])
        news = _unique_keys([(s.speaker, s.question) if s.speaker and s.question and j not in taken else None
                             for j, s in enumerate(self.new)])
        return same, {i: news[k] for k, i in olds.items() if k in news}

    def _respondents(self) -> dict[str, str]:
        """Old respondent -> new, for survey answers. With ids: each id (as renamed since); an id gone whose every
        answer is now under one new id, linked by an answer that occurs once on each side, is a candidate
        rename (``_renamed``). Without ids (respondents numbered by row): a row linked to one new row by each
        of its answers whose words (to that question) occur once in the old sheet and once in the new, and a
        row among rows no answer identifies where, between two identified rows, the same answers stand in
        the same order on both sides (nothing moved there)."""
        def rows(turns: Iterable) -> dict[str, list]:
            out: dict[str, list] = {}
            for t in turns:
                if t.question and t.speaker:
                    out.setdefault(t.speaker, []).append((t.question, t.text))
            return out

        old, new = rows(self.old), rows(self.new)
        if not old:
            return {}
        olds = _unique_keys([(q, x) if x.strip() else None for answers in old.values() for q, x in answers])
        news = _unique_keys([(q, x) if x.strip() else None for answers in new.values() for q, x in answers])
        owner_old = [r for r, answers in old.items() for _ in answers]
        owner_new = [r for r, answers in new.items() for _ in answers]
        links: dict[str, set[str]] = {}
        back: dict[str, set[str]] = {}
        for k, i in olds.items():
            if k in news:
                links.setdefault(owner_old[i], set()).add(owner_new[news[k]])
                back.setdefault(owner_new[news[k]], set()).add(owner_old[i])
        linked = {a: b for a, (b, *more) in links.items() if not more and len(back[b]) == 1}
        if self._speakers_identify:
            self._renamed = {a: b for a, b in linked.items() if a not in new and b not in old and old[a] == new[b]}
            return {r: r if r in new else self.forms.speaker(r) or r for r in old}
        order_old, order_new = list(old), list(new)
        at = {r: k for k, r in enumerate(order_new)}
        anchors = _increasing([(k, at[linked[r]]) for k, r in enumerate(order_old) if r in linked])
        out = dict(linked)
        for (i1, j1), (i2, j2) in zip([(-1, -1), *anchors], [*anchors, (len(order_old), len(order_new))]):
            was, now = order_old[i1 + 1:i2], order_new[j1 + 1:j2]
            if (len(was) == len(now) and not any(r in linked for r in was) and not any(r in back for r in now)
                    and all(old[a] == new[b] for a, b in zip(was, now))):
                out.update(zip(was, now))
        return out

    def _respondent(self, i: int) -> str | None:
        """The new respondent whose answers old answer ``i`` may become (its own, wherever it went; an id as
        renamed since), or None: no survey answer, or (no id column) a row that cannot be told apart."""
        turn = self.old[i]
        if not (turn.question and turn.speaker):
            return None
        if self._speakers_identify:
            return self._rows.get(turn.speaker, turn.speaker)
        return self._rows.get(turn.speaker)

    def _keep_respondents(self) -> None:
        """Unpair an old survey answer matched in order to another respondent's answer with its words (a
        withdrawn respondent's row given to a new one, two rows without ids swapped): a respondent who is gone
        takes their codings along. Without ids, an answer of a row that cannot be told apart is paired only
        with the one answer of such rows that has its words; where several fit, it is ``unsure``."""
        answers = [i for i, t in enumerate(self.old) if t.question and t.speaker]
        kept: dict[str, bool] = {}
        for i in answers:  # an id renamed in its row: each of its answers matched in order to the new id's
            a = str(self.old[i].speaker)
            if a in self._renamed:
                j = self.pair.get(i)
                kept[a] = kept.get(a, True) and j is not None and self.new[j].speaker == self._renamed[a]
        self._rows.update({a: self._renamed[a] for a, ok in kept.items() if ok})
        placed = set(self._rows.values())
        free: dict[tuple, list[int]] = {}
        if not self._speakers_identify:
            for j, s in enumerate(self.new):
                if s.question and s.speaker and s.speaker not in placed and s.text.strip():
                    free.setdefault((s.question, s.text), []).append(j)
        loose = Counter((self.old[i].question, self.old[i].text) for i in answers if self._respondent(i) is None)
        for i in answers:
            turn, who = self.old[i], self._respondent(i)
            j = self.pair.get(i, self.edit.get(i))
            fits = free.get((turn.question, turn.text), []) if who is None and turn.text.strip() else []
            if len(fits) == 1 and loose[(turn.question, turn.text)] == 1:
                self.pair[i] = fits[0]
                self.edit.pop(i, None)
                self.gap_of.pop(i, None)
                continue
            if fits:
                self.unsure[i] = len(fits)
            elif j is None or (self.new[j].speaker == who if who else self.new[j].speaker not in placed):
                continue
            self.pair.pop(i, None)
            self.edit.pop(i, None)
            if i not in self.gap_of:  # a stretch of no new text: looked for only among its respondent's answers
                self.gap_of[i] = len(self.gaps)
                self.gaps.append((turn.start, turn.end, self.new[j].start, self.new[j].start) if j is not None
                                 else (turn.start, turn.end, 0, 0))
        taken = set(self.pair.values())
        self.edit = {i: j for i, j in self.edit.items() if j not in taken}  # that turn is another's now

    def _match(self) -> None:
        same, slot = self._identities()
        known = {**same, **slot}
        # a turn known to be another is one token on both sides: matched to it alone, an anchor in the order
        olds: list = [("\x00", i) if i in known else t.text for i, t in enumerate(self.old)]
        news: list = [s.text for s in self.new]
        for i, j in known.items():
            news[j] = ("\x00", i)
        outer = opcodes(olds, news)
        if self.forms.pseudonymised:
            self.forms.learn(self._speakers_renamed(outer))
        self.forms.prime(t for tag, i1, i2, j1, j2 in outer if tag == "replace" for t in olds[i1:i2]
                         if isinstance(t, str))
        for tag, i1, i2, j1, j2 in outer:
            if tag == "equal":
                self.pair.update(zip(range(i1, i2), range(j1, j2)))
                continue
            if i1 == i2 or j1 == j2:
                self._gap(i1, i2, j1, j2)
                continue
            newest = [self.forms.newest(t) if isinstance(t, str) else t for t in olds[i1:i2]]
            # a long stretch the outer match left as it is has nothing more to match in the same words
            done = (i2 - i1) * (j2 - j1) > _DIFFLIB_LIMIT and newest == olds[i1:i2]
            for tag2, a1, a2, b1, b2 in [("replace", 0, i2 - i1, 0, j2 - j1)] if done else opcodes(newest, news[j1:j2]):
                if tag2 == "equal":
                    self.pair.update(zip(range(i1 + a1, i1 + a2), range(j1 + b1, j1 + b2)))
                    continue
                self._gap(i1 + a1, i1 + a2, j1 + b1, j1 + b2)
                if a2 - a1 == b2 - b1:
                    self.edit.update(zip(range(i1 + a1, i1 + a2), range(j1 + b1, j1 + b2)))
        for i, j in known.items():  # out of order too (a re-sorted sheet): still that turn
            self.gap_of.pop(i, None)
            self.pair.pop(i, None)
            self.edit.pop(i, None)
            if i in same:
                self.pair[i] = j
            else:
                self.edit[i] = j
        self.slot = slot
        self.edit = {i: j for i, j in self.edit.items() if i in slot or j not in known.values()}
        self._keep_respondents()
        self.owner = {j: i for i, j in (*self.pair.items(), *slot.items())}

    def _speakers_renamed(self, outer: list[tuple[str, int, int, int, int]]) -> dict[str, str]:
        """Old speaker label -> new one, where most turns matched in place (same text, or an edit of one)
        changed speaker label the same way and the old label is no speaker's any more (participants.csv
        added: ``Speaker 1`` -> ``P01``). A survey respondent is no label: a new one in a gone one's row is
        someone else."""
        votes: dict[str, Counter[str]] = {}
        for tag, i1, i2, j1, j2 in outer:
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for i, j in zip(range(i1, i2), range(j1, j2)):
                    old, new = self.old[i].speaker, self.new[j].speaker
                    if old and new and not self.old[i].question:
                        votes.setdefault(old, Counter())[new] += 1
        still = {s.speaker for s in self.new if s.speaker}
        out: dict[str, str] = {}
        for old, counted in votes.items():
            new, n = counted.most_common(1)[0]
            if new != old and old not in still and 2 * n > sum(counted.values()):
                out[old] = new
        return out

    def _gap(self, i1: int, i2: int, j1: int, j2: int) -> None:
        old_from = self.old[i1 - 1].end if i1 > 0 else 0
        old_to = self.old[i2].start if i2 < len(self.old) else max(self.old[-1].end, old_from) + 1
        new_from = self.new[j1 - 1].end if j1 > 0 else 0
        new_to = self.new[j2].start if j2 < len(self.new) else len(self.doc.text)
        self.gap_of.update({i: len(self.gaps) for i in range(i1, i2)})
        self.gaps.append((old_from, old_to, new_from, new_to))

    def _touched(self, start: int, end: int) -> list[int]:
        """The old segments a span overlaps (the one holding it, for an empty span)."""
        out, j, bound = [], max(bisect.bisect_right(self._old_starts, start) - 1, 0), max(end, start + 1)
        while j < len(self.old) and self.old[j].start < bound:
            if self.old[j].end > start:
                out.append(j)
            j += 1
        return out

    def _own(self, i: int) -> Span:
        turn = self.old[i]
        j = self.pair.get(i, self.edit.get(i))
        if j is not None:
            return turn.start, turn.end, self.new[j].start, self.new[j].end
        return self.gaps[self.gap_of[i]]

    def _whole(self, where: tuple[int, int]) -> bool:
        """Whether a match is a whole new segment (its text, give or take surrounding whitespace)."""
        j = bisect.bisect_right(self._new_starts, where[0]) - 1
        if j < 0 or where[1] > self.new[j].end:
            return False
        return self.doc.text[where[0]:where[1]].strip() == self.new[j].text.strip()

    def _segment_at(self, where: tuple[int, int]) -> int | None:
        """The index of the new segment holding a match's start, if any."""
        j = bisect.bisect_right(self._new_starts, where[0]) - 1
        return j if j >= 0 and where[0] < max(self.new[j].end, self.new[j].start + 1) else None

    def _free(self, spots: list[tuple[int, int]], touched: list[int]) -> list[tuple[int, int]]:
        """The spots that are not in a new turn known to be another old turn (same text, or its slot)."""
        if not self.owner:
            return spots

        def free(spot: tuple[int, int]) -> bool:
            j = self._segment_at(spot)
            return j is None or self.owner.get(j, touched[0]) in touched

        return [s for s in spots if free(s)]

    def _an_answer(self, touched: list[int] | None) -> bool:
        """Whether ``touched`` is one survey answer of a known respondent (its places are that person's)."""
        return bool(touched) and len(touched) == 1 and self._respondent(touched[0]) is not None

    def _same_respondent(self, spots: list[tuple[int, int]], touched: list[int]) -> list[tuple[int, int]]:
        """For a survey answer of a known respondent, only the spots in that respondent's answers: an answer
        never moves to another respondent who wrote the same words."""
        if not self._an_answer(touched):
            return spots
        who = self._respondent(touched[0])
        return [s for s in spots if (j := self._segment_at(s)) is not None and self.new[j].speaker == who]

    def _theirs(self, spots: list[tuple[int, int]], touched: list[int]) -> list[tuple[int, int]]:
        """Of several spots, those in a turn of the old turn's speaker (as renamed since) and question."""
        if len(touched) != 1 or not self.old[touched[0]].speaker or not self._speakers_identify:
            return []
        turn = self.old[touched[0]]
        who = (self.forms.speaker(turn.speaker), turn.question)
        found = [(s, self._segment_at(s)) for s in spots]
        return [s for s, j in found if j is not None and (self.new[j].speaker, self.new[j].question) == who]

    def _one_turn(self, lo: int, hi: int) -> bool:
        """Whether ``[lo, hi)`` of the new text is within one new segment (a turn's own paired or edited turn)."""
        j = bisect.bisect_right(self._new_starts, lo) - 1
        return j >= 0 and hi <= max(self.new[j].end, self.new[j].start + 1)

    def _search(self, quote: str, start: int, scope: Span, whole: bool, touched: list[int] | None = None
                ) -> tuple[int, int] | Ambiguous | None:
        """The place of ``quote`` in ``scope``: the nearest its old place within one turn; with ``touched``
        (the old turns it was in), ``Ambiguous`` when places in several turns fit (never guessed)."""
        old_from, _, new_from, new_to = scope
        aim = new_from + (start - old_from)
        several = bool(touched) and not self._one_turn(new_from, new_to)
        cap = _PLACES_CAP + 1 if several and not self._an_answer(touched) else None
        for form in self.forms(quote):
            spots = occurrences(self.doc.text, form, new_from, new_to, cap)
            if cap and len(spots) == cap:
                return Ambiguous(_count(self.doc.text, form, new_from, new_to))
            if touched:
                spots = self._same_respondent(self._free(spots, touched), touched)
            if whole:
                spots = [s for s in spots if self._whole(s)] or spots
            if touched:
                spots = self._theirs(spots, touched) or spots
            if not spots:
                continue
            if several and len({self._segment_at(s) for s in spots}) > 1:
                return Ambiguous(len(spots))
            return min(spots, key=lambda se: abs(se[0] - aim))
        return None

    def nearest(self, quote: str, start: int) -> tuple[int, int] | None:
        """The occurrence of any form of ``quote`` nearest ``start`` anywhere in the text (no turns to follow)."""
        return self._search(quote, start, (0, 0, 0, len(self.doc.text)), whole=False)

    def one_place(self, quote: str) -> tuple[int, int] | None:
        """The one place of a flagged coding's quote (its offsets are stale, its turn unknown), or None.

        Only a place in a turn that no old turn is known to be (a restored row, a new or edited turn) can be
        its own: the unchanged turns were there when it was flagged. Several such places are never chosen
        between, so a flagged coding never lands on another respondent's identical answer."""
        for form in self.forms(quote):
            spots = occurrences(self.doc.text, form)
            if not spots:
                continue
            if self.new:
                spots = [s for s in spots if (j := self._segment_at(s)) is not None and j not in self.owner]
            return spots[0] if len(spots) == 1 else None
        return None

    def find(self, quote: str, start: int, end: int) -> tuple[int, int] | Ambiguous | None:
        """Where the quote coded at old ``start:end`` is now: a (start, end), ``Ambiguous``, or None when gone.

        A survey answer whose respondent's answer to its question is still there (``slot``) is looked for
        there only: it never moves to another respondent's answer."""
        touched = self._touched(start, end) if self.old else []
        if not touched:
            return self.nearest(quote, start)
        if any(i in self.unsure for i in touched):
            return Ambiguous(max(self.unsure.get(i, 0) for i in touched))
        whole = len(touched) == 1 and quote.strip() == self.old[touched[0]].text.strip()
        owns = [self._own(i) for i in touched]
        scopes = [(min(s[0] for s in owns), max(s[1] for s in owns), min(s[2] for s in owns), max(s[3] for s in owns))]
        searched = {self.gap_of[i] for i in touched if i in self.gap_of}
        edited = [self.gaps[g] for g in sorted({self.gap_of[i] for i in touched if i in self.edit and i in self.gap_of})]
        if edited:
            scopes.append((min(s[0] for s in edited), max(s[1] for s in edited),
                           min(s[2] for s in edited), max(s[3] for s in edited)))
        for scope in scopes:
            where = self._search(quote, start, scope, whole, touched)
            if where is not None:  # a place, or several that fit equally well
                return where
        if all(i in self.slot for i in touched):
            return None
        return self._elsewhere(quote, searched, whole, touched)

    def _elsewhere(self, quote: str, searched: set[int], whole: bool, touched: list[int]
                   ) -> tuple[int, int] | Ambiguous | None:
        """The one place among the other changed stretches that fits the quote (a whole turn first; of
        several, the one turn of the old turn's speaker and question; a survey answer: its respondent's only)."""
        cap = None if self._an_answer(touched) else _PLACES_CAP + 1
        for form in self.forms(quote):
            spots = self._in_gaps(form, searched, cap)
            if isinstance(spots, Ambiguous):
                return spots
            spots = self._same_respondent(self._free(spots, touched), touched)
            if not spots:
                continue
            if whole:
                spots = [s for s in spots if self._whole(s)] or spots
            places = sorted(set(spots))
            if len(places) > 1:
                places = sorted(set(self._theirs(places, touched))) or places
            return places[0] if len(places) == 1 else Ambiguous(len(places))
        return None

    def _in_gaps(self, form: str, searched: set[int], cap: int | None) -> list[tuple[int, int]] | Ambiguous:
        """The places of ``form`` in the changed stretches not ``searched`` (the first ``cap``), or
        ``Ambiguous`` with their number when there are ``cap`` or more; one search of their joined text."""
        if self._joined is None:
            # \x00 between stretches: no match runs from one into the next, as when each is searched alone
            self._joined = "\x00".join(self.doc.text[lo:hi] for _, _, lo, hi in self.gaps)
            self._joined_at = list(itertools.accumulate((hi - lo + 1 for _, _, lo, hi in self.gaps[:-1]), initial=0))
        joined, at = self._joined, self._joined_at

        def span(g: int) -> tuple[int, int]:
            return at[g], at[g] + self.gaps[g][3] - self.gaps[g][2]

        skip = sum(_count(joined, form, *span(g)) for g in searched) if cap else 0
        spots = []
        for s, e in occurrences(joined, form, limit=None if cap is None else cap + skip):
            g = bisect.bisect_right(at, s) - 1
            if g not in searched:
                spots.append((self.gaps[g][2] + s - at[g], self.gaps[g][2] + e - at[g]))
        if cap is not None and len(spots) >= cap:
            return Ambiguous(_count(joined, form, 0, len(joined)) - skip)
        return spots
