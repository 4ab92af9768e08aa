"""Imported texts pseudonymised through the study's key, as ingest pseudonymises transcripts.

Each named speaker gets the key's pseudonym (the same person in every file), and every name the key,
participants.csv and ``[ingest] terms`` know is replaced wherever it appears. The offset map moves
segments, codings and memos along, so each still covers the same words (a span cut inside a name
covers its whole pseudonym). Name recognition (NER) is not run on imports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..config import IngestSettings
from ..ingest.labels import is_generic_label, is_interviewer_label
from ..ingest.pseudonymise import OffsetMap, PseudonymKey, replace_names, speaker_table
from ..models import Segment
from .text import slugify

#: Kinds matched as written (or Title case / capitals), never in lower case: "will" is not "Will".
_STRICT_KINDS = ("speaker", "interviewer", "person", "place", "organisation")


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
        self.counts: dict[str, int] = {}
        self.documents = 0
        #: Real names replaced in the last text applied -> their pseudonyms.
        self.replaced: dict[str, str] = {}

    def _speakers(self, segments: Iterable[Segment], keep: set[str]) -> dict[str, str]:
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
            case = next(iter(pids)) if len(pids) == 1 and next(iter(pids)) in keep else None
            sole = case is not None and sum(1 for _, p in labels.values() if p == {case}) == 1
            out[label] = self.key.get(kind, label) or self.key.assign(kind, label, case if sole else None)
        return out

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

    def apply(self, text: str, segments: tuple[Segment, ...], title: str, *, keep: Iterable[str] = ()) -> Pseudonymised:
        """``text`` with names replaced, its segments moved along (named speakers and their participant ids
        pseudonymised), and ``title`` pseudonymised. ``keep``: participant ids (case names) left as they are."""
        kept = set(keep)
        # like ingest: a new pseudonym skips every label and participant id this text and the case names use
        self.key.reserve([*kept, *(x for seg in segments for x in (seg.speaker, seg.participant_id))])
        speakers = self._speakers(segments, kept)
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
            moved.append(dataclasses.replace(
                s, start=start, end=end, text=out.text[start:end], speaker=speakers.get(s.speaker or "", s.speaker),
                participant_id=speakers.get(s.participant_id or "", s.participant_id)))
        out.segments = tuple(moved)
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
