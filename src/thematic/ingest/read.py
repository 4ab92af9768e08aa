"""Reading one file into a Document: sniff, parse, map speakers, pseudonymise, segment.

``read_transcript`` touches no store; ``thematic.ingest.run`` uses the same steps with the
study's participants and pseudonym key.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, Mapping, Sequence

import catalogue

from .._limits import DEFAULT_SIZE_LIMITS, SizeLimits, check_archive
from .._personal import column_key
from ..config import IngestSettings
from ..errors import Errors, InputError, ThematicError, TranscriptParseError, Warnings
from ..models import Document, Participant, Segment
from .ids import raw_relative, slugify
from .labels import is_generic_label, is_id_like, is_interviewer_label, label_key, role_word
from .normalise import content_hash
from .parsed import Parsed, Turn
from .participants import Roster, SpeakerInfo, resolve_speakers
from .pseudonymise import SHARED_NAME, PseudonymKey, is_automatic, name_replacer, replace_names, speaker_table
from .readers import ReaderOptions, get_reader
from .readers.text import parse_speaker_map
from .segment import check_unit, split_turns
from .sniff import sniff_format

FILE_KEYS = ("speakers", "participant", "unit", "format", "kind")
#: The source kinds a transcript's ``kind`` may name (a survey is one by its format).
FILE_KINDS = ("interview", "focus group")
_STRICT_KINDS = ("speaker", "interviewer", "person", "place", "organisation")


@dataclass(frozen=True, slots=True)
class FileContext:
    """Where a file is and which settings apply to it."""

    path: Path
    display: str  # the path as shown and stored (relative to the study root when inside it)
    key: str  # the path relative to data/raw (the key of [ingest.files."..."] and [ingest.survey."..."])
    document_id: str
    options: Mapping[str, Any] = field(default_factory=dict)
    survey: Mapping[str, Any] = field(default_factory=dict)
    stored: Mapping[str, Any] | None = None  # a stored survey's attributes: its columns keep their roles


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A document with what ingest stores beside it (survey respondents, screened-out rows)."""

    document: Document
    participants: tuple[Participant, ...] = ()
    exclusions: Mapping[str, str] = field(default_factory=dict)
    replaced: Mapping[str, int] = field(default_factory=dict)


def settings_for(table: Mapping[str, Mapping[str, Any]], *refs: str) -> dict[str, Any]:
    """The first entry of a per-file settings table matching any of ``refs`` (paths, names, ids)."""
    for ref in refs:
        if ref in table:
            return dict(table[ref])
    return {}


def stored_file_entry(table: Mapping[str, Mapping[str, Any]], path: str, document_id: str,
                      raw: str = "data/raw") -> tuple[str, dict[str, Any]]:
    """The key and settings of a stored document's ``[ingest.files."..."]`` entry, found as ingest finds it (its
    path relative to ``raw``, its stored path, file name or document id); ``("", {})`` when none names it."""
    name = PurePath(path).name
    key = path[len(raw) + 1:] if path.startswith(raw + "/") else name
    ref = next((r for r in (key, path, name, document_id) if r in table), "")
    return ref, dict(table[ref]) if ref else {}


def file_kind(options: Mapping[str, Any], key: str) -> str | None:
    """A file's ``kind`` setting spelt canonically (``focus_group`` is ``focus group``), or None when unset.

    Raises:
        InputError: [E513] a value other than ``interview`` or ``focus group``.
    """
    if "kind" not in options:
        return None
    value = options["kind"]
    kind = " ".join(value.replace("_", " ").replace("-", " ").split()).casefold() if isinstance(value, str) else ""
    if kind not in FILE_KINDS:
        raise InputError(Errors.E513.format(value=value, key=key))
    return kind


def check_file_options(options: Mapping[str, Any], key: str) -> None:
    """Raise InputError [E111] for an unknown per-file setting (with a did-you-mean), [E513] for an unknown kind."""
    for name in options:
        if name not in FILE_KEYS:
            close = difflib.get_close_matches(name, FILE_KEYS, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(FILE_KEYS)}."
            raise InputError(Errors.E111.format(path="thematic.toml", setting=name, section="files", key=key, hint=hint))
    file_kind(options, key)


def parse_file(data: bytes, ctx: FileContext, settings: IngestSettings, roster: Roster,
               limits: SizeLimits = DEFAULT_SIZE_LIMITS) -> Parsed:
    """Sniff the format and run its reader (a table's text held to ``limits.max_file_mb``, a character a byte).

    Raises:
        TranscriptParseError: the file cannot be read (coded, naming the file).
    """
    check_file_options(ctx.options, ctx.key)
    fmt = str(ctx.options["format"]) if "format" in ctx.options else sniff_format(data, ctx.display)
    known = (tuple(settings.interviewer_labels) + tuple(ctx.options.get("speakers", {})) + tuple(roster.names)
             + tuple(roster.shared))
    columns = ctx.stored.get("columns") if ctx.stored else None
    options = ReaderOptions(known, tuple(settings.interviewer_labels), ctx.survey, ctx.key, columns,
                            limits.max_file_bytes)
    try:
        reader = get_reader(fmt)
    except catalogue.RegistryError:
        raise TranscriptParseError(Errors.E102.format(path=ctx.display, suffix=fmt)) from None
    return reader(data, ctx.display, options)


def _speaker_infos(parsed: Parsed, ctx: FileContext, settings: IngestSettings, roster: Roster
                   ) -> tuple[dict[str | None, SpeakerInfo], list[str], str | None]:
    labels = [t.label for t in parsed.turns]
    if parsed.participants or parsed.format in {"csv", "xlsx"}:
        return {lb: SpeakerInfo(lb, lb) for lb in labels}, [], None
    header_map = parse_speaker_map(str(parsed.header.get("speakers", "")))
    speakers = {**header_map, **dict(ctx.options.get("speakers", {}))}
    participant = (ctx.options.get("participant") or parsed.header.get("participant")
                   or roster.for_document(ctx.key, ctx.path.name, ctx.path.stem, ctx.document_id))
    infos, unmapped = resolve_speakers(labels, speakers=speakers, participant=participant, roster=roster,
                                       interviewer_labels=settings.interviewer_labels)
    return infos, unmapped, participant


def labels_in_use(parsed: Parsed, roster: Roster) -> set[str]:
    """The speaker labels and participant ids a parsed file shows, and participants.csv's ids: a new
    pseudonym skips them (``PseudonymKey.reserve``), so it never names someone else."""
    used = {t.label for t in parsed.turns if t.label} | {p.id for p in parsed.participants} | set(roster.ids)
    used.add(str(parsed.header.get("participant") or ""))
    return used


def _respondent_names(parsed: Parsed, infos: Mapping[str | None, SpeakerInfo], key: PseudonymKey) -> dict[str, str]:
    """A survey respondent's own names (from the name columns the reader left out) -> their pseudonym: the
    key's entry when the name has one (never renumbered), else the respondent's participant id."""
    out: dict[str, str] = {}
    for rid, names in dict(parsed.header.get("respondent_names") or {}).items():
        info = infos.get(rid)
        pid = (info.participant_id if info is not None else None) or rid
        for name in names:
            out[name] = key.get("speaker", name) or key.assign("speaker", name, pid)
    return out


@dataclass
class _Claims:
    """Who each name of a study's files is: the participants its speaker labels map to (None: nobody), the
    survey respondents it is the name of, and the named interviewers."""

    spelt: dict[str, str] = field(default_factory=dict)  # label_key -> the name as first written
    labels: dict[str, set[str | None]] = field(default_factory=dict)
    respondents: dict[str, list[str]] = field(default_factory=dict)
    interviewers: list[str] = field(default_factory=list)

    def add(self, parsed: Parsed, ctx: FileContext, settings: IngestSettings, roster: Roster) -> None:
        infos, _, _ = _speaker_infos(parsed, ctx, settings, roster)
        if parsed.format in {"csv", "xlsx"} and roster.ids:
            parsed, infos = _roster_spelling(parsed, infos, roster)
        for rid, names in dict(parsed.header.get("respondent_names") or {}).items():
            info = infos.get(rid)
            for name in names:
                self.spelt.setdefault(label_key(name), name)
                self.respondents.setdefault(label_key(name), []).append(
                    (info.participant_id if info is not None else None) or rid)
        for label, info in infos.items():
            if label is not None and info.is_name and info.is_interviewer:
                self.interviewers.append(label)
            elif label is not None and info.is_name:
                self.spelt.setdefault(label_key(label), label)
                self.labels.setdefault(label_key(label), set()).add(info.participant_id)

    def pseudonym(self, name: str, current: str | None, roster: Roster) -> str | None:
        """The pseudonym ``name`` is to have (None: an automatic one): the one participant its labels map to,
        ``[name]`` when they (or participants.csv's rows) map it to several, else a respondent it names."""
        pids = {p for p in self.labels.get(label_key(name), ()) if p} | set(roster.sharers(name))
        if len(pids) > 1:
            return SHARED_NAME
        if pids:
            return next(iter(pids))
        respondents = self.respondents.get(label_key(name), [])
        if respondents:
            return current if current in respondents else respondents[0]
        return current if current is not None and is_automatic("speaker", current) else None


def register_speakers(files: Sequence[tuple[Parsed, FileContext]], settings: IngestSettings, roster: Roster,
                      key: PseudonymKey, others: Callable[[], Iterable[tuple[Parsed, FileContext]]] = tuple
                      ) -> dict[str, str]:
    """Give every named speaker and respondent of the parsed ``files`` its pseudonym in ``key`` now, as building
    them would: every file of a run is registered before any is built, so a name spoken in a later file is
    replaced in an earlier one too, and a participant id that changed (participants.csv renumbered or added,
    an alias removed) is every file's pseudonym for them. A name is one participant's id only when every file
    maps it to that one; where it would take a participant's id from the key away, ``others`` (the study's
    other files, parsed) are asked too, as they may still map it so. Returns the names new to the key."""
    claims = _Claims()
    for parsed, ctx in files:
        key.reserve(labels_in_use(parsed, roster))
        claims.add(parsed, ctx, settings, roster)
    wanted = {k: claims.pseudonym(name, key.get("speaker", name), roster) for k, name in claims.spelt.items()}
    if any((now := key.get("speaker", claims.spelt[k])) is not None and not is_automatic("speaker", now)
           and wanted[k] != now for k in wanted):
        for parsed, ctx in others():  # files not read this run may still give the name its participant
            claims.add(parsed, ctx, settings, roster)
        wanted = {k: claims.pseudonym(claims.spelt[k], key.get("speaker", claims.spelt[k]), roster) for k in wanted}
    new: dict[str, str] = {}
    for k, pseudonym in wanted.items():
        name = claims.spelt[k]
        current = key.get("speaker", name)
        if current is None:
            new[name] = key.assign("speaker", name, pseudonym)
        elif pseudonym is None and not is_automatic("speaker", current):
            key.renew("speaker", name)  # it maps to nobody now: another participant's id would name them
        elif pseudonym is not None and pseudonym != current:
            key.assign("speaker", name, pseudonym)  # renamed now, not when its own file is built
    for label in claims.interviewers:
        if key.get("interviewer", label) is None:
            new[label] = key.assign("interviewer", label)
    return new


def quote_rewriter(key: PseudonymKey, roster: Roster) -> Callable[[str], str]:
    """A function that pseudonymises an old quote with every name the key (and participants.csv) knows."""
    names = {real: pseudonym for _, real, pseudonym in key.entries(("speaker", "interviewer"))}
    for name, pid in _roster_names(roster).items():
        names.setdefault(name, pid)
    table = speaker_table(names)
    for kind, real, pseudonym in key.entries(("person", "place", "organisation", "term")):
        table.setdefault(real, (pseudonym, kind))
    protected = key.pseudonyms()
    table = {k: v for k, v in table.items() if k not in protected and not is_generic_label(k)}
    if not table:
        return lambda quote: quote
    replace = name_replacer(table, case_sensitive_kinds=_STRICT_KINDS)  # built once, not per quote
    return lambda quote: replace(quote).text


def mentions(text: str, names: Mapping[str, str]) -> bool:
    """Whether ``text`` mentions any of ``names`` (real name -> pseudonym) as pseudonymisation would find it
    (as written, in Title case or in capitals: "a person" is no mention of "New Person")."""
    table = speaker_table(dict(names))
    return bool(names) and bool(replace_names(text, table, case_sensitive_kinds=_STRICT_KINDS).spans)


def _roster_names(roster: Roster) -> dict[str, str]:
    """participants.csv's names -> their participant id, or ``[name]`` for a name several rows give."""
    return {**roster.names, **dict.fromkeys(roster.shared, SHARED_NAME)}


def _name_table(parsed: Parsed, infos: Mapping[str | None, SpeakerInfo], key: PseudonymKey, settings: IngestSettings,
                roster: Roster, entities: Sequence[tuple[str, str]], document_id: str = ""
                ) -> tuple[dict[str, tuple[str, str]], dict[str | None, str]]:
    """The file's replacement table, and the pseudonym each named speaker is shown as: its participant here, else
    the key's (registered before), or for a name several participants share a case of the key (``Case 2``)."""
    names: dict[str, str] = _respondent_names(parsed, infos, key)
    kinds: dict[str, str] = {}
    display: dict[str | None, str] = {}
    for label, info in infos.items():
        if label is None or not info.is_name:
            continue
        kind = "interviewer" if info.is_interviewer else "speaker"
        current = key.get(kind, label) or key.assign(kind, label, info.participant_id)
        names[label] = info.participant_id or current  # in its own file a name is the participant speaking
        display[label] = names[label] if names[label] != SHARED_NAME else key.assign(
            "case", f"{document_id} / {label}")
        kinds[label] = kind
    return _known_names(names, kinds, key, settings, roster, entities), display


def _known_names(names: dict[str, str], kinds: dict[str, str], key: PseudonymKey, settings: IngestSettings,
                 roster: Roster, entities: Sequence[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The replacement table: ``names`` (this file's speakers) plus every name the key and participants.csv
    know, listed terms and NER ``entities``; pseudonyms, generic and interviewer labels left out."""
    for kind, real, pseudonym in key.entries(("speaker", "interviewer")):
        names.setdefault(real, pseudonym)
        kinds.setdefault(real, kind)
    for name, pid in _roster_names(roster).items():
        names.setdefault(name, pid)
    table = speaker_table(names, kind_of=kinds)
    for term in settings.terms:
        real, _, repl = term.partition("=")
        if real.strip():
            table[real.strip()] = (repl.strip() or key.assign("term", real.strip()), "term")
    known = {label_key(k) for k in table}
    for kind, value in entities:
        if label_key(value) not in known:
            known.add(label_key(value))
            table[value] = (key.find(value, ("person", "place", "organisation")) or key.assign(kind, value), kind)
    for kind, real, pseudonym in key.entries(("person", "place", "organisation")):
        table.setdefault(real, (pseudonym, kind))
    protected = key.pseudonyms()
    return {k: v for k, v in table.items() if k not in protected and not is_generic_label(k)
            and not is_interviewer_label(k, settings.interviewer_labels)}


def attribute_rewriter(key: PseudonymKey, roster: Roster, settings: IngestSettings) -> Callable[[str], str]:
    """Replaces every name the key and participants.csv know in a participant attribute value, with the
    table and function that pseudonymise the text (participants.csv's notes can name people too)."""
    table = _known_names({}, {}, key, settings, roster, ())
    if not table:
        return lambda value: value
    replace = name_replacer(table, case_sensitive_kinds=_STRICT_KINDS)  # built once, not per value
    return lambda value: replace(value).text


def pseudonymised_attributes(people: Sequence[Participant], rewrite: Callable[[str], str]
                             ) -> tuple[tuple[Participant, ...], list[tuple[str, str]]]:
    """``people`` with ``rewrite`` applied to each text attribute value (an "Other (please specify)" or
    notes column that names someone), ids and attribute names as they are; and (participant, column) of each
    ``pseudonym`` left out because it is, or holds, a name: replaced, it would name someone else."""
    out, left_out = [], []
    for p in people:
        attributes: dict[str, Any] = {}
        for k, v in p.attributes.items():
            if not isinstance(v, str):
                attributes[k] = v
            elif column_key(k) != "pseudonym":
                attributes[k] = rewrite(v)
            elif rewrite(v) == v:
                attributes[k] = v
            else:
                left_out.append((p.id, k))
        out.append(Participant(p.id, attributes))
    return tuple(out), left_out


class _CueTimes:
    """Start/end times of any span from the subtitle cues it overlaps."""

    def __init__(self, cues: Sequence[tuple[int, int, float, float]]) -> None:
        self._cues = sorted(cues)
        self._starts = [c[0] for c in self._cues]
        self._ends = [c[1] for c in self._cues]

    def __call__(self, start: int, end: int) -> tuple[float, float] | None:
        i = bisect.bisect_right(self._ends, start)
        j = bisect.bisect_left(self._starts, end) - 1
        return (self._cues[i][2], self._cues[j][3]) if self._cues and i <= j else None


def _people_without_roster(infos: Mapping[str | None, SpeakerInfo], document_id: str,
                          display: Mapping[str | None, str] | None, key: PseudonymKey | None
                          ) -> dict[str | None, SpeakerInfo]:
    """Without participants.csv, each speaker left unmapped counts as a participant (so N is not 0).

    A named speaker is its pseudonym (the same person in every file), an id-like label (``P01``,
    ``id2``) is itself, and a role label (``Respondent``), or a file's text when it has no speaker
    labels, is a case of the pseudonym key (``Case 3``, recorded as ``document / label``: a file is
    often named after its participant, so the document id is not used; it is, with ``key`` None,
    when pseudonymisation is off). Interviewer turns, and unlabelled text beside labelled speakers,
    stay nobody's.
    """
    open_: list[str | None] = [k for k, v in infos.items()
                               if k is not None and not v.is_interviewer and v.participant_id is None]
    if None in infos and not open_ and not any(v.participant_id for v in infos.values()):
        open_ = [None]  # a file with no speaker labels: one person's text
    anonymous = [k for k in open_ if k is None or not (infos[k].is_name or is_id_like(k))]
    out = dict(infos)
    for label in open_:
        info = infos[label]
        if label is not None and info.is_name:
            pid = (display or {}).get(label) or label
        elif label is not None and is_id_like(label):
            pid = label.strip()
        elif key is not None:
            pid = key.assign("case", f"{document_id} / {label or '(no speaker label)'}")
        else:
            pid = document_id if len(anonymous) == 1 else f"{document_id} {label or 'unlabelled'}"
        out[label] = dataclasses.replace(info, participant_id=pid)
    return out


def _shown_speakers(infos: Mapping[str | None, SpeakerInfo], display: Mapping[str | None, str] | None
                   ) -> dict[str | None, str | None]:
    """The speaker each label is stored as: its pseudonym (``display``), else its participant id, else as written."""
    if display is None:
        return {label: label for label in infos}
    return {label: display.get(label) or info.participant_id or label for label, info in infos.items()}


def _segments(document_id: str, text: str, turns: Sequence[Turn], unit: str, infos: Mapping[str | None, SpeakerInfo],
              shown: Mapping[str | None, str | None], cue_times: _CueTimes | None) -> tuple[Segment, ...]:
    """Segments of ``unit``, each with its speaker as ``shown`` and its participant from ``infos``."""
    out = []
    for i, (s, e, t, kind) in enumerate(split_turns(text, turns, unit)):
        turn = turns[t]
        info = infos.get(turn.label) or SpeakerInfo(turn.label)
        speaker = shown.get(turn.label, turn.label)
        times = cue_times(s, e) if cue_times is not None and kind != "turn" else None
        t0, t1 = times if times else (turn.time_start, turn.time_end)
        out.append(Segment(document_id, i, s, e, text[s:e], speaker=speaker, participant_id=info.participant_id,
                           is_interviewer=info.is_interviewer, kind=kind,  # type: ignore[arg-type]
                           time_start=t0, time_end=t1, question=turn.question))
    return tuple(out)


def _speaker_warnings(ctx: FileContext, infos: Mapping[str | None, SpeakerInfo], unmapped: list[str],
                      participant: str | None, display: Mapping[str | None, str], roster: Roster,
                      key: PseudonymKey | None = None) -> list[str]:
    warnings = []
    shared = [lb for lb in unmapped
              if roster.sharers(lb) or (key is not None and key.get("speaker", lb) == SHARED_NAME)]
    if shared:  # W129, not W100: a name several participants speak under
        ids = sorted({pid for lb in shared for pid in roster.sharers(lb)})
        warnings.append(Warnings.W129.format(
            path=ctx.display, n=len(shared), ids=f" ({', '.join(ids)})" if ids else "", key=ctx.key,
            shown=", ".join(sorted({display.get(lb, lb) for lb in shared}))))
        unmapped = [lb for lb in unmapped if lb not in shared]
    if unmapped and participant:
        warnings.append(Warnings.W101.format(path=ctx.display, participant=participant, n=len(unmapped), key=ctx.key))
    elif unmapped and roster.participants:
        shown = ", ".join(sorted({display.get(lb, lb) for lb in unmapped}))
        warnings.append(Warnings.W100.format(path=ctx.display, speakers=shown, key=ctx.key))
    if roster.participants:
        unknown = sorted({i.participant_id for i in infos.values() if i.participant_id} - roster.ids)
        if unknown:
            warnings.append(Warnings.W102.format(path=ctx.display, ids=", ".join(unknown)))
    return warnings


def _pseudonymised(parsed: Parsed, infos: Mapping[str | None, SpeakerInfo], settings: IngestSettings, roster: Roster,
                   key: PseudonymKey, entities: Sequence[tuple[str, str]], document_id: str = ""
                   ) -> tuple[Parsed, dict[str | None, str], dict[str, int]]:
    """The parsed file with names replaced (offsets of turns, title and cues moved along), speaker pseudonyms, counts."""
    table, display = _name_table(parsed, infos, key, settings, roster, entities, document_id)
    replace = name_replacer(table, case_sensitive_kinds=_STRICT_KINDS)  # built once for the text and every value
    rep = replace(parsed.text)
    attributes = {k: replace(v).text if isinstance(v, str) else v for k, v in parsed.attributes.items()}
    header = parsed.header
    if isinstance(header.get("title"), str):  # a front-matter title becomes the document's title
        header = {**header, "title": replace(header["title"]).text}
    people, _ = pseudonymised_attributes(  # a survey's attribute columns: "Advice from Maria Gomez" -> "Advice from R1"
        parsed.participants, lambda v: replace(v).text)  # (a survey never stores a pseudonym column)
    if not rep.spans:
        return dataclasses.replace(parsed, header=header, attributes=attributes, participants=people), display, {}
    m = rep.mapper()
    turns = tuple(dataclasses.replace(t, start=m(t.start), end=m(t.end, end=True)) for t in parsed.turns)
    title = (m(parsed.title_span[0]), m(parsed.title_span[1], end=True)) if parsed.title_span else None
    cues = tuple((m(a), m(b, end=True), t0, t1) for a, b, t0, t1 in parsed.cues)
    pages = tuple(m(p) for p in parsed.pages)
    return (dataclasses.replace(parsed, text=rep.text, turns=turns, title_span=title, cues=cues, header=header,
                                attributes=attributes, pages=pages, participants=people),
            display, rep.counts())


#: A segment longer than this (in words) is too long to review as one suggestion or quote (W111).
LONG_SEGMENT_WORDS = 1500


def _long_segment_warning(ctx: FileContext, segments: Sequence[Segment], unit: str) -> list[str]:
    """W111 when segments (a monologue read as one turn, say) are too long to code as one unit."""
    if unit == "sentence":
        return []
    sized = [(len(s.text.split()), s) for s in segments if s.kind != "answer"]
    long = [(n, s) for n, s in sized if n > LONG_SEGMENT_WORDS]
    if not long:
        return []
    words, seg = max(long, key=lambda pair: pair[0])
    finer = "paragraph" if unit == "turn" else "sentence"
    return [Warnings.W111.format(path=ctx.display, n=len(long), limit=LONG_SEGMENT_WORDS, words=words,
                                 speaker=seg.speaker or "an unlabelled speaker", finer=finer, key=ctx.key)]


#: Labels of the one who asks beside ``R`` (I/R transcripts), when the study's interviewer labels lack them.
_ASKER_LETTERS = frozenset({"i", "iv", "int"})


def _researcher_or_respondent(ctx: FileContext, infos: Mapping[str | None, SpeakerInfo], found: Sequence[str]
                              ) -> list[str]:
    """W126: ``R`` is the respondent of I/R transcripts but the researcher of R/P ones; in a file with no
    interviewer turn, where nothing mapped it, it was counted as a participant: say so rather than guess."""
    if any(v.is_interviewer for v in infos.values()) or len([k for k in infos if k is not None]) < 2:
        return []
    letters = [k for k in found if label_key(k).rstrip(".") == "r"]
    if not letters:
        return []
    labels = ", ".join(f"'{k}'" for k in letters)
    askers = [k for k in found if role_word(k).rstrip(".") in _ASKER_LETTERS]
    if askers:  # I asks, R answers (a study whose own label list lacks "i"): the asker is the one to list
        return [Warnings.W126_ASKER.format(path=ctx.display, labels=labels, askers=", ".join(f"'{k}'" for k in askers),
                                           asker=askers[0], lower=role_word(askers[0]).rstrip("."), key=ctx.key)]
    return [Warnings.W126.format(path=ctx.display, labels=labels, key=ctx.key)]


def _roster_spelling(parsed: Parsed, infos: dict[str | None, SpeakerInfo], roster: Roster
                     ) -> tuple[Parsed, dict[str | None, SpeakerInfo]]:
    """Survey respondent ids that participants.csv spells in another case only (``p03`` / ``P03``) are
    that participant, when exactly one roster id matches."""
    folded: dict[str, list[str]] = {}
    for rid in roster.ids:
        folded.setdefault(rid.casefold(), []).append(rid)

    def spelt(pid: str) -> str:
        same = folded.get(pid.casefold(), [])
        return same[0] if pid not in roster.ids and len(same) == 1 else pid

    infos = {label: (dataclasses.replace(info, participant_id=spelt(info.participant_id)) if info.participant_id
                     else info) for label, info in infos.items()}
    people = tuple(dataclasses.replace(p, id=spelt(p.id)) for p in parsed.participants)
    return dataclasses.replace(parsed, participants=people), infos


def build_document(parsed: Parsed, ctx: FileContext, *, data_hash: str, unit: str, settings: IngestSettings,
                   roster: Roster, key: PseudonymKey, entities: Sequence[tuple[str, str]] = ()) -> ReadResult:
    """Map speakers, pseudonymise and segment a parsed file into a Document."""
    unit = check_unit(str(ctx.options.get("unit", unit)))
    infos, unmapped, participant = _speaker_infos(parsed, ctx, settings, roster)
    if parsed.format in {"csv", "xlsx"} and roster.ids:
        parsed, infos = _roster_spelling(parsed, infos, roster)
    display: dict[str | None, str] | None = None
    replaced: dict[str, int] = {}
    clashes: list[str] = []
    if settings.pseudonymise:
        key.reserve(labels_in_use(parsed, roster))  # a new pseudonym never takes a label this file uses
        clashes = key.clashes(label for label, info in infos.items() if not info.is_name)
        parsed, display, replaced = _pseudonymised(parsed, infos, settings, roster, key, entities, ctx.document_id)
    survey = parsed.format in {"csv", "xlsx"}
    shown = _shown_speakers(infos, display)
    counted_as_found: list[str] = []
    if not roster.participants and not survey:
        counted_as_found = [k for k, v in infos.items() if k is not None and not v.is_interviewer
                            and v.participant_id is None]
        infos = _people_without_roster(infos, ctx.document_id, display, key if settings.pseudonymise else None)
    text = parsed.text
    segments = _segments(ctx.document_id, text, parsed.turns, unit, infos, shown,
                         _CueTimes(parsed.cues) if parsed.cues else None)
    span = parsed.title_span
    title = text[span[0]:span[1]].strip()[:200] if span else parsed.header.get("title")
    warnings = list(parsed.warnings) + ([] if survey else
                                        _speaker_warnings(ctx, infos, unmapped, participant, display or {}, roster,
                                                          key if settings.pseudonymise else None))
    warnings.extend(_long_segment_warning(ctx, segments, unit))
    warnings.extend(_researcher_or_respondent(ctx, infos, counted_as_found))
    if clashes:
        warnings.append(Warnings.W150.format(path=ctx.display, labels=", ".join(f"'{c}'" for c in clashes),
                                             key=key.path or "the pseudonym key"))
    attributes = {**parsed.attributes, "unit": unit, "pseudonymised": replaced}
    if parsed.pages:
        attributes["pages"] = list(parsed.pages)  # where each page starts: segments cite "p. N"
    doc = Document(ctx.document_id, ctx.display, parsed.format, text, data_hash, segments, title, attributes,
                   tuple(warnings))
    return ReadResult(doc, parsed.participants, parsed.exclusions, replaced)


def turn_texts(parsed: Parsed) -> list[str]:
    """The texts NER reads: turn bodies and the title line (not labels or timestamps)."""
    texts = [parsed.text[t.start:t.end] for t in parsed.turns]
    if parsed.title_span:
        texts.append(parsed.text[parsed.title_span[0]:parsed.title_span[1]])
    return texts


def read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes, or TranscriptParseError [E021]/[E113] naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TranscriptParseError(Errors.E113.format(path=display)) from None
    except OSError as exc:
        raise TranscriptParseError(Errors.E021.format(path=display, detail=exc.strerror or exc)) from None


def read_file(ctx: FileContext, *, unit: str, settings: IngestSettings, roster: Roster, key: PseudonymKey,
              data: bytes | None = None) -> ReadResult:
    """Read one file completely (NER included when ``settings.ner``)."""
    from .ner import find_entities

    if data is None:
        data = read_bytes(ctx.path, ctx.display)
        check_archive(data, ctx.display)  # ingest checks the bytes it passes, against the study's limits
    parsed = parse_file(data, ctx, settings, roster)
    entities: list[tuple[str, str]] = []
    warnings: list[str] = []
    if settings.pseudonymise and settings.ner:
        found, warnings = find_entities([turn_texts(parsed)])
        entities = found[0]
    result = build_document(parsed, ctx, data_hash=content_hash(data), unit=unit, settings=settings, roster=roster,
                            key=key, entities=entities)
    if warnings:
        doc = dataclasses.replace(result.document, warnings=result.document.warnings + tuple(warnings))
        result = dataclasses.replace(result, document=doc)
    return result


def read_transcript(path: str | Path, *, unit: str = "turn", settings: IngestSettings | None = None,
                    document_id: str | None = None) -> Document:
    """Read one transcript, subtitle or survey file into a Document with its segments (no store).

    Speaker names are pseudonymised with an in-memory key unless ``settings.pseudonymise`` is False.

    Example:
        >>> doc = read_transcript("data/raw/interview-01.txt", unit="sentence")
        >>> doc.segments[0].text == doc.text[doc.segments[0].start:doc.segments[0].end]
        True

    Raises:
        TranscriptParseError: the file is missing, unreadable, empty, binary, truncated or of an
            unknown format (coded, naming the file and line or cue where known).
        InputError: [E038] a .docx/.xlsx/.odt member unpacks past the default ``[limits]``.
    """
    settings = settings or IngestSettings()
    p = Path(path)
    rel = raw_relative(p)
    ctx = FileContext(p, str(path), rel, document_id or slugify(rel),
                      settings_for(settings.files, rel, p.name, document_id or slugify(rel)),
                      settings_for(settings.survey, rel, p.name))
    try:
        return read_file(ctx, unit=unit, settings=settings, roster=Roster(), key=PseudonymKey()).document
    except ThematicError:
        raise
    except (ValueError, LookupError, AttributeError, TypeError, OSError, RecursionError, MemoryError) as exc:
        raise TranscriptParseError(Errors.E114.format(path=str(path), kind=type(exc).__name__, detail=exc)) from exc
