"""One source's REFI selections -> thematic codings and memos, with every quote checked."""

from __future__ import annotations

import bisect
from typing import Any, Protocol

from ..errors import Warnings
from ..models import Coding, Provenance, Segment
from .coding_meta import split_meta
from .import_plan import MISMATCH_FLAG, REVERSED_FLAG, ImportPlan
from .model import RefiCoding, RefiSelection, RefiSource
from .pseudonyms import Pseudonymised
from .report import ImportReport, SelectionCheck
from .text import TextMap, quote_check


class Planner(Protocol):
    """What a SelectionMapper asks of the planner (``plan.Planner``) that drives it."""

    report: ImportReport

    def _note_text(self, guids: list[str]) -> str: ...
    def coder_of(self, *guids: str | None) -> str: ...
    def status_of(self, coder: str, said: str | None = None) -> str: ...
    def provenance(self, selection: str, coding: str, reconcile: tuple[list[str], str] | None = None
                   ) -> Provenance: ...
    def mismatch(self, check: SelectionCheck) -> None: ...
    def now(self) -> Any: ...


QUOTE_PREVIEW = 60


def segment_for(segments: tuple[Segment, ...], start: int, end: int, starts: list[int] | None = None) -> Segment | None:
    """The segment overlapping [start, end) the most (the one holding ``start`` for empty spans)."""
    starts = starts if starts is not None else [s.start for s in segments]
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    best, best_overlap = None, -1
    for seg in segments[i:]:
        if seg.start > max(end, start):
            break
        overlap = min(seg.end, end) - max(seg.start, start)
        if overlap > best_overlap and (overlap > 0 or seg.start <= start <= seg.end):
            best, best_overlap = seg, overlap
    return best


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_PREVIEW else text[: QUOTE_PREVIEW - 1] + "…"


class SelectionMapper:
    """Maps the selections of one text source onto its thematic document."""

    def __init__(self, planner: Planner, plan: ImportPlan, doc_id: str, source: str, tmap: TextMap,
                 segments: tuple[Segment, ...], final: Pseudonymised | None = None) -> None:
        self.planner, self.plan, self.doc_id, self.source = planner, plan, doc_id, source
        self.tmap, self.segments = tmap, segments
        self.starts = [s.start for s in segments]
        self.report = planner.report
        #: The stored text (pseudonymised) that offsets are moved onto; None: the source's text as it is.
        self.final = final
        self.text = final.text if final is not None else tmap.text
        #: Selections cut inside a replaced name, as "start:end" in the source's text (W508).
        self.cut: list[str] = []

    def _span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the source's (normalised) text -> offsets in the stored text."""
        if self.final is None:
            return start, end
        new_start, new_end, cut = self.final.span(start, end)
        if cut:
            self.cut.append(f"{start}:{end}")
        return new_start, new_end

    def add_selection(self, sel: RefiSelection, memos: list[dict[str, Any]]) -> None:
        """Check the selection's quote, then add its codings (or a memo when it has none)."""
        if not self.tmap.in_bounds(sel.start, sel.end):
            n = len(sel.codings)
            self.report.not_carried_over.append(Warnings.W503.format(
                source=self.source, guid=sel.guid, start=sel.start, end=sel.end, length=self.tmap.vendor_length)
                + f" ({n} coding(s))")
            return
        start, end = self.tmap.to_norm(sel.start), self.tmap.to_norm(sel.end)
        empty = start == end and bool(sel.codings)  # no coding (E342 refuses an empty span); a memo stays
        if empty:
            self.report.not_carried_over.append(Warnings.W513.format(
                source=self.source, guid=sel.guid, start=sel.start, end=sel.end, n=len(sel.codings)))
        found = self.tmap.text[start:end]
        check = quote_check(sel.name, found) if not empty else None
        if check is None and not empty:
            self.report.unverifiable += 1
        elif check:
            self.report.verified += 1
        start, end = self._span(start, end)  # checked against the source's text, stored on the stored text
        found = self.text[start:end]
        if check is False:
            self.planner.mismatch(SelectionCheck(self.doc_id, start, end, _preview(sel.name), _preview(found)))
        memo = "\n\n".join(x for x in (sel.description.strip(), self.planner._note_text(sel.note_guids)) if x)
        if not sel.codings or empty:
            if memo:
                author = self.planner.coder_of(sel.user_guid)
                memos.append({"start": start, "end": end, "quote": found, "memo": memo, "author": author,
                              "created": sel.created.isoformat() if sel.created else None})
            return
        for c in sel.codings:
            self._coding(c, start, end, found, sel, memo, flag=check is False, reversed_=sel.reversed and not check)

    def add_whole_source(self, src: RefiSource) -> None:
        """Codings of a whole source become codings of the whole text."""
        if not self.text:  # an empty text: no span to code (E342)
            self.report.not_carried_over.append(Warnings.W513.format(
                source=self.source, guid=src.guid, start=0, end=0, n=len(src.codings)))
            return
        whole = RefiSelection(guid=src.guid, start=0, end=0)
        for c in src.codings:
            self._coding(c, 0, len(self.text), self.text, whole, "", flag=False)

    def _coding(self, c: RefiCoding, start: int, end: int, text: str, sel: RefiSelection, memo: str, *,
                flag: bool, reversed_: bool = False) -> None:
        cb = self.plan.codebook
        code_id = cb.code_ids.get(c.code_guid)
        if code_id is None:
            self.report.not_carried_over.append(Warnings.W505.format(guid=c.guid, code=c.code_guid))
            return
        if code_id in cb.theme_ids:
            self.report.imported["codings on themes"] = self.report.imported.get("codings on themes", 0) + 1
        coder = self.planner.coder_of(c.user_guid, sel.user_guid)
        note, meta = split_meta(self.planner._note_text(c.note_guids))
        coding_memo = "\n\n".join(x for x in (note, memo) if x)
        seg = segment_for(self.segments, start, end, self.starts)
        status = self.planner.status_of(coder, meta.status)
        # An accepted suggestion: the REFI user is the reviewer; the coding is the suggester's, accepted by them.
        authors = meta.suggested_by if status == "accepted" and meta.suggested_by else [coder]
        for author in authors:
            coding = Coding(
                document_id=self.doc_id, start=start, end=end, code_id=code_id, coder=author,
                status="suggested" if author != coder else status,  # type: ignore[arg-type]
                text=text, segment_id=seg.id if seg else None, codebook_version=cb.version,
                provenance=self.planner.provenance(sel.guid, c.guid, meta.reconcile if author == coder else None),
                memo=coding_memo or None,
                created_at=c.created or sel.created or self.planner.now(),
            )
            self.plan.codings.append(coding)
            if author != coder:
                self.plan.accepted[coding.id] = coder
            flags = [f for f in (MISMATCH_FLAG if flag else None, REVERSED_FLAG if reversed_ else None, meta.flag)
                     if f]
            if flags:
                self.plan.flagged[coding.id] = "; ".join(flags)
