"""Map a parsed REFI project onto thematic records, before anything is written.

Everything that can fail (reading sources, mapping offsets, checking quotes, building the codebook)
happens here, so the writing step that follows only writes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict
from typing import Any, Callable

from ..errors import ThematicError, Warnings
from ..ingest.read import pseudonymised_attributes
from ..models import Document, Participant, Provenance, Segment, utcnow
from ..store import person_name
from .codebook_map import map_codebook
from .codings import SelectionMapper
from .import_plan import (MISMATCH_FLAG, SOURCE_DESCRIPTION, SOURCE_MEMO,  # noqa: F401  (re-exported: refi.plan.*)
                          MEMO_HEADER, UNKNOWN_CODER, ImportPlan)
from .description import parse_description
from .layout import layout_ref, read_layout
from .load import LoadedRefi
from .memo_file import escape_note, section_name
from .model import RefiCase, RefiProject, RefiSelection, RefiSource
from .pseudonyms import ImportPseudonyms, Pseudonymised
from .records import RECONCILE_SOURCE, Records, consensus_coders, read_records, records_ref
from .report import ImportReport, SelectionCheck
from .segments import document_participants, segment_text
from .text import TextMap, decode_source, quote_check, slugify, source_warnings, unique

RAW_FOLDER = "data/raw/refi"
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_EXT = re.compile(r"\.(txt|docx?|rtf|pdf|md|odt|html?)$", re.I)
_SUGGESTER = re.compile(r"^[\w-]+(\.[\w-]+)*\.v\d+$")


def document_id_for(name: str) -> str:
    """A document id from a source name: kept when already id-like, else slugified."""
    stem = _EXT.sub("", name.strip())
    return stem if _DOC_ID.match(stem) else slugify(stem, sep="-", fallback="doc")


def _renamed(segments: tuple[Segment, ...], old: str, new: str, *, participants: bool) -> tuple[Segment, ...]:
    """Segments made under the id ``old`` for document ``new`` (``old`` was taken); with ``participants``, the participant
    ids segmentation made of the id (a text without speaker labels: the document itself) follow it."""
    if old == new:
        return segments

    def pid(p: str | None) -> str | None:
        if not participants or p is None or not (p == old or p.startswith(old + " ")):
            return p
        return new + p[len(old):]

    return tuple(dataclasses.replace(s, document_id=new, participant_id=pid(s.participant_id)) for s in segments)


@dataclasses.dataclass(slots=True)
class _Text:
    """A text source as read and segmented, before pseudonymisation (every source is read before any is rewritten)."""

    tmap: TextMap
    base: str  # the document id it asks for
    segments: tuple[Segment, ...]
    from_layout: bool  # the segments a thematic export wrote beside it
    records: Records | None = None  # what each coder saw and the consensus decisions, on those segments
    records_ref: str = ""
    units_kept: bool = True  # False: the study already held this text, cut into other segments


class Planner:
    """Builds an ImportPlan from a loaded REFI file and what the target study already holds."""

    def __init__(self, loaded: LoadedRefi, *, existing: Callable[[str], Document | None], existing_ids: set[str],
                 existing_participants: dict[str, Participant], codebook_name: str, ingest_settings: Any = None,
                 pseudonyms: ImportPseudonyms | None = None, consensus: str = "consensus") -> None:
        self.loaded = loaded
        self.p: RefiProject = loaded.project
        self.existing = existing
        self.existing_participants = existing_participants
        self.codebook_name = codebook_name
        self.ingest_settings = ingest_settings
        self.pseudonyms = pseudonyms  # the study's key, when it pseudonymises
        self.consensus = consensus  # the coder the study's tables count as the consensus
        self.users = {u.guid: u.name for u in self.p.users if u.name}
        self.crlf_as_two = "nvivo" in self.p.origin.lower()
        self.report = ImportReport(path=loaded.path, origin=self.p.origin, crlf_as_two=self.crlf_as_two)
        self.notes: dict[str, str] = {}
        self.referenced: set[str] = set()
        self.taken_ids: set[str] = set(existing_ids)
        self.doc_of_source: dict[str, str] = {}
        self.case_names: list[str] = []  # named cases, as the file names them (participant ids before pseudonyms)
        self.cases_of_source: dict[str, list[str]] = {}  # source GUID -> the named cases that cover it

    def plan(self) -> ImportPlan:
        """Map everything; warnings go to the report, nothing is written."""
        self._count_found()
        self._load_notes()
        cb = map_codebook(self.p, name=self.codebook_name, source=self.loaded.path.name, notes=self.notes)
        self.referenced.update(g for c, _ in self.p.all_codes() for g in c.note_guids)
        plan = ImportPlan(self.report, cb)
        if cb.carried:
            self.report.notes.append(
                f"{len(cb.carried)} code(s) the exporting codebook retired or split away stay out of reach (changes "
                f"entries dated {cb.version} in the imported codebook): {', '.join(cb.carried[:10])}"
                + (f" and {len(cb.carried) - 10} more" if len(cb.carried) > 10 else ""))
        doc_vars, doc_participant = self._cases(plan)
        doc_sets = self._sets()
        read = [(src, self._read(src, doc_participant.get(src.guid))) for src in self.p.sources]
        if self.pseudonyms is not None:  # like ingest: every text's speakers and the cases are in the key first
            self.pseudonyms.register([(t.tmap.text, t.segments, src.name) for src, t in read if t is not None],
                                     cases=self.case_names)
        for src, text in read:
            if text is not None:
                self._text_source(plan, src, text, doc_vars.get(src.guid, {}), doc_sets.get(src.guid, []))
        self._unsupported()
        self._consensus_checks(plan)
        if self.pseudonyms is not None:
            self._pseudonymise_rest(plan)
        code_memos = sum(1 for c, _ in self.p.all_codes() if any(self.notes.get(g) for g in c.note_guids))
        self.report.imported["memos"] = (self.report.imported.get("memos", 0) + code_memos
                                         + sum(1 for c in plan.codings if c.memo))  # document + code + coding memos
        plan.notes_markdown = self._notes_markdown()
        if plan.notes_markdown and self.pseudonyms is not None:  # the project description and the notes' names
            plan.notes_markdown = self.pseudonyms.rewrite(plan.notes_markdown)
        self.report.imported.update(documents=len(plan.documents), codes=cb.n_codes, participants=len(plan.participants))
        self.report.notes.extend(f"skipped {s}" for s in self.p.skipped)
        return plan

    # -- inventory ---------------------------------------------------------------------------
    def _count_found(self) -> None:
        p = self.p
        text = [s for s in p.sources if s.kind == "TextSource"]
        self.report.found = {
            "users": len(p.users), "codes": len(p.all_codes()), "sources": len(p.sources), "text sources": len(text),
            "text selections": sum(len(s.selections) + s.unplaced_selections for s in p.sources),
            "codings": p.count_codings(),
            "cases": len(p.cases), "variables": len(p.variables), "notes": len(p.notes), "sets": len(p.sets),
            **p.unsupported,
        }
        self.report.sets = [(s.name, len(s.code_guids), len(s.source_guids)) for s in p.sets]
        self.report.not_carried_over.extend(p.not_carried)
        self.report.notes.extend(p.warnings)

    def _load_notes(self) -> None:
        for note in self.p.notes:
            text = note.text
            if not text and note.path:
                data, _ = self.loaded.read_source(note.path)
                text = decode_source(data)[0] if data is not None else ""
            self.notes[note.guid] = "\n\n".join(x for x in (note.description.strip(), text.strip()) if x)

    def _note_text(self, guids: list[str]) -> str:
        self.referenced.update(guids)
        return "\n\n".join(self.notes[g] for g in guids if self.notes.get(g))

    # -- cases and sets ----------------------------------------------------------------------
    def _cases(self, plan: ImportPlan) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """Named cases -> participants; nameless cases (MAXQDA) -> variables of their sources."""
        doc_vars: dict[str, dict[str, Any]] = defaultdict(dict)
        cases_of_source: dict[str, list[str]] = defaultdict(list)
        selection_only = 0
        for case in self.p.cases:
            if not case.name:
                for g in case.source_guids:
                    doc_vars[g].update(case.variables)
                selection_only += 0 if case.source_guids else 1
                continue
            plan.participants.append(self._participant(case))
            self.case_names.append(case.name)
            for g in case.source_guids:
                cases_of_source[g].append(case.name)
            selection_only += 1 if case.selection_guids and not case.source_guids else 0
        if selection_only:
            self._lost("cases", selection_only, "cases made of selections, or nameless cases with no source")
        doc_participant = {g: names[0] for g, names in cases_of_source.items() if len(set(names)) == 1}
        self.cases_of_source = dict(cases_of_source)
        return doc_vars, doc_participant

    def _participant(self, case: RefiCase, pid: str | None = None) -> Participant:
        pid = pid or case.name
        before = self.existing_participants.get(pid)
        attrs = {**(dict(before.attributes) if before else {}), **case.variables}
        if case.description:
            attrs.setdefault("description", case.description)
        return Participant(pid, attrs)

    def _pseudonymise_rest(self, plan: ImportPlan) -> None:
        """Once every text has registered its speakers: cases named after a person become participants under their
        pseudonym, and names are replaced in case attribute values, memos, notes and descriptions (as in the texts)."""
        pseudonyms = self.pseudonyms
        assert pseudonyms is not None
        ids = pseudonyms.finish(self.case_names)
        changed = 0

        def rewrite(text: str) -> str:
            nonlocal changed
            new = pseudonyms.rewrite(text)
            changed += new != text
            return new

        people: dict[str, Participant] = {}
        for case in (c for c in self.p.cases if c.name):
            made = self._participant(case, ids.get(case.name))
            if made.id in people:  # two cases, one person (``Maria`` and ``MARIA``): one participant
                made = Participant(made.id, {**people[made.id].attributes, **made.attributes})
            people[made.id] = made
        plan.participants[:], left_out = pseudonymised_attributes(list(people.values()), rewrite)
        for pid, column in left_out:
            self.report.notes.append(Warnings.W519.format(file=self.loaded.path.name, case=pid, column=column))
        for name, pseudonym in pseudonyms.named_ids(self.case_names):
            person = "its own participant" if pseudonym == name else pseudonym
            self.report.notes.append(Warnings.W511.format(file=self.loaded.path.name, case=name, person=person))
        plan.codings[:] = [dataclasses.replace(c, memo=rewrite(c.memo)) if c.memo else c for c in plan.codings]
        for decision in plan.decisions:
            if decision["memo"]:
                decision["memo"] = rewrite(decision["memo"])
        for doc in plan.documents:
            attributes = doc.attributes
            for name, value in list(attributes.items()):
                if name == "memos":
                    for memo in value:
                        memo["memo"] = rewrite(memo["memo"])
                elif name not in ("refi_guid", "sets") and isinstance(value, str):
                    attributes[name] = rewrite(value)  # type: ignore[index]
        notes = {guid: pseudonyms.rewrite(text) for guid, text in self.notes.items()}
        coded = {g for c, _ in self.p.all_codes() for g in c.note_guids}
        if notes != self.notes:
            changed += sum(1 for g in coded if notes.get(g) != self.notes.get(g))  # code memos
            self.notes = notes  # the loose notes in memos/<file>.md too
            plan.codebook = map_codebook(self.p, name=self.codebook_name, source=self.loaded.path.name, notes=notes)
        pseudonyms.rewritten = changed

    def _sets(self) -> dict[str, list[str]]:
        sets_of: dict[str, list[str]] = defaultdict(list)
        notes = 0
        for s in self.p.sets:
            for g in s.source_guids:
                sets_of[g].append(s.name)
            notes += len(s.note_guids)
        if notes:
            self._lost("note set memberships", notes, "thematic has no sets of memos")
        return sets_of

    # -- sources -----------------------------------------------------------------------------
    def _read(self, src: RefiSource, participant: str | None) -> _Text | None:
        """A text source's text and segments (not yet pseudonymised); None, with a warning, for what is not read."""
        if src.other_selections or (src.kind not in ("TextSource", "PDFSource") and src.other_codings):
            kind = f"{src.kind} ({src.other_selections} region/time selection(s))"
            self.report.not_carried_over.append(Warnings.W501.format(source=src.name, kind=kind, n=src.other_codings))
        if src.kind not in ("TextSource", "PDFSource") or (src.path is None and src.content is None):
            if src.kind == "TextSource":
                self._lost(f"text source '{src.name}'", 1, "it has neither a text file nor inline text")
            elif src.kind != "PDFSource" and not src.other_codings:
                self._lost(f"{src.kind} '{src.name}'", 1, "thematic codes text only")
            return None
        n_codings = len(src.codings) + sum(len(s.codings) for s in src.selections)
        raw = src.content
        if raw is None:
            data, where = self.loaded.read_source(src.path or "")
            if data is None:
                self.report.not_carried_over.append(Warnings.W500.format(
                    source=src.name, ref=src.path, where=where, n=len(src.selections), codings=n_codings))
                return None
            raw, cp1252 = decode_source(data)
            if cp1252:
                self.report.notes.extend(source_warnings(data, f"{self.loaded.path.name}!{where}"))
        tmap = self._text_map(raw, src.selections, src.name)
        kept = parse_description(src.description).code_id
        base = kept if kept and _DOC_ID.match(kept) else document_id_for(src.name)
        segments = self._layout(src, base, tmap.text)
        records, ref = self._records(src, tmap.text, segments)
        if segments is not None:
            return _Text(tmap, base, segments, True, records, ref)
        segments = segment_text(base, tmap.text, participant=participant, settings=self.ingest_settings,
                                speakers=[pid for pid in self.case_names if pid in tmap.text])
        return _Text(tmap, base, segments, False)

    def _text_map(self, raw: str, selections: list[RefiSelection], source: str) -> TextMap:
        chosen = TextMap(raw, crlf_as_two=self.crlf_as_two)
        if "\r\n" not in raw or not selections:
            return chosen
        other = TextMap(raw, crlf_as_two=not self.crlf_as_two)

        def score(m: TextMap) -> int:
            return sum(1 for s in selections if m.in_bounds(s.start, s.end)
                       and quote_check(s.name, m.text[m.to_norm(s.start):m.to_norm(s.end)]) is True)

        if score(other) > score(chosen):
            count = "two characters" if other.crlf_as_two else "one character"
            self.report.notes.append(f"{source}: the quotes match only when CRLF counts as {count}; used that.")
            return other
        return chosen

    def _document(self, plan: ImportPlan, src: RefiSource, read: _Text, attributes: dict[str, Any]
                  ) -> tuple[str, Pseudonymised]:
        """The document for a source's text (or the same one already stored): its id, and its text, segments and
        title, pseudonymised through the study's key when the study pseudonymises."""
        text, base, segments, from_layout = read.tmap.text, read.base, read.segments, read.from_layout
        final = Pseudonymised(text, segments, src.name)
        if self.pseudonyms is not None:
            final = self.pseudonyms.apply(text, segments, src.name, cases=self.case_names)
        before = self._same_document(base, final.text)
        if before is not None:
            self.report.imported["documents reused"] = self.report.imported.get("documents reused", 0) + 1
            read.units_kept = [(s.start, s.end) for s in before.segments] == [(s.start, s.end) for s in final.segments]
            final.segments = before.segments
            return before.id, final
        doc_id = unique(base, self.taken_ids, sep="-")
        # role-labelled speakers (and unlabelled text) segmentation gave the document id, not a case's name
        roles = {i: label for i, label in document_participants(base, segments).items()
                 if segments[i].participant_id not in self.case_names}
        if roles and self.pseudonyms is not None:  # as ingest: a case of the key, never the (often named) document
            final.segments = self.pseudonyms.role_cases(final.segments, roles, doc_id)
        final.segments = _renamed(final.segments, base, doc_id, participants=not from_layout and self.pseudonyms is None)
        if roles:
            self._cases_not_told_apart(src, doc_id, [segments[i].speaker for i in roles],
                                       [final.segments[i].participant_id for i in roles])
        if self.pseudonyms is not None:
            self.pseudonyms.record(final)
            if named := self.pseudonyms.name_in(doc_id):
                self.report.notes.append(Warnings.W510.format(source=src.name, document=doc_id, pseudonym=named))
        rel = f"{RAW_FOLDER}/{doc_id}.txt"
        data = text.encode("utf-8")
        plan.raw_files[rel] = text  # the text as the file gave it, as data/raw holds transcripts
        doc = Document(
            id=doc_id, path=rel, format="refi", text=final.text, content_hash=hashlib.sha256(data).hexdigest(),
            segments=final.segments, title=final.title, attributes=attributes,
        )
        plan.documents.append(doc)
        return doc_id, final

    def _cases_not_told_apart(self, src: RefiSource, doc_id: str, labels: list[str | None],
                              ids: list[str | None]) -> None:
        """W550 for a source that several cases cover but whose turns do not say which case speaks each (a thematic
        export of a focus group read without its segments files): its speakers became participants of their own."""
        cases = list(dict.fromkeys(self.cases_of_source.get(src.guid, [])))
        if len(cases) < 2:
            return
        self.report.notes.append(Warnings.W550.format(
            file=self.loaded.path.name, source=src.name, document=doc_id, n=len(cases),
            cases=", ".join(f"'{c}'" for c in cases),
            speakers=", ".join(f"'{x or '(no speaker label)'}' ({p})" for x, p in dict(zip(labels, ids)).items())))

    def _same_document(self, base: str, text: str) -> Document | None:
        """A stored document with this text, under ``base`` or an id an earlier import numbered from it (``base-2``:
        a text changed in the other program), that no other source of this file has taken."""
        numbered = re.compile(rf"{re.escape(base)}(-[0-9]+)?")
        used = set(self.doc_of_source.values())
        ids = [i for i in self.taken_ids if numbered.fullmatch(i) and i not in used]
        for doc_id in sorted(ids, key=lambda i: (len(i), i)):  # base, base-2 ... base-10
            doc = self.existing(doc_id)
            if doc is not None and doc.text == text:
                return doc
        return None

    def _layout(self, src: RefiSource, doc_id: str, text: str) -> tuple[Segment, ...] | None:
        """The segments a thematic export wrote beside the source's text, when they fit this text."""
        ref = layout_ref(src.path or "")
        if ref is None:
            return None
        data, _ = self.loaded.read_source(ref)
        if data is None:
            return None
        segments, why = read_layout(doc_id, text, data)
        if segments is None:
            self.report.notes.append(f"{src.name}: the segments thematic exported with it were not used ({why}); "
                                     "it was segmented afresh.")
        return segments

    def _records(self, src: RefiSource, text: str, segments: tuple[Segment, ...] | None
                 ) -> tuple[Records | None, str]:
        """The records file a thematic export wrote beside the source's text, when it fits the text and its segments
        (W542 says why one does not); (None, "") when there is none."""
        ref = records_ref(src.path or "")
        data = self.loaded.read_source(ref)[0] if ref is not None else None
        if ref is None or data is None:
            return None, ""
        records, why = read_records(text, len(segments or ()), data)
        if records is not None and segments is None:
            records, why = None, "the segments exported with it could not be used"
        if records is not None:
            try:
                for name in {s.coder for s in records.seen}:
                    person_name(name, known=[name])
            except ThematicError as exc:
                records, why = None, str(exc)
        if records is None:
            self.report.not_carried_over.append(Warnings.W542.format(source=src.name, ref=ref, why=why))
        return records, ref

    def _place_records(self, plan: ImportPlan, src: RefiSource, read: _Text, doc_id: str,
                       segments: tuple[Segment, ...]) -> None:
        """The source's coverage and decisions onto the stored segments of its document."""
        records = read.records
        if records is None:
            return
        if not read.units_kept:
            self.report.not_carried_over.append(Warnings.W542.format(
                source=src.name, ref=read.records_ref, why=f"the study already holds this text as '{doc_id}', cut "
                "into other segments"))
            return
        plan.seen.extend((s.coder, segments[s.segment].id, s.source) for s in records.seen)
        codes = plan.codebook.code_ids
        for d in records.decisions:
            plan.decisions.append({
                "consensus": d.consensus, "coders": d.coders, "segment_id": segments[d.segment].id,
                "document_id": doc_id, "code_id": codes.get(d.code_guid or "", d.code), "applied": d.applied,
                "memo": d.memo, "decided_by": d.decided_by, "route": d.route})

    def _consensus_checks(self, plan: ImportPlan) -> None:
        """W543 for a coder that looks like a consensus (reconcile wrote its codings, or it has the name of this
        study's consensus) but whose settled segments the file does not give; W544 for a consensus that this study
        does not count (another name)."""
        file = self.loaded.path.name
        settled = consensus_coders((coder, source) for coder, _, source in plan.seen)
        owners: dict[str, list[Any]] = defaultdict(list)
        for c in plan.codings:
            if c.status != "suggested" or c.id in plan.accepted:  # what the tables count
                owners[plan.accepted.get(c.id, c.coder)].append(c)
        reconciled = {o for o, made in owners.items() if any(c.provenance.source == RECONCILE_SOURCE for c in made)}
        for owner, made in sorted(owners.items()):
            if owner in settled:
                continue
            if owner in reconciled:
                pairs = sorted({",".join(c.provenance.params.get("coders") or []) for c in made
                                if c.provenance.source == RECONCILE_SOURCE} - {""})
                why = "their notes say `thematic reconcile` wrote them"
                then = ("Record what each coder saw (`thematic code mark-seen`) and settle the segments again with "
                        f"`thematic reconcile --coders {pairs[0] if pairs else 'A,B'}`.")
            elif owner.casefold() == self.consensus.casefold():
                why = f"'{owner}' is the name of this study's consensus coder"
                then = ("No `thematic reconcile` wrote them, so reconcile refuses that name ([E610]): rename that user "
                        "in the program the file came from, or name another consensus under [study] in thematic.toml.")
            else:
                continue
            self.report.not_carried_over.append(Warnings.W543.format(file=file, n=len(made), coder=owner, why=why,
                                                                     then=then))
        names = settled | reconciled | {str(d["consensus"]) for d in plan.decisions}
        for name in sorted(names - {self.consensus}):
            self.report.notes.append(Warnings.W544.format(file=file, name=name, consensus=self.consensus))

    def _text_source(self, plan: ImportPlan, src: RefiSource, read: _Text, variables: dict[str, Any],
                     sets: list[str]) -> None:
        tmap = read.tmap
        attributes: dict[str, Any] = {**variables, **src.variables, "refi_guid": src.guid}
        if sets:
            attributes["sets"] = sorted(set(sets))
        memos: list[dict[str, Any]] = []
        if note := self._note_text(src.note_guids):
            memos.append({"memo": note, "name": SOURCE_MEMO})
        if description := parse_description(src.description).definition:
            memos.append({"memo": description, "name": SOURCE_DESCRIPTION})
        attributes["memos"] = memos  # filled below from uncoded selections; dropped again if it stays empty
        doc_id, final = self._document(plan, src, read, attributes)
        self.doc_of_source[src.guid] = doc_id
        self._place_records(plan, src, read, doc_id, final.segments)
        mapper = SelectionMapper(self, plan, doc_id, src.name, tmap, final.segments, final)
        for sel in src.selections:
            mapper.add_selection(sel, memos)
        if src.codings:
            mapper.add_whole_source(src)
        if mapper.cut:
            self.report.notes.append(Warnings.W508.format(source=src.name, n=len(mapper.cut), where=mapper.cut[0]))
        if not memos:
            del attributes["memos"]
        self.report.imported["memos"] = self.report.imported.get("memos", 0) + len(memos)

    # -- what is left ------------------------------------------------------------------------
    def _lost(self, what: str, n: int, why: str) -> None:
        self.report.not_carried_over.append(Warnings.W504.format(what=what, n=n, why=why))

    def _unsupported(self) -> None:
        why = {"graphs": "thematic has no network views", "links": "thematic has no links between items"}
        for kind, n in self.p.unsupported.items():
            self._lost(kind, n, why.get(kind, "not supported"))

    def _notes_markdown(self) -> str | None:
        loose = [n for n in self.p.notes if n.guid not in self.referenced or n.guid in self.p.note_guids]
        if not loose and not self.p.description:
            return None
        parts = [f"{MEMO_HEADER}{self.loaded.path.name}\n"]
        if self.p.description:
            parts.append(f"## Project description\n\n{escape_note(self.p.description)}\n")
        for n in loose:
            author = self.users.get(n.user_guid or "", "")
            when = n.created.date().isoformat() if n.created else ""
            meta = " · ".join(x for x in (author, when) if x)
            byline = f"*{meta}*\n\n" if meta else ""
            parts.append(f"## {section_name(n.name or n.guid)}\n\n{byline}{escape_note(self.notes.get(n.guid, ''))}\n")
        return "\n".join(parts)

    # -- helpers used by the selection mapper -------------------------------------------------
    def coder_of(self, *guids: str | None) -> str:
        """The name of the first known user among ``guids``."""
        for g in guids:
            if g and self.users.get(g):
                return self.users[g]
        return UNKNOWN_CODER

    def status_of(self, coder: str, said: str | None = None) -> str:
        """The status a thematic export wrote (``said``), else 'suggested' for a versioned suggester name
        (e.g. thematic.rules.v1: a program's coding never counts without a human decision), else 'manual'."""
        if said:
            return said
        return "suggested" if _SUGGESTER.match(coder) else "manual"

    def provenance(self, selection: str, coding: str, reconcile: tuple[list[str], str] | None = None) -> Provenance:
        """Where an imported coding came from; a consensus coding (``reconcile``: its coders and route) stays
        reconcile's, so the consensus coder is still written by reconcile alone (E610)."""
        params = {"file": self.loaded.path.name, "selection": selection, "coding": coding}
        if reconcile is not None:
            coders, route = reconcile
            return Provenance(RECONCILE_SOURCE, name=f"reconcile:{','.join(coders)}",
                              params={"route": route, "coders": list(coders), **params})
        return Provenance("refi", name=f"refi:{self.p.origin or 'unknown'}", params=params)

    def mismatch(self, check: SelectionCheck) -> None:
        """Record a quote that does not match its offsets."""
        self.report.mismatches.append(check)

    @staticmethod
    def now() -> Any:
        """The time used for codings without a creation date."""
        return utcnow()
