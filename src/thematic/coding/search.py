"""Search the study's segments and code what is found, as one reversible batch.

Four modes: ``words`` (every word, in any order, within one segment; ``*`` is a wildcard and
``"quoted words"`` a phrase), ``phrase`` (the exact word sequence), ``lemma`` (like words, but each
word matches its inflections: "vet" finds "vetted" and "vetting"), and ``regex`` (Python ``re`` syntax,
run by the ``regex`` module so a runaway pattern stops at a time budget, [E414]). Every mode matches each
segment's own text, so ``^``/``$`` mean a turn's start/end and no hit crosses a turn.
Results are keyword-in-context rows; offsets are code points into the document's normalised text.

Example:
    >>> hits = search(study, "vet", mode="lemma", participant_attr={"role": "peer mentor"})
    >>> code_hits(study.store, hits, "security_vetting", coder="AB", query="vet")
"""

from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd
import regex

from ..codebook import Codebook
from ..errors import Errors, InputError, NotFoundError
from ..models import COUNTED_STATUSES, Coding, Provenance
from ..schemas import Schema, coerce_frame, empty_frame
from ..context import HasContext, StudyContext, context_of
from ..store import Store
from ._lemmas import lemma_forms
from .manual import check_code, did_you_mean, resolve_documents

MODES = ("words", "phrase", "lemma", "regex")
SCOPES = ("hit", "segment")
#: Seconds a ``regex``-mode search may spend matching, over all segments, before it stops with [E414].
REGEX_TIMEOUT = 30.0

#: Keyword-in-context rows returned by :func:`search`.
HITS: Schema = {
    "document_id": "string",
    "segment_id": "string",
    "start": "Int64",
    "end": "Int64",
    "left": "string",
    "match": "string",
    "right": "string",
    "speaker": "string",
    "participant_id": "string",
}

_TERM_RE = re.compile(r'"([^"]+)"|(\S+)')
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CodedHits:
    """What :func:`code_hits` stored: the batch (undo it with ``store.undo_batch``) and counts."""

    batch_id: str
    code_id: str
    added: int
    skipped: int
    #: How many of the added codings lie in interviewer turns (each turn warned [W533]: counted nowhere).
    interviewer: int = 0


def _word_regex(word: str) -> str:
    out = []
    for ch in word:
        if ch == "*":
            out.append(r"\w*")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _term_regex(term: str, *, lemma: bool) -> str:
    words = term.split()
    if lemma:
        parts = []
        for w in words:
            forms = lemma_forms(w) if "*" not in w else None
            parts.append("(?:" + "|".join(_word_regex(f) for f in forms) + ")" if forms else _word_regex(w))
    else:
        parts = [_word_regex(w) for w in words]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


def compile_query(query: str, mode: str = "words", *,
                  case_sensitive: bool = False) -> tuple[re.Pattern[str] | regex.Pattern[str], int]:
    """The regular expression a query means in ``mode``, and how many terms must all occur.

    Each term is a named group ``t0``, ``t1``… so a segment can be required to hold every term. A
    ``regex``-mode pattern is compiled by the ``regex`` module (``re``-compatible), whose matching takes
    a timeout.
    """
    if mode not in MODES:
        raise InputError(Errors.E349.format(what="search mode", value=mode, allowed=", ".join(MODES)))
    if not query or not query.strip():
        raise InputError(Errors.E348)
    if mode == "regex":
        try:
            return regex.compile(query, regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)), 1
        except (regex.error, re.error) as exc:
            raise InputError(Errors.E347.format(query=query, detail=exc)) from None
    flags = 0 if case_sensitive else re.IGNORECASE
    if mode == "phrase":
        terms = [query.strip().strip('"')]
    else:
        terms = [m.group(1) or m.group(2) for m in _TERM_RE.finditer(query)]
        terms = list(dict.fromkeys(t for t in terms if t.strip()))
    body = "|".join(f"(?P<t{i}>{_term_regex(t, lemma=mode == 'lemma')})" for i, t in enumerate(terms))
    return re.compile(body, flags), len(terms)


def _store_of(study_or_store: Store | StudyContext | HasContext) -> Store:
    """The store itself, or the store of a study's context."""
    return study_or_store if isinstance(study_or_store, Store) else context_of(study_or_store).store


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else [str(v) for v in value]


def select_segments(
    store: Store,
    *,
    document: str | Iterable[str] | None = None,
    speaker: str | Iterable[str] | None = None,
    participant_attr: Mapping[str, Any] | None = None,
    include_interviewer: bool = True,
) -> pd.DataFrame:
    """The segments (``schemas.SEGMENTS``, without text) passing the document/speaker/attribute filters."""
    documents = resolve_documents(store, document)
    segs = store.segments(document=documents, include_interviewer=include_interviewer, with_text=False)
    speakers = _as_list(speaker)
    if speakers is not None:
        _check_speakers(store, speakers)
        wanted = {s.casefold() for s in speakers}
        segs = segs[segs["speaker"].fillna("").str.casefold().isin(wanted)]
    if participant_attr:
        segs = segs[segs["participant_id"].isin(participants_with(store, participant_attr))]
    return segs.reset_index(drop=True)


def _check_speakers(store: Store, speakers: list[str]) -> None:
    """A speaker filter that names nobody is an error, not zero hits (a real name is stored as its pseudonym)."""
    known = list(dict.fromkeys(str(s) for s in store.segments(with_text=False)["speaker"].dropna()))
    folded = {k.casefold() for k in known}
    for name in speakers:
        if name.casefold() not in folded:
            shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
            raise InputError(Errors.E355.format(speaker=name, known=shown or "none"))


def participants_with(store: Store, attrs: Mapping[str, Any]) -> set[str]:
    """Ids of participants whose attributes match every ``{attribute: value or [values]}`` given.

    Values match case and spacing aside. An attribute no participant has is [E352], a value no participant
    has [E410] (each with a close match and the known ones), never an empty result.
    """
    people = store.participants()
    known = [c for c in people.columns if c != "participant_id"]
    keep = pd.Series(True, index=people.index)
    for attr, value in attrs.items():
        if attr not in people.columns:
            guess = did_you_mean(attr, known)
            raise InputError(Errors.E352.format(attribute=attr, hint=f" Did you mean '{guess}'?" if guess else "",
                                                known=", ".join(known) or "none"))
        wanted = [value] if isinstance(value, str) else list(value)
        _check_values(people[attr], attr, wanted)
        values = {str(v).strip().casefold() for v in wanted}
        keep &= people[attr].astype("string").str.strip().str.casefold().isin(values).fillna(False)
    return set(people.loc[keep, "participant_id"].astype(str))


def _check_values(column: pd.Series, attr: str, wanted: list[Any]) -> None:
    """[E410] for a value of ``attr`` no participant has (case and spacing aside), naming a close one and the known ones."""
    import difflib

    known = sorted({str(v).strip() for v in column.dropna()}, key=str.casefold)
    folded = {k.casefold(): k for k in known}
    for v in wanted:
        if str(v).strip().casefold() not in folded:
            close = difflib.get_close_matches(str(v).strip().casefold(), list(folded), n=1, cutoff=0.5)
            hint = f" Did you mean '{folded[close[0]]}'?" if close else ""
            raise InputError(Errors.E410.format(attribute=attr, group=v, hint=hint, known=", ".join(known) or "none"))


def _coded_spans(store: Store, code: str | Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in store.codings(code=code, status=COUNTED_STATUSES).itertuples():
        spans.setdefault(str(r.document_id), []).append((int(r.start), int(r.end)))
    return spans


def _matches(pattern: re.Pattern[str] | regex.Pattern[str], text: str, deadline: float | None) -> Iterator[Any]:
    """``pattern``'s matches in ``text``; a ``regex`` pattern stops at ``deadline`` (TimeoutError)."""
    if deadline is None or not isinstance(pattern, regex.Pattern):
        return pattern.finditer(text)
    return pattern.finditer(text, timeout=max(deadline - time.monotonic(), 0.001))


def _scan_document(text: str, segs: pd.DataFrame, pattern: re.Pattern[str] | regex.Pattern[str], n_terms: int,
                   context: int, *, deadline: float | None = None, timeout: float | None = None) -> list[dict[str, Any]]:
    """Hits in one document: ``pattern`` matched in each of ``segs``' own text, offsets shifted to the document's.

    Raises:
        InputError: [E414] a regex ran past ``deadline``.
    """
    rows = []
    for seg in segs.itertuples(index=False):
        start, end = int(seg.start), int(seg.end)
        try:
            found = [(m.start() + start, m.end() + start, m.group(0), m.lastgroup)
                     for m in _matches(pattern, text[start:end], deadline) if m.end() > m.start()]
        except TimeoutError:
            raise InputError(Errors.E414.format(query=pattern.pattern, seconds=timeout,
                                                segment=seg.segment_id)) from None
        if not found or n_terms > 1 and len({g for *_, g in found}) < n_terms:
            continue
        for s, e, match, _ in found:
            rows.append({
                "document_id": seg.document_id, "segment_id": seg.segment_id, "start": s, "end": e,
                "left": _SPACE_RE.sub(" ", text[max(0, s - context):s]),
                "match": match,
                "right": _SPACE_RE.sub(" ", text[e:e + context]),
                "speaker": seg.speaker, "participant_id": seg.participant_id,
            })
    return rows


def search(
    study_or_store: Store | StudyContext | HasContext,
    query: str,
    *,
    mode: str = "words",
    document: str | Iterable[str] | None = None,
    speaker: str | Iterable[str] | None = None,
    participant_attr: Mapping[str, Any] | None = None,
    code: str | Iterable[str] | None = None,
    context: int = 60,
    include_interviewer: bool = True,
    case_sensitive: bool = False,
    timeout: float | None = REGEX_TIMEOUT,
) -> pd.DataFrame:
    """Find a query in each of the study's segments; returns keyword-in-context rows (see ``HITS``).

    Args:
        study_or_store: a Study or its Store.
        query: words, a phrase, a word to match in all its forms, or a regular expression.
        mode: ``words`` | ``phrase`` | ``lemma`` | ``regex``.
        document: only these document ids.
        speaker: only turns by these speakers (case-insensitive).
        participant_attr: only participants with these attributes, e.g. ``{"role": "peer mentor"}`` (case and
            spacing aside); an unknown attribute is [E352], a value no participant has [E410].
        code: only inside passages already coded with this code (manual or accepted codings).
        context: characters of context either side.
        include_interviewer: also search the interviewer's turns.
        case_sensitive: match case exactly (default: ignore case).
        timeout: seconds a ``regex`` search may spend matching in all, else [E414]; None: no limit.

    Returns:
        One row per hit, ordered by document and offset; ``df.attrs`` holds the query and mode.

    Raises:
        InputError: [E347] an invalid regex; [E414] a regex that ran past ``timeout``.
    """
    pattern, n_terms = compile_query(query, mode, case_sensitive=case_sensitive)
    deadline = time.monotonic() + timeout if timeout is not None and mode == "regex" else None
    store = _store_of(study_or_store)
    segs = select_segments(store, document=document, speaker=speaker, participant_attr=participant_attr,
                           include_interviewer=include_interviewer)
    rows: list[dict[str, Any]] = []
    for doc_id, doc_segs in segs.groupby("document_id", sort=True):
        doc_segs = doc_segs.sort_values("start")
        rows.extend(_scan_document(store.document_text(str(doc_id)), doc_segs, pattern, n_terms, context,
                                   deadline=deadline, timeout=timeout))
    hits = coerce_frame(pd.DataFrame(rows), HITS) if rows else empty_frame(HITS)
    if code is not None and len(hits):
        spans = _coded_spans(store, code)
        inside = [any(s <= r.start and r.end <= e for s, e in spans.get(str(r.document_id), ()))
                  for r in hits.itertuples()]
        hits = hits[inside]
    hits = hits.sort_values(["document_id", "start"], kind="stable").reset_index(drop=True)
    hits.attrs.update({"query": query, "mode": mode})
    return hits


def code_hits(
    store: Store,
    hits: pd.DataFrame,
    code_id: str,
    *,
    coder: str,
    query: str,
    scope: str = "hit",
    codebook: Codebook | None = None,
) -> CodedHits:
    """Code every hit (or its whole segment) as ``coder``, as one batch that can be undone as one.

    Each hit is checked against the stored document first, as ``code`` checks a span: its offsets lie in the
    document and start < end ([E014], [E342]), its segment exists ([E015]) and holds them, and its ``match``
    (when the frame has one) is still the text there ([E344], e.g. hits kept across a re-ingest). One refused
    hit stores nothing. Each coding records provenance source ``search`` and name ``search:<query>``. Spans
    already coded with this code by this coder are skipped, a suggestion of it they accepted included. Each
    interviewer turn newly coded warns [W533] (stored, but counted nowhere). Undo with ``store.undo_batch``.
    """
    from .manual import InterviewerTurnWarning, interviewer_turn_note

    if scope not in SCOPES:
        raise InputError(Errors.E349.format(what="scope", value=scope, allowed=", ".join(SCOPES)))
    if codebook is not None:
        check_code(codebook, code_id)
    coder = store.person(coder)
    prov = Provenance("search", f"search:{query}", {"mode": hits.attrs.get("mode", "words"), "scope": scope})
    version = codebook.version if codebook is not None else None
    with store.transaction():  # the checks and the write together: no re-ingest slips in between
        spans = _hit_spans(store, hits, scope)
        docs = {d for d, *_ in spans}
        owned = _accepted_spans(store, coder, code_id, docs)
        kept = [sp for sp in spans if sp[:3] not in owned]
        stored = store.codings(coder=coder, code=code_id, document=sorted(docs)) if docs else None
        before = set() if stored is None else set(zip(stored["document_id"], stored["start"], stored["end"]))
        codings = [
            Coding(document_id=d, start=s, end=e, code_id=code_id, coder=coder, status="manual", text=t,
                   segment_id=sid, codebook_version=version, provenance=prov)
            for d, s, e, t, sid, _ in kept
        ]
        batch = store.new_batch(f"search:{query}", actor=coder,
                                params={"code": code_id, "scope": scope, "mode": prov.params["mode"]})
        added, skipped = store.add_codings(codings, batch_id=batch, actor=coder)
    new_in_interviewer = [sp for sp in kept if sp[5] and sp[:3] not in before]
    for sid in dict.fromkeys(sp[4] for sp in new_in_interviewer):
        note = interviewer_turn_note(store, sid, code_id)
        if note is not None:
            warnings.warn(note, InterviewerTurnWarning, stacklevel=3)
    return CodedHits(batch, code_id, added, skipped + len(spans) - len(kept), len(new_in_interviewer))


def _accepted_spans(store: Store, coder: str, code_id: str, documents: set[str]) -> set[tuple[str, int, int]]:
    """Spans of ``code_id`` the coder already owns through an accepted suggestion (theirs, so not coded again)."""
    from .owner import coder_codings

    if not documents:
        return set()
    mine = coder_codings(store, coder, document=sorted(documents))
    mine = mine.loc[((mine["status"] == "accepted") & (mine["code_id"] == code_id)).fillna(False).astype(bool)]
    return {(str(d), int(s), int(e)) for d, s, e in zip(mine["document_id"], mine["start"], mine["end"])}


def _hit_spans(store: Store, hits: pd.DataFrame, scope: str) -> list[tuple[str, int, int, str, str, bool]]:
    """(document, start, end, quote, segment id, in an interviewer turn) to code, one per hit or per segment,
    each hit checked against the stored document (see :func:`code_hits`)."""
    from .manual import _offset

    out: dict[tuple[str, int, int], tuple[str, int, int, str, str, bool]] = {}
    texts: dict[str, str] = {}
    docs = sorted(set(hits["document_id"].astype(str)))
    segs = {str(r.segment_id): r for r in store.segments(document=docs, with_text=False).itertuples()}
    matches = list(hits["match"]) if "match" in hits.columns else [None] * len(hits)
    for label, doc, sid, raw_start, raw_end, found in zip(hits.index, hits["document_id"].astype(str),
                                                          hits["segment_id"].astype(str), hits["start"], hits["end"],
                                                          matches):
        if doc not in texts:
            texts[doc] = store.document_text(doc)  # E012 for a document no longer stored
        text, row = texts[doc], f" (row {label} of the hits: nothing was coded)"
        start, end = _offset(raw_start, (doc, raw_start, raw_end)), _offset(raw_end, (doc, raw_start, raw_end))
        if start < 0 or end > len(text):
            raise InputError(Errors.E014.format(start=start, end=end, document=doc, length=len(text)) + row)
        if start >= end:
            raise InputError(Errors.E342.format(start=start, end=end, document=doc) + row)
        where = {"row": label, "document": doc, "start": start, "end": end, "segment": sid}
        if isinstance(found, str) and text[start:end] != found:
            raise InputError(Errors.E344.format(**where, detail=(
                f"the hit is {found!r}, but the document holds {text[start:end]!r} there now")))
        seg = segs.get(sid)
        if seg is None:
            try:
                other = store.segment(sid)
            except NotFoundError:
                raise NotFoundError(Errors.E015.format(segment=sid) + row) from None
            raise InputError(Errors.E344.format(**where, detail=f"that segment is in document '{other.document_id}'"))
        if str(seg.document_id) != doc or not int(seg.start) <= start < end <= int(seg.end):
            raise InputError(Errors.E344.format(**where, detail=(
                f"that segment holds characters {int(seg.start)}:{int(seg.end)} of '{seg.document_id}', not these")))
        if scope == "segment":
            start, end = int(seg.start), int(seg.end)
        interviewer = bool(seg.is_interviewer) if pd.notna(seg.is_interviewer) else False
        out.setdefault((doc, start, end), (doc, start, end, text[start:end], sid, interviewer))
    return list(out.values())


__all__ = ["HITS", "MODES", "SCOPES", "CodedHits", "code_hits", "compile_query", "participants_with", "search",
           "select_segments"]
