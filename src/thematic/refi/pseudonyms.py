"""Imported texts pseudonymised through the study's key, as ingest pseudonymises transcripts.

Each named speaker, and each case named after a person (``Maria Gomez``; an id-like case name such as
``P01`` stays), gets the key's pseudonym (the same person in every file), a role-labelled speaker no case covers
(``Respondent``) a case of the key (``Case 3``, as ingest), and every name the key,
participants.csv and ``[ingest] terms`` know is replaced wherever it appears: in the texts, and (with
``rewrite``) in memos, notes, descriptions and attribute values. The offset map moves segments, codings
and memos along, so each still covers the same words (a span cut inside a name covers its whole
pseudonym). Name recognition (NER) is not run on imports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..config import IngestSettings
from ..ingest.labels import (is_generic_label, is_interviewer_label, is_name_like, is_stop_label, label_key,
                             name_parts, role_word)
from ..ingest.pseudonymise import OffsetMap, PseudonymKey, replace_names, speaker_table
from ..models import Segment
from .text import slugify

#: Kinds matched as written (or Title case / capitals), never in lower case: "will" is not "Will".
_STRICT_KINDS = ("speaker", "interviewer", "person", "place", "organisation")
#: Words that, numbered, name a document, a group or a place rather than a person (``Interview-02``).
_NUMBERED_WORDS = frozenset(["focus group", *"""interview interviews case fg group household family site school class
    team ward unit clinic document doc text story diary entry round wave pair dyad couple person""".split()])


def is_case_id(name: str) -> bool:
    """Whether a REFI case name is an id, kept as the participant id (``P01``, ``R_12``, ``Case 3``, ``interview-02``),
    rather than a person's name (``Maria Gomez``), which a pseudonymising import replaces like a speaker's."""
    if is_generic_label(name) or not is_name_like(name, recurring=True):  # a case names someone: no recurrence needed
        return True
    return any(ch.isdigit() for ch in name) and (role_word(name) in _NUMBERED_WORDS or is_stop_label(name))


@dataclass(slots=True)
class Pseudonymised:
    """One imported text after pseudonymisation: the text, its segments and title, and how offsets moved."""

    text: str
    segments: tuple[Segment, ...]
    title: str
    moved: OffsetMap | None = None  # None: nothing was replaced
    counts: dict[str, int] = field(default_factory=dict)

    def span(self, start: int, end: int) -> tuple[int, int, bool]:
        """``(start, end)`` of the original text in this one, and whether an edge fell inside a replaced name."""
        m = self.moved
        if m is None:
            return start, end, False
        new_start = m(start)
        new_end = m(end, end=True) if end > start else new_start
        cut = m(start) != m(start, end=True) or (end > start and m(end) != m(end, end=True))
        return new_start, new_end, cut


class ImportPseudonyms:
    """Applies the study's pseudonym key (held locked by the importer) to each imported text."""

    def __init__(self, key: PseudonymKey, settings: IngestSettings, roster_names: Mapping[str, str],
                 in_use: Iterable[str] = ()) -> None:
        self.key = key
        key.reserve(in_use)  # the study's speaker labels and participant ids: a new pseudonym skips them
        self.settings = settings
        self.roster_names = dict(roster_names)
        self._roster = {label_key(k): v for k, v in self.roster_names.items()}
        self.counts: dict[str, int] = {}
        self.documents = 0
        #: Real names replaced in the last text applied -> their pseudonyms.
        self.replaced: dict[str, str] = {}
        #: Case names that name a person -> the participant id they are stored under (their pseudonym).
        self.case_ids: dict[str, str] = {}
        self._named: dict[str, bool] = {}
        #: Memos, descriptions and attribute values whose names were replaced (counted by the planner).
        self.rewritten = 0
        self._final: dict[str, tuple[str, str]] | None = None

    def names_person(self, case: str) -> bool:
        """Whether a case name is a person's name, to pseudonymise (not an id to keep): name-like, or a name the
        key or participants.csv already knows; never a pseudonym the key gave."""
        if case not in self._named:
            known = self.key.find(case, ("speaker", "interviewer")) is not None or label_key(case) in self._roster
            self._named[case] = case not in self.key.pseudonyms() and (known or not is_case_id(case))
        return self._named[case]

    def _case_id(self, case: str, label: str | None = None, kind: str = "speaker") -> str:
        """A named case's participant id: its pseudonym in the key, else participants.csv's id for the name, else
        the pseudonym of the speaker ``label`` it covers, else the next ``Speaker N``; recorded in the key."""
        if case not in self.case_ids:
            known = (self.key.find(case, ("speaker", "interviewer")) or self._roster.get(label_key(case))
                     or (self.key.get(kind, label) if label else None))
            self.case_ids[case] = self.key.assign("speaker", case, known)
        return self.case_ids[case]

    def _speakers(self, segments: Iterable[Segment], keep: set[str], named: set[str]) -> dict[str, str]:
        """Named speaker labels -> their pseudonyms (assigned in the key when new)."""
        interviewer = tuple(self.settings.interviewer_labels)
        protected = self.key.pseudonyms()
        labels: dict[str, tuple[bool, set[str | None]]] = {}
        for s in segments:
            if s.speaker and s.speaker not in keep and s.speaker not in protected \
                    and not is_generic_label(s.speaker, interviewer):
                labels.setdefault(s.speaker, (s.is_interviewer, set()))[1].add(s.participant_id)
        out: dict[str, str] = {}
        for label, (is_interviewer, pids) in labels.items():
            kind = "interviewer" if is_interviewer else "speaker"
            # like ingest: the one named speaker of a case's document takes the case's id as pseudonym
            case = next(iter(pids)) if len(pids) == 1 and next(iter(pids)) in keep | named else None
            sole = case is not None and sum(1 for _, p in labels.values() if p == {case}) == 1
            if sole and case in named:
                case = self._case_id(case, label, kind)  # a case named after the person: her pseudonym
            out[label] = self.key.get(kind, label) or self.key.assign(kind, label, case if sole else None)
        return out

    def _cases_in(self, text: str, segments: Iterable[Segment], named: Iterable[str]) -> None:
        """Give a pseudonym now to each named case this text speaks of (a segment's participant, or a mention of the
        name or a part of it), so the table that replaces the text's names holds it."""
        pending = [c for c in named if c not in self.case_ids]
        if not pending:
            return
        pids = {s.participant_id for s in segments}
        found = replace_names(text, speaker_table({c: c for c in pending}), case_sensitive_kinds=_STRICT_KINDS)
        said = {text[start:end] for start, end, _, _ in found.spans}
        for case in pending:
            words = {label_key(w) for w in (case, *name_parts(case))}
            if case in pids or any(label_key(w) in words for w in said):
                self._case_id(case)

    def _table(self, speakers: Mapping[str, str], keep: set[str]) -> dict[str, tuple[str, str]]:
        """Every name to replace -> (pseudonym, kind), as ingest builds it."""
        names: dict[str, str] = dict(speakers)
        kinds: dict[str, str] = {}
        for kind, real, pseudonym in self.key.entries(("speaker", "interviewer")):
            names.setdefault(real, pseudonym)
            kinds.setdefault(real, kind)
        for name, pid in self.roster_names.items():
            names.setdefault(name, pid)
        table = speaker_table(names, kind_of=kinds)
        for term in self.settings.terms:
            real, _, repl = term.partition("=")
            if real.strip():
                table[real.strip()] = (repl.strip() or self.key.assign("term", real.strip()), "term")
        for kind, real, pseudonym in self.key.entries(("person", "place", "organisation")):
            table.setdefault(real, (pseudonym, kind))
        protected = self.key.pseudonyms()
        interviewer = tuple(self.settings.interviewer_labels)
        return {k: v for k, v in table.items() if k not in protected and k not in keep and not is_generic_label(k)
                and not is_interviewer_label(k, interviewer)}

    def register(self, texts: Iterable[tuple[str, tuple[Segment, ...], str]], *, cases: Iterable[str] = ()) -> None:
        """Before any text is rewritten, as ingest registers every file first: each named speaker of every
        ``(text, segments, title)`` and each case named after a person gets its pseudonym, so a name spoken only in a
        later text is replaced in an earlier one too."""
        texts = list(texts)
        cases = list(dict.fromkeys(cases))
        kept = {c for c in cases if not self.names_person(c)}
        named = [c for c in cases if c not in kept]
        self.key.reserve([*kept, *(x for _, segs, _ in texts for seg in segs for x in (seg.speaker, seg.participant_id))])
        for text, segments, title in texts:
            self._speakers(segments, kept, set(named))
            self._cases_in(f"{title}\n{text}", segments, named)
        for case in named:
            self._case_id(case)

    def apply(self, text: str, segments: tuple[Segment, ...], title: str, *, cases: Iterable[str] = ()) -> Pseudonymised:
        """``text`` with names replaced, its segments moved along (named speakers and their participant ids
        pseudonymised), and ``title`` pseudonymised. ``cases``: the file's case names (participant ids); id-like
        ones stay as they are, those named after a person get her pseudonym."""
        cases = list(dict.fromkeys(cases))
        kept = {c for c in cases if not self.names_person(c)}
        named = [c for c in cases if c not in kept]
        # like ingest: a new pseudonym skips every label and participant id this text and the case ids use
        self.key.reserve([*kept, *(x for seg in segments for x in (seg.speaker, seg.participant_id))])
        speakers = self._speakers(segments, kept, set(named))
        self._cases_in(f"{title}\n{text}", segments, named)
        table = self._table(speakers, kept)
        rep = replace_names(text, table, case_sensitive_kinds=_STRICT_KINDS) if table else None
        new_title = replace_names(title, table, case_sensitive_kinds=_STRICT_KINDS).text if table else title
        out = Pseudonymised(text, segments, new_title)
        self.replaced = {}
        if rep is not None and rep.spans:
            out.text, out.moved, out.counts = rep.text, rep.mapper(), rep.counts()
            self.replaced = {text[start:end]: pseudonym for start, end, pseudonym, _ in rep.spans}
        moved = []
        for s in segments:
            start, end, _ = out.span(s.start, s.end)
            pid = s.participant_id or ""
            moved.append(dataclasses.replace(
                s, start=start, end=end, text=out.text[start:end], speaker=speakers.get(s.speaker or "", s.speaker),
                participant_id=self.case_ids.get(pid) or speakers.get(pid, s.participant_id)))
        out.segments = tuple(moved)
        return out

    def role_cases(self, segments: tuple[Segment, ...], labels: Mapping[int, str | None], document_id: str
                   ) -> tuple[Segment, ...]:
        """``segments`` with each one ``labels`` names (place -> role label, None for a text without labels) under
        its case of the key (``Case 3``, recorded as ``document / label``), as ingest stores them when it
        pseudonymises: never the document id, which is often the participant's name."""
        return tuple(dataclasses.replace(s, participant_id=self.key.assign(
            "case", f"{document_id} / {labels[i] or '(no speaker label)'}")) if i in labels else s
            for i, s in enumerate(segments))

    def finish(self, cases: Iterable[str]) -> dict[str, str]:
        """After the last text: every case name -> its participant id (a named case's pseudonym, assigned now if no
        text spoke of it), and the table ``rewrite`` uses, with every name the texts registered."""
        cases = list(dict.fromkeys(cases))
        ids = {c: self._case_id(c) if self.names_person(c) else c for c in cases}
        self._final = self._table({}, {c for c in cases if not self.names_person(c)})
        return ids

    def rewrite(self, text: str) -> str:
        """A memo, note, description or attribute value with the names replaced that the texts lose (``finish`` first)."""
        if self._final is None:
            self._final = self._table({}, set())
        if not text or not self._final:
            return text
        return replace_names(text, self._final, case_sensitive_kinds=_STRICT_KINDS).text

    def named_ids(self, cases: Iterable[str]) -> list[tuple[str, str]]:
        """Case names kept as ids that still spell a word (3 letters or more) of a real name the key replaces:
        (case name, that person's pseudonym, which is the case name itself when she is the case's speaker)."""
        out = []
        people = [(real, p) for _, real, p in self.key.entries(("speaker", "interviewer"))]
        people += list(self.roster_names.items())
        for case in dict.fromkeys(cases):
            if self.names_person(case) or is_generic_label(case):
                continue
            words = set(slugify(case, sep="-", fallback="").split("-"))
            hit = next((p for real, p in people if any(
                len(w) >= 3 and w in words for w in slugify(real, sep="-", fallback="").split("-"))), None)
            if hit is not None:
                out.append((case, hit))
        return out

    def record(self, done: Pseudonymised) -> None:
        """Count the replacements of a text that is stored (not one found already in the study)."""
        if done.counts:
            self.documents += 1
            for kind, n in done.counts.items():
                self.counts[kind] = self.counts.get(kind, 0) + n

    def name_in(self, document_id: str) -> str | None:
        """The pseudonym of a name replaced in the last text whose word (3 letters or more) ``document_id`` spells."""
        words = set(document_id.split("-"))
        for real, pseudonym in self.replaced.items():
            if any(len(w) >= 3 and w in words for w in slugify(real, sep="-", fallback="").split("-")):
                return pseudonym
        return None
