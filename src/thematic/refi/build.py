"""Build a RefiProject from a study's codebook and store (the export side's domain rules)."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .._personal import column_key, is_personal
from ..codebook import Codebook
from ..coding.owner import SUGGESTED_BY, accepted_as_coding
from ..errors import Warnings
from ..models import UNANCHORED_FLAGS, Code, Document
from ..store import Store
from .coding_meta import CodingMeta, note_with_meta
from .description import Lifecycle, code_description, guid_from_memo, sets_from_memo
from .guids import GuidFactory
from .import_plan import MEMO_HEADER, SOURCE_DESCRIPTION, UNKNOWN_CODER
from .layout import SUFFIX as LAYOUT_SUFFIX, layout_json
from .memo_file import unescape_note
from .model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from .records import RECONCILE_SOURCE, SUFFIX as RECORDS_SUFFIX, Decision, Records, Seen, records_json

QUOTE_NAME_LIMIT = 500
_PRIVATE_ATTRIBUTES = ("sets", "memos")


def refi_color(value: str | None) -> str | None:
    """A colour as ``#RRGGBB`` (names such as 'teal' converted), or None when unknown."""
    if not value:
        return None
    v = value.strip()
    if v.startswith("#") and len(v) in (4, 7) and all(c in "0123456789abcdefABCDEF" for c in v[1:]):
        return v.upper()
    try:
        from matplotlib.colors import to_hex

        return to_hex(v).upper()
    except (ImportError, ValueError):
        return None


def code_lifecycles(codebook: Codebook) -> dict[str, Lifecycle]:
    """The codes no coder may apply any more, by id: each retired code, and each split-away code the file no longer
    defines, with the split's targets as they are named now (a later rename or merge followed, as ``migrate`` does)."""
    entries = codebook.released_changes()
    out: dict[str, Lifecycle] = {}
    for i, e in enumerate(entries):
        if e.kind == "retire":
            out[e.sources[0]] = Lifecycle("retired", e.version, (), e.note or "")
        elif e.kind == "split" and e.sources[0] not in codebook and e.sources[0] not in codebook.retired:
            targets = []
            for target in e.targets:
                for later in entries[i + 1:]:
                    if later.kind in ("rename", "merge") and target in later.sources:
                        target = later.targets[0]
                targets.append(target)
            out[e.sources[0]] = Lifecycle("split", e.version, tuple(dict.fromkeys(targets)), e.note or "")
    return out


def _code_tree(codebook: Codebook, guids: GuidFactory) -> tuple[list[RefiCode], dict[str, str], list[RefiNote]]:
    """REFI codes nested like the codebook, the code-id -> GUID map, and notes for code memos. A retired code is
    not codable, and its description says when it was retired."""
    by_id: dict[str, RefiCode] = {}
    notes: list[RefiNote] = []
    retired = code_lifecycles(codebook)
    for code in codebook:
        kept, memo = guid_from_memo(code.memo)
        life = retired.get(code.id) if not code.is_theme else None
        rc = RefiCode(guid=guids("code", code.id, keep=kept), name=code.label or code.id,
                      codable=not code.is_theme and code.parent is not None and life is None,
                      color=refi_color(code.color), description=code_description(code, life))
        if memo:
            note = RefiNote(guid=guids("note", f"code:{code.id}"), name=f"Memo: {code.label or code.id}", text=memo)
            notes.append(note)
            rc.note_guids.append(note.guid)
        by_id[code.id] = rc
    roots = []
    for code in codebook:
        parent = by_id.get(code.parent) if code.parent else None
        (parent.children if parent is not None else roots).append(by_id[code.id])
    return roots, {k: v.guid for k, v in by_id.items()}, notes


def _code_sets(codebook: Codebook, code_guids: Mapping[str, str]) -> dict[str, list[str]]:
    """The code sets an import recorded in the codes' memos (``REFI sets:`` lines): {set name: member code GUIDs}."""
    sets: dict[str, list[str]] = defaultdict(list)
    for code in codebook:
        for name in sets_from_memo(code.memo):
            sets[name].append(code_guids[code.id])
    return dict(sets)


def codebook_project(codebook: Codebook, study_name: str, *, origin: str) -> RefiProject:
    """A codebook-only RefiProject (for .qdc), with the code sets an import recorded."""
    guids = GuidFactory(study_name)
    codes, code_guids, _ = _code_tree(codebook, guids)
    sets = [RefiSet(guids("set", name), name, code_guids=members)
            for name, members in _code_sets(codebook, code_guids).items()]
    return RefiProject(name=study_name, origin=origin, codes=codes, sets=sets, is_codebook_only=True)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def memo_file_notes(text: str) -> list[tuple[str, str, str, str]] | None:
    """The notes in a ``memos/<file>.md`` an import wrote (``MEMO_HEADER``, then one ``## name`` section a note,
    opening with ``*author · date*`` when known, its text escaped by ``escape_note``) as (name, author, date, text);
    None for a file no import wrote."""
    if not text.startswith(MEMO_HEADER):
        return None
    out = []
    for section in re.split(r"(?m)^## ", text.replace("\r\n", "\n"))[1:]:
        name, _, body = section.partition("\n")
        body = body.strip("\n")
        author = day = ""
        first, _, rest = body.partition("\n\n")
        if len(first) > 2 and first.startswith("*") and first.endswith("*") and "\n" not in first:
            for part in first[1:-1].split(" · "):
                if _DAY.fullmatch(part):
                    day = part
                else:
                    author = part
            body = rest
        out.append((name.strip(), author, day, unescape_note(body.strip())))
    return out


_INT = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[+-]?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")  # "007" is an id: Text
_BOOL = {"true": True, "false": False}


def _as_bool(v: Any) -> bool | None:
    return v if isinstance(v, bool) else _BOOL.get(v.strip().lower()) if isinstance(v, str) else None


def _as_int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    return int(v.strip()) if isinstance(v, str) and _INT.match(v.strip()) else None


def _as_float(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    return float(v.strip()) if isinstance(v, str) and _FLOAT.match(v.strip()) else None


_CONVERT = {"Boolean": _as_bool, "Integer": _as_int, "Float": _as_float}


def _variable_type(values: list[Any]) -> str:
    """Boolean, Integer or Float when every (non-empty) value is one, as stored or as text (participants.csv
    gives strings); else Text."""
    filled = [v for v in values if not (isinstance(v, str) and not v.strip())]
    if not filled:
        return "Text"
    for kind in ("Boolean", "Integer", "Float"):
        if all(_CONVERT[kind](v) is not None for v in filled):
            return kind
    return "Text"


def _scalars(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes that can be REFI variables (scalars, not thematic's own bookkeeping keys)."""
    return {k: v for k, v in attributes.items()
            if not k.startswith("refi_") and k not in _PRIVATE_ATTRIBUTES and isinstance(v, (str, int, float, bool))}


def _is_pseudonym(column: str) -> bool:
    """A ``pseudonym`` column: the public alias quotes print (ingest never stores a real name there, W011), which
    goes out with the other attributes, unlike the names and contacts ``is_personal`` also covers."""
    return column_key(column) == "pseudonym"


def source_name(name: str) -> str:
    """A source name without ``/`` or ``\\`` (QualCoder reads them as folders and cannot copy the file)."""
    return " ".join(name.replace("/", "-").replace("\\", "-").split()) or "source"


def _when(value: Any) -> datetime | None:
    """An ISO date-time (as an imported memo keeps it), else None."""
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _opt(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _meta(rows: pd.DataFrame) -> CodingMeta:
    """What REFI cannot hold of these codings (one span, coder and code): status, suggesters, flag."""
    statuses = set(rows["status"].astype(str))
    status = "manual" if "manual" in statuses else "accepted" if "accepted" in statuses else "suggested"
    by = [str(v) for v in rows.get(SUGGESTED_BY, pd.Series(dtype=object)) if _opt(v)]
    flags = list(dict.fromkeys(str(f) for f in rows.get("flag", pd.Series(dtype=object)) if _opt(f)))
    # A manual coding needs no line (any importer reads it as manual); the others say what they are.
    return CodingMeta(status=None if status == "manual" else status, suggested_by=list(dict.fromkeys(by)),
                      flag="; ".join(flags) or None, reconcile=_reconciled(rows))


def _reconciled(rows: pd.DataFrame) -> tuple[list[str], str] | None:
    """The coders and route of a consensus coding (one ``thematic reconcile`` wrote), else None."""
    mine = rows.loc[rows.get("source", pd.Series("", index=rows.index)).astype(str) == RECONCILE_SOURCE]
    if mine.empty:
        return None
    try:
        params = json.loads(_opt(mine["params"].iloc[0]) or "{}") if "params" in mine else {}
    except ValueError:
        params = {}
    params = params if isinstance(params, dict) else {}
    return [str(c) for c in params.get("coders") or []], str(params.get("route") or "api")


class ProjectBuilder:
    """Collects a study into a RefiProject plus the source texts to put in ``sources/``."""

    def __init__(self, study_name: str, *, origin: str, created: datetime, owner: str = "thematic",
                 consensus: str = "consensus") -> None:
        self.guids = GuidFactory(study_name)
        self.owner = owner  # creating user of sources nobody has coded
        self.consensus = consensus  # the coder the study's tables count as the consensus
        self.project = RefiProject(name=study_name, origin=origin, created=created)
        self.users: dict[str, RefiUser] = {}
        self.counts: dict[str, int] = {}
        self.notes: list[str] = []
        self._doc_sets: dict[str, list[str]] = defaultdict(list)
        self._code_sets: dict[str, list[str]] = {}
        self._source_guids: dict[str, str] = {}

    def user(self, name: str) -> str:
        """The GUID of coder ``name``, adding the user on first sight."""
        if name not in self.users:
            self.users[name] = RefiUser(self.guids("user", name), name)
        return self.users[name].guid

    def build(self, store: Store, codebook: Codebook | None, *, statuses: tuple[str, ...],
              memos: Path | None = None) -> tuple[RefiProject, dict[str, str]]:
        """The project and ``{file name in sources/: text}``; ``memos``: the study's memos/ folder, whose notes an
        import wrote go out as notes on the project."""
        p = self.project
        code_guids: dict[str, str] = {}
        if codebook is not None:
            p.codes, code_guids, p.notes = _code_tree(codebook, self.guids)
            self._code_sets = _code_sets(codebook, code_guids)
        if memos is not None:
            self._project_notes(memos)
        codings = accepted_as_coding(store.codings(status=list(statuses)))  # an accepted suggestion is the accepter's
        codings = self._anchored(codings)
        self._missing_codes(codings, code_guids, code_lifecycles(codebook) if codebook is not None else {})
        texts = self._sources(store, codings, code_guids)
        self._two_coder_notes(store, codings)
        self._cases(store)
        self._variables()
        self._sets()
        p.users = list(self.users.values())
        for kind, key, guid, holder_kind, holder_key in self.guids.collisions:
            self.notes.append(f"The REFI GUID {guid} was held by {holder_kind} '{holder_key}' and by {kind} '{key}' (a "
                              "source edited in another program and imported again gives two documents one GUID); "
                              f"'{holder_key}' keeps it, and '{key}' was exported with a GUID of its own.")
        self.counts.update(codes=len(p.all_codes()), documents=len(p.sources), users=len(p.users),
                           cases=len(p.cases), notes=len(p.notes),
                           selections=sum(len(s.selections) for s in p.sources),
                           codings=sum(len(sel.codings) for s in p.sources for sel in s.selections))
        return p, texts

    def _anchored(self, codings: pd.DataFrame) -> pd.DataFrame:
        """``codings`` less those whose offsets no longer point at what was coded (a re-ingest lost the quote, or
        found it twice): they are counted and quoted nowhere, and their selection would mark other text."""
        lost = codings["flag"].isin(UNANCHORED_FLAGS).fillna(False).astype(bool) if len(codings) else None
        if lost is None or not lost.any():
            return codings
        self.notes.append(f"{int(lost.sum())} coding(s) whose quote a re-ingest lost (or found in several places) "
                          "were left out: their offsets point at text that changed. Re-code them (`thematic codebook "
                          "flagged` lists them) to export them.")
        return codings.loc[~lost]

    def _missing_codes(self, codings: pd.DataFrame, code_guids: dict[str, str], lifecycles: dict[str, Lifecycle]) -> None:
        """Codes that codings use and the codebook does not define, at the top level; one the changes log retired
        or split away is not codable, and its description says so (a thematic import keeps it out of reach)."""
        missing = sorted(set(codings["code_id"].dropna()) - set(code_guids))
        for code_id in missing:
            code, life = Code(id=code_id, label=code_id), lifecycles.get(code_id)
            rc = RefiCode(guid=self.guids("code", code_id), name=code_id, codable=life is None,
                          description=code_description(code, life))
            self.project.codes.append(rc)
            code_guids[code_id] = rc.guid
        if missing:
            self.notes.append(f"{len(missing)} code(s) used by codings are not in the codebook; exported at the "
                              f"top level: {', '.join(missing[:10])}")
        if gone := sorted(c for c in code_guids if c in lifecycles):
            self.notes.append(f"{len(gone)} code(s) the codebook retired or split away were exported as not codable "
                              f"(isCodable=\"false\"), with a thematic-retired: or thematic-split: line in their "
                              f"description, which a thematic import turns back into changes entries: "
                              f"{', '.join(gone[:10])}")

    def _sources(self, store: Store, codings: pd.DataFrame, code_guids: dict[str, str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        by_doc = {doc: frame for doc, frame in codings.groupby("document_id", sort=True)} if len(codings) else {}
        seen, log = store.coverage(), store.decisions()
        seen_by_doc = {str(d): f for d, f in seen.groupby("document_id", sort=False)} if len(seen) else {}
        log_by_doc = {str(d): f for d, f in log.groupby("document_id", sort=False)} if len(log) else {}
        self._placed_decisions = 0
        for doc_id in store.documents()["document_id"]:
            doc = store.document(str(doc_id))
            guid = self.guids("document", doc.id, keep=doc.attributes.get("refi_guid"))
            src = RefiSource(guid=guid, name=source_name(doc.title or doc.id), path=f"internal://{guid}.txt",
                             description=f"thematic-id: {doc.id}", variables=_scalars(doc.attributes))
            frame = by_doc.get(doc.id)
            if frame is not None:
                src.selections = self._selections(doc.id, doc.text, frame, code_guids)
                src.user_guid = self.user(str(frame.sort_values("created_at")["coder"].iloc[0]))
            else:
                src.user_guid = self.user(self.owner)
            self._document_memos(src, doc)
            src.selections.sort(key=lambda s: (s.start, s.end))
            texts[f"{guid}.txt"] = doc.text
            if doc.segments:  # how the text is cut into units (REFI has no place for it): read back by thematic
                texts[f"{guid}{LAYOUT_SUFFIX}"] = layout_json(doc.text, doc.segments)
                records = self._records(doc, seen_by_doc.get(doc.id), log_by_doc.get(doc.id), code_guids)
                if records:  # who saw which segment, and the consensus decisions: read back by thematic too
                    texts[f"{guid}{RECORDS_SUFFIX}"] = records_json(doc.text, records)
            self._source_guids[doc.id] = guid
            for set_name in doc.attributes.get("sets") or []:
                self._doc_sets[str(set_name)].append(guid)
            self.project.sources.append(src)
        return texts

    def _records(self, doc: Document, seen: pd.DataFrame | None, log: pd.DataFrame | None,
                 code_guids: dict[str, str]) -> Records:
        """A document's coverage and consensus decisions, each on its segment's place in the layout file."""
        place = {s.id: i for i, s in enumerate(doc.segments)}
        out = Records()
        if seen is not None:
            for coder, sid, source in zip(seen["coder"], seen["segment_id"], seen["source"]):
                if str(sid) in place and _opt(source):
                    out.seen.append(Seen(place[str(sid)], str(coder), str(source)))
        if log is not None:
            for r in log.itertuples(index=False):
                if str(r.segment_id) not in place:
                    continue  # a turn a re-ingest removed: the decision stays in the log at home
                code = str(r.code_id)
                out.decisions.append(Decision(place[str(r.segment_id)], str(r.consensus), str(_opt(r.coders) or ""),
                                              code, bool(r.applied), str(r.decided_by), str(r.route),
                                              memo=_opt(r.memo), code_guid=code_guids.get(code)))
        self._placed_decisions += len(out.decisions)
        return out

    def _two_coder_notes(self, store: Store, codings: pd.DataFrame) -> None:
        """What other programs make of the consensus (W541), and what stays behind: samples, decisions on gone turns."""
        settled = store.coverage(self.consensus)
        settled = settled.loc[settled["source"].fillna("").str.startswith(RECONCILE_SOURCE)]
        log = store.decisions()
        if len(settled):
            mine = codings.loc[(codings["coder"] == self.consensus) & (codings["source"] == RECONCILE_SOURCE)]
            pairs = {str(c) for c in log.loc[log["consensus"] == self.consensus, "coders"] if _opt(c)}
            pairs |= {str(n).partition(":")[2] for n in mine.get("suggester", pd.Series(dtype=object)) if _opt(n)}
            coders = sorted({c for pair in pairs for c in pair.split(",") if c}) or ["the coders"]
            self.notes.append(Warnings.W541.format(
                consensus=self.consensus, n=len(settled), codings=len(mine),
                decisions=int((log["consensus"] == self.consensus).sum()), coders=", ".join(coders)))
        if lost := len(log) - self._placed_decisions:
            self.notes.append(f"{lost} logged consensus decision(s) on turns a re-ingest removed stay in thematic "
                              "(`store.decisions()`): their turns are not in the export.")
        if n := len(store.samples()):
            self.notes.append(f"{n} double-coding sample(s) (`thematic sample`) stay in thematic: REFI-QDA has no "
                              "place for them, so an imported copy has no `--sample latest:CODER`; what each coder "
                              "saw goes with the export, so agreement there compares the coders over every segment "
                              "they both saw.")

    def _selections(self, doc_id: str, text: str, frame: pd.DataFrame, code_guids: dict[str, str]) -> list[RefiSelection]:
        out = []
        # One selection per passage and coder, credited to that coder (QualCoder keeps one coder per selection).
        for (start, end, coder), rows in frame.groupby(["start", "end", "coder"], sort=True):
            start, end = int(start), int(end)
            quote = text[start:end]
            name = quote if len(quote) <= QUOTE_NAME_LIMIT else quote[:QUOTE_NAME_LIMIT].rstrip() + "…"
            sel = RefiSelection(guid=self.guids("selection", f"{doc_id}:{start}:{end}:{coder}"), start=start, end=end,
                                name=name)
            for code_id, same in rows.groupby("code_id", sort=False):  # two suggesters accepted by one person: one Coding
                row = same.sort_values("created_at").iloc[0]
                created = datetime.fromisoformat(str(row["created_at"]))
                coding = RefiCoding(guid=self.guids("coding", str(row["coding_id"])), code_guid=code_guids[str(code_id)],
                                    user_guid=self.user(str(row["coder"])), created=created)
                memos = list(dict.fromkeys(str(m) for m in same["memo"] if _opt(m)))
                note_text = note_with_meta("\n\n".join(memos), _meta(same))
                if note_text:
                    note = RefiNote(guid=self.guids("note", f"coding:{row['coding_id']}"), name=f"Memo: {code_id}",
                                    text=note_text, user_guid=coding.user_guid, created=created)
                    self.project.notes.append(note)
                    coding.note_guids.append(note.guid)
                sel.codings.append(coding)
                if sel.user_guid is None or (sel.created and created < sel.created):
                    sel.user_guid, sel.created = coding.user_guid, created
            out.append(sel)
        return out

    def _document_memos(self, src: RefiSource, doc: Document) -> None:
        """Memos on spans without a code (imported uncoded selections) go back as described selections; whole-document
        memos as a source note, and an imported source description in the source's Description (as they came in)."""
        doc_id, text = doc.id, doc.text
        by_span = {(s.start, s.end): s for s in src.selections}
        whole: list[str] = []
        descriptions: list[str] = []
        for m in doc.attributes.get("memos") or []:
            if not isinstance(m, dict) or not m.get("memo"):
                continue
            if "start" not in m:
                (descriptions if m.get("name") == SOURCE_DESCRIPTION else whole).append(str(m["memo"]).strip())
                continue
            start, end = int(m["start"]), int(m.get("end", m["start"]))
            sel = by_span.get((start, end))
            if sel is None:
                sel = RefiSelection(guid=self.guids("selection", f"{doc_id}:{start}:{end}"), start=start, end=end,
                                    name=text[start:end][:QUOTE_NAME_LIMIT])
                author = str(m.get("author") or "")
                if author and author != UNKNOWN_CODER:  # who wrote it comes back with it
                    sel.user_guid = self.user(author)
                sel.created = _when(m.get("created"))
                src.selections.append(sel)
                by_span[(start, end)] = sel
            sel.description = "\n\n".join(x for x in (sel.description, str(m["memo"])) if x)
        if descriptions:  # read back by the importer as the source description, before the id line
            src.description = "\n\n".join([*descriptions, src.description])
        if whole := [w for w in whole if w]:
            note = RefiNote(guid=self.guids("note", f"document:{doc_id}"), name=f"Memo: {doc.title or doc_id}",
                            text="\n\n".join(whole), user_guid=src.user_guid)
            self.project.notes.append(note)
            src.note_guids.append(note.guid)

    def _cases(self, store: Store) -> None:
        segs = store.segments(with_text=False)[["participant_id", "document_id"]].dropna().drop_duplicates()
        src_guid = dict(self._source_guids)  # honours GUIDs kept from an import
        docs_of: dict[str, list[str]] = defaultdict(list)
        doc_ids_of: dict[str, set[str]] = defaultdict(set)
        for pid, doc in segs.itertuples(index=False):
            if str(doc) in src_guid:
                docs_of[str(pid)].append(src_guid[str(doc)])
                doc_ids_of[str(pid)].add(str(doc))
        records = {p.id: p.attributes for p in store.participant_records()}
        # people found in transcripts (no participants.csv row), less a document's own unlabelled text (its
        # participant is the document id, which any import gives it again): that is no case of its own
        found = [p for p in docs_of if p not in records and doc_ids_of[p] != {p}]
        for pid in [*records, *sorted(found)]:
            attrs = _scalars({k: v for k, v in records.get(pid, {}).items()  # names and contacts stay home
                              if v is not None and (not is_personal(k) or _is_pseudonym(k))})
            self.project.cases.append(RefiCase(guid=self.guids("case", pid), name=pid, variables=attrs,
                                               source_guids=docs_of.get(pid, [])))

    def _variables(self) -> None:
        values: dict[str, list[Any]] = defaultdict(list)
        for holder in (*self.project.cases, *self.project.sources):
            for k, v in holder.variables.items():
                values[k].append(v)
        self.project.variables = [RefiVariable(self.guids("variable", k), k, _variable_type(v)) for k, v in values.items()]
        for holder in (*self.project.cases, *self.project.sources):
            for v in self.project.variables:
                if v.name not in holder.variables:
                    continue
                if v.type == "Text":
                    holder.variables[v.name] = str(holder.variables[v.name])
                elif (typed := _CONVERT[v.type](holder.variables[v.name])) is None:
                    del holder.variables[v.name]  # an empty cell: no value
                else:
                    holder.variables[v.name] = typed

    def _project_notes(self, folder: Path) -> None:
        """The notes an import wrote to ``memos/*.md`` (each once), as notes on the project; other files there are
        named in the export's notes, as REFI has no place for them."""
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) \
            if folder.is_dir() else []
        seen: set[tuple[str, str, str, str]] = set()
        left: list[str] = []
        for path in files:
            try:
                notes = memo_file_notes(path.read_text(encoding="utf-8")) if path.suffix == ".md" else None
            except (OSError, UnicodeError):
                notes = None
            if notes is None:
                left.append(f"{folder.name}/{path.name}")
                continue
            for i, note in enumerate(notes):
                if note in seen:
                    continue  # the same notes imported from a second file name
                seen.add(note)
                name, author, day, text = note
                made = RefiNote(guid=self.guids("note", f"project:{path.name}:{i}"), name=name, text=text,
                                user_guid=self.user(author) if author else None,
                                created=datetime.fromisoformat(day).replace(tzinfo=UTC) if day else None)
                self.project.notes.append(made)
                self.project.note_guids.append(made.guid)
        if left:
            self.notes.append(f"{len(left)} file(s) in {folder.name}/ were not exported: {', '.join(left)}. Only the "
                              f"notes a REFI import wrote there (files beginning '{MEMO_HEADER.strip()}') go out, as "
                              "notes on the project; copy the others into the other program by hand.")

    def _sets(self) -> None:
        """Code sets recorded in the codes' memos and documents' ``sets`` attribute (both kept from an earlier REFI
        import) become sets again, one a name (with its codes and its sources)."""
        codes, docs = self._code_sets, self._doc_sets
        self.project.sets = [RefiSet(self.guids("set", name), name, code_guids=codes.get(name, []),
                                     source_guids=docs.get(name, [])) for name in dict.fromkeys([*codes, *docs])]
