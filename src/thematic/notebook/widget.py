"""The Jupyter coding widget: page through segments, tick codes, accept or reject suggestions.

Every click is stored at once through the library (``coding.manual.code``/``uncode`` and
``coding.review.decide``), so the widget holds no state worth saving and a notebook and a CLI
can work on the same study together. ipywidgets is an optional extra, imported only here.

Callbacks may arrive on any thread (ipykernel 7 runs them off the main thread): the store is
thread-safe, the widget handles one action at a time, and every failure, whatever its type, is
shown in the status line. A segment is read in full before anything on screen changes, so the
header, the ticks and the suggestions always belong to the same segment.

Moving on with ``next`` records the segment as seen by the coder (coverage, used by agreement).

A transcript re-ingested while the widget is open: before each write the widget compares the document's turns
with the ones on screen; when they changed, it stores nothing (E640), reloads the transcript and stays on the
same turn (found by its text), so a click never codes a turn other than the one shown; a codebook change
rebuilds the code list without reloading the transcript, so it never hides a re-ingest. The coder name is
trimmed (``' AB '`` is ``AB``) and a blank one is refused (E018) when the widget is made.

Coding an interviewer turn (``include_interviewer=True``) is stored, and the status line says W533: it counts
nowhere. After a click, the box on screen shows what was stored, also when that click rebuilt the code list.

A coding that runs over several turns is ticked on each turn it overlaps; unticking it there is refused
(E643, saying how to remove it), as removing it would take it off the other turns too.
A coding whose quote a re-ingest lost (``UNANCHORED_FLAGS``) is ticked on no turn and no untick removes it,
as its offsets point at other words now; each turn of its document notes how many of the coder's codings
lost their quote and how to list them and remove one by its id.

The codebook is the study's current one at every click (``Study.widget`` passes a callable that reads the
YAML again when it changed): a code a later release retired, or one deleted from the file, is refused with
the same coded error as ``study.code`` (E210, E340), and the code list is rebuilt and says so. Unticking a
suggestion the coder accepted rejects it (``coding.manual.uncode``), so it is not suggested again.

Keyboard: type into the shortcut box and press Enter: ``n`` next, ``p`` previous, ``a``/``r``
accept/reject the first open suggestion (``a2``: the second), ``g 12`` goes to segment 12, a number
toggles that code in the list, and a code id or label (or a unique beginning of one) toggles that
code; a mistyped one gets a did-you-mean.

Example:
    >>> w = study.widget(coder="AB")   # in a notebook cell; the widget shows itself
"""

from __future__ import annotations

import html
import math
import numbers
import shlex
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import pandas as pd

from ..codebook import Codebook
from ..coding.evidence import evidence_of
from ..coding.owner import accepted_as_coding
from ..errors import Errors, InputError, OptionalDependencyError, ThematicError
from ..models import COUNTED_STATUSES, UNANCHORED_FLAGS
from ..store import Store
from ..store._codings import _named

_HELP = ("n next · p prev · a / r accept / reject first suggestion (a2: second) · g 12 go to segment 12 · "
         "number, code id or label toggles a code")
_GREY = "color:#777;font-size:90%"
#: What a segment on screen is, as far as a write is concerned: a change in any of these means a re-ingest.
_TURN = ["segment_id", "start", "end", "is_interviewer", "speaker", "participant_id", "question", "text"]


def _ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError as exc:
        raise OptionalDependencyError(Errors.E354) from exc
    return ipywidgets


def _esc(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


@dataclass
class _Suggestion:
    """One open suggestion on screen: the coding a decision settles (twins go with it) and its text."""

    coding_id: str
    code_id: str
    html: str


@dataclass
class _View:
    """Everything shown for one segment, read from the store before any of it is put on screen."""

    position: int
    header: str
    context: str
    ticked: set[str]
    suggestions: list[_Suggestion] = field(default_factory=list)


def _turns(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The turns of a segments frame as plain tuples (missing values as None), to compare two readings."""
    return [tuple(None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in row)
            for row in frame.reindex(columns=_TURN).itertuples(index=False)]


def _replace_document(frame: pd.DataFrame, document: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the rows of ``document`` replaced by ``rows``, in document order."""
    parts = [part for part in (frame[frame["document_id"] != document], rows) if not part.empty]
    if not parts:
        return frame.iloc[0:0].reset_index(drop=True)
    out = pd.concat(parts) if len(parts) > 1 else parts[0]
    return out.sort_values(["document_id", "index"], kind="stable").reset_index(drop=True)


class CodingWidget:
    """A notebook UI over the store: ``ui`` is the ipywidgets box; ``checkboxes`` maps code id -> Checkbox.

    ``last_error`` holds the exception of the last failed click (its message is in the status line).
    ``store`` is a Store, or a study (anything with a ``store`` attribute, as ``Study.widget`` passes): the
    widget then asks the study for its store at every click, so it keeps working after ``study.close()``
    (the study opens its store again); a closed Store given directly is reported as E042.
    ``codebook`` is a Codebook, or a callable returning the current one (as ``Study.widget`` passes): it is
    asked at every click, and the code list is rebuilt when the codebook changed.
    """

    def __init__(self, store: Any, *, coder: str, codebook: Codebook | Callable[[], Codebook],
                 document: str | Iterable[str] | None = None, include_interviewer: bool = False,
                 only_suggested: bool = False, start: int = 0) -> None:
        w = _ipywidgets()
        _named(coder, "coder")  # a blank or missing coder now, not an error at every click
        self._source, self._codebook_source = store, codebook
        self.coder = self.store.person(coder, "coder")  # trimmed, NFC; a suggester's name is E357 (comma: E358)
        self._lock = threading.RLock()
        self.last_error: BaseException | None = None
        self._shown = self.codebook  # the codebook the code list on screen was built from
        self._note = ""  # "the codebook changed", said with the next message
        from ..coding.manual import resolve_documents

        document, start = self._check_arguments(document, start)  # E043: not ids, or not a whole number
        docs = resolve_documents(self.store, document)  # a mistyped id is E408, not "No segments to code"
        self._docs, self._include_interviewer, self._only_suggested = docs, include_interviewer, only_suggested
        self.all_segments = self.store.segments(document=docs)  # with interviewer turns, for context
        self.segments = self._listed(self.all_segments, docs).reset_index(drop=True)
        self.position = 0
        self._loading = False
        self.header, self.context, self.status = w.HTML(), w.HTML(), w.HTML()
        self.header.add_class("thematic-header")
        self.status.add_class("thematic-status")
        self.code_order: list[str] = []
        self.checkboxes: dict[str, Any] = {}
        self.tree = self._build_tree(w, self._shown)
        self.codes_title = w.HTML(self._codes_title())
        self.suggestion_box = w.VBox()
        self.suggestion_buttons: list[tuple[str, Any, Any]] = []  # (coding_id, accept, reject)
        self.prev_button = w.Button(description="◀ previous", tooltip="previous segment (p)")
        self.next_button = w.Button(description="next ▶", tooltip="next segment (n)")
        self.prev_button.on_click(lambda _b: self._safely("show the previous segment", self._step(-1)))
        self.next_button.on_click(lambda _b: self._safely("show the next segment", self._step(1)))
        self.shortcut = w.Text(placeholder=_HELP, continuous_update=False, layout=w.Layout(width="60%"))
        self.shortcut.add_class("thematic-shortcut")
        self.shortcut.observe(self._on_shortcut, names="value")
        nav = w.HBox([self.prev_button, self.next_button, self.shortcut])
        self.ui = w.VBox([self.header, self.context, w.HTML("<b>Suggestions</b>"), self.suggestion_box,
                          self.codes_title, self.tree, nav, self.status])
        self.ui.add_class("thematic-widget")
        self.go(start)

    def _check_arguments(self, document: Any, start: Any) -> tuple[str | list[str] | None, int]:
        """E043 unless ``document`` names documents (an id or pattern, or a list of them) and ``start`` is a whole
        number; returns them as a string or list and an int."""
        from ..coding.manual import _listed

        ids = [str(d) for d in self.store.documents()["document_id"].head(1)]
        example = repr(ids[0]) if ids else "'interview-01'"

        def refuse(argument: str, detail: str, fix: str) -> InputError:
            return InputError(Errors.E043.format(function="The coding widget", argument=argument, detail=detail,
                                                 fix=fix))

        if document is not None:
            items = [document] if isinstance(document, str) else list(document) \
                if isinstance(document, Iterable) and not isinstance(document, (bytes, dict)) else None
            if items is None or not all(isinstance(i, str) for i in items):
                raise refuse(f"document={document!r:.60}", "it is neither a document id nor a list of them",
                             f"Give an id or `*` pattern, or a list of them, e.g. document={example}; leave "
                             "document out to code every document.")
            document = document if isinstance(document, str) else items
            if not _listed(document):
                raise refuse(f"document={document!r:.60}", "it names no document, so there would be nothing to code",
                             f"Leave document out to code every document, or name some, e.g. document={example}.")
        whole = isinstance(start, numbers.Real) and not isinstance(start, bool) and math.isfinite(float(start)) \
            and float(start).is_integer()
        if not whole:
            raise refuse(f"start={start!r:.60}", "it is not a whole number",
                         "Give the position of the segment to start at, counting from 0 (the default, the first).")
        return document, int(start)

    @property
    def store(self) -> Store:
        """The store every click reads and writes (the study's current one when built from a study)."""
        return self._source if isinstance(self._source, Store) else self._source.store

    @property
    def codebook(self) -> Codebook:
        """The current codebook (read again at each call when the widget was given a callable)."""
        source = self._codebook_source
        return source if isinstance(source, Codebook) else source()

    @codebook.setter
    def codebook(self, value: Codebook | Callable[[], Codebook]) -> None:
        self._codebook_source = value

    def _current_codebook(self) -> Codebook:
        """The current codebook; when it differs from the one on screen, the code list is rebuilt first."""
        cb = self.codebook
        if cb is not self._shown and _shape(cb) != _shape(self._shown):
            old, self._shown = self._shown, cb
            w = _ipywidgets()
            former = self.tree
            self.tree = self._build_tree(w, cb)
            self.codes_title.value = self._codes_title()
            self.ui.children = tuple(self.tree if child is former else child for child in self.ui.children)
            self._note = (f" The codebook changed ({old.name} {old.version} → {cb.name} {cb.version}): the code "
                          "list was refreshed, so code numbers may differ.")
            self._redraw()  # the new boxes show the stored ticks
        self._shown = cb
        return cb

    def _redraw(self) -> None:
        """Show the segment on screen again, never reloading its transcript: a re-ingest is left to the next
        write's check (E640) or move, so a click after a codebook edit still codes only the turn on screen."""
        if not self.segments.empty and self._stale(self.store, str(self.segment["document_id"])) is None:
            self._apply(self._view(self.position))

    def _take_note(self) -> str:
        note, self._note = self._note, ""
        return note

    # -- the segment list and re-ingests -----------------------------------------------------
    def _listed(self, segments: pd.DataFrame, docs: list[str] | None, keep: Iterable[str] = ()) -> pd.DataFrame:
        """The segments the widget pages through (participant turns, or those with an open suggestion); ``keep``
        ids stay listed whatever the filter (the turn on screen after a reload)."""
        segs = segments if self._include_interviewer else segments[~segments["is_interviewer"].fillna(False)]
        if self._only_suggested:
            sugg = self.store.codings(status="suggested", document=docs)
            open_ids = set(sugg.loc[~_lost(sugg), "segment_id"].dropna().astype(str))
            segs = segs[segs["segment_id"].isin(open_ids | set(keep))]
        return segs

    def _empty_reason(self) -> str:
        """Why there is no segment to show, in the words of what the coder can do about it."""
        scope = ", ".join(f"'{d}'" for d in self._docs) if self._docs else "this study"
        if self.all_segments.empty:
            if self._docs:
                return f"{scope} has no turns now; check the file and run `thematic ingest` again."
            return "nothing is ingested yet; run `thematic ingest` (or study.ingest()), then make the widget again."
        if not self._include_interviewer and self.all_segments["is_interviewer"].fillna(False).all():
            return f"{scope} holds only interviewer turns; pass include_interviewer=True to code them."
        return (f"{scope} has no open suggestion, and only_suggested=True shows only segments with one; run "
                "`thematic code` to make suggestions, or leave out only_suggested.")

    def _stale(self, store: Store, document: str) -> pd.DataFrame | None:
        """The document's turns as stored now when they differ from the ones the widget holds, else None."""
        fresh = store.segments(document=document)
        held = self.all_segments[self.all_segments["document_id"] == document]
        return None if _turns(fresh) == _turns(held) else fresh

    def _reload(self, document: str, fresh: pd.DataFrame, anchor: pd.Series) -> tuple[int, bool]:
        """Take the re-ingested turns of ``document``; returns the new position of ``anchor`` (the same turn,
        found by its text when exactly one turn of the document has it) and whether it was found."""
        turns = self._listed(fresh, [document])
        candidates = fresh if self._include_interviewer else fresh[~fresh["is_interviewer"].fillna(False)]
        same = candidates[candidates["text"] == anchor["text"]]
        found = str(same["segment_id"].iloc[0]) if len(same) == 1 else None
        if found is not None and self._only_suggested:
            turns = self._listed(fresh, [document], keep=[found])
        self.all_segments = _replace_document(self.all_segments, document, fresh)
        self.segments = _replace_document(self.segments, document, turns)
        if self.segments.empty:
            return 0, False
        ids = self.segments["segment_id"].astype(str)
        if found is not None and (ids == found).any():
            return int(ids.index[ids == found][0]), True
        rest = self.segments.index[(self.segments["document_id"] == document)
                                   & (self.segments["index"] >= int(anchor["index"]))]
        later = self.segments.index[self.segments["document_id"].astype(str) > document]
        place = rest[0] if len(rest) else later[0] if len(later) else len(self.segments) - 1
        return int(place), False

    def _where(self, found: bool) -> str:
        """Where the widget now is, after a reload (for E640 and notes)."""
        if self.segments.empty:
            return f"it has no segment to show now: {self._empty_reason()}"
        where = f"{self.segment['segment_id']} (segment {self.position + 1} of {len(self.segments)})"
        if found:
            return f"it shows the same turn, now {where}."
        return f"the turn you were on is no longer there as it was (its text changed or it was removed), so it shows {where}."

    def _refresh_shown(self) -> None:
        """When the document on screen was re-ingested, reload it and stay on the same turn (said in a note)."""
        if self.segments.empty:
            return
        seg = self.segment
        document = str(seg["document_id"])
        fresh = self._stale(self.store, document)
        if fresh is not None:
            self.position, found = self._reload(document, fresh, seg)
            self._note += f" The transcript '{document}' was re-ingested; the widget reloaded it: {self._where(found)}"

    def _check_shown(self, store: Store, action: str) -> pd.Series:
        """The segment on screen, checked against the store before a write: when its document was re-ingested,
        the widget reloads it (staying on the same turn) and the write is refused with E640."""
        if self.segments.empty:
            raise InputError(self._nothing_on_screen())
        seg = self.segment
        document = str(seg["document_id"])
        fresh = self._stale(store, document)
        if fresh is None:
            return seg
        self.position, found = self._reload(document, fresh, seg)
        where = self._where(found)
        self.go(self.position)  # the screen shows the reloaded turn, whoever called
        raise InputError(Errors.E640.format(document=document, segment=seg["segment_id"], action=action, now=where))

    def _nothing_on_screen(self) -> str:
        return f"No segment on screen, so nothing was stored: {self._empty_reason()}"

    # -- building --------------------------------------------------------------------------
    def _codes_title(self) -> str:
        cb = self._shown
        return (f"<b>Codes</b> <small>(ticks are {html.escape(self.coder)}'s codings; codebook "
                f"{html.escape(cb.name)} {html.escape(str(cb.version))})</small>")

    def _build_tree(self, w: Any, codebook: Codebook) -> Any:
        """Checkboxes grouped by theme, sub-codes indented, retired codes marked; numbered for the shortcut box."""
        self.code_order, self.checkboxes = [], {}
        columns = []
        for theme in codebook.themes:
            items = [w.HTML(f"<b>{html.escape(theme.label)}</b>")]
            for code in codebook.descendants(theme.id):
                self.code_order.append(code.id)
                depth = len(codebook.ancestors(code.id)) - 1
                retired = " (retired)" if code.id in codebook.retired else ""
                box = w.Checkbox(value=False, description=f"{len(self.code_order)}. {code.label}{retired}",
                                 indent=False, tooltip=f"{code.id}: {code.definition}",
                                 layout=w.Layout(margin=f"0 0 0 {18 * depth}px", width="auto"))
                box.observe(self._toggle_handler(code.id), names="value")
                self.checkboxes[code.id] = box
                items.append(box)
            columns.append(w.VBox(items, layout=w.Layout(min_width="230px", margin="0 12px 6px 0")))
        return w.Box(columns, layout=w.Layout(display="flex", flex_flow="row wrap"))

    def _toggle_handler(self, code_id: str) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            with self._lock:  # a tick that arrives while a segment is loading waits for it
                if not self._loading:
                    on = bool(change["new"])
                    self._safely(f"{'code' if on else 'uncode'} {code_id}", lambda: self._store_tick(code_id, on))
        return handler

    # -- navigation ------------------------------------------------------------------------
    @property
    def segment(self) -> pd.Series:
        """The segment on screen."""
        return self.segments.iloc[self.position]

    def go(self, position: int) -> None:
        """Show segment number ``position`` (clamped to the list); on a store error nothing on screen changes.

        When that segment's transcript was re-ingested, the widget reloads it first and shows the same turn."""
        with self._lock:
            if not self.segments.empty:
                position = max(0, min(int(position), len(self.segments) - 1))
                seg = self.segments.iloc[position]
                document = str(seg["document_id"])
                fresh = self._stale(self.store, document)
                if fresh is not None:
                    position, found = self._reload(document, fresh, seg)
                    self.position = position
                    self._note += (f" The transcript '{document}' was re-ingested; the widget reloaded it: "
                                   f"{self._where(found)}")
            if self.segments.empty:
                self._show_nothing()
                return
            self._apply(self._view(position))

    def _show_nothing(self) -> None:
        """An empty list: the header says why, and nothing on screen looks like a segment or a tick."""
        w = _ipywidgets()
        self.position = 0
        self.header.value = f"<i>No segments to code: {html.escape(self._empty_reason())}</i>"
        self.context.value = ""
        self._loading = True
        try:
            for box in self.checkboxes.values():
                box.value = False
        finally:
            self._loading = False
        self.suggestion_buttons = []
        self.suggestion_box.children = (w.HTML("<i>none open</i>"),)

    def next(self) -> None:
        """Mark the segment on screen as done (seen by the coder), then show the next one."""
        self.mark_done()
        self.go(self.position + 1)

    def mark_done(self) -> None:
        """Record that the coder has seen and decided on the segment on screen (coverage, source ``widget``);
        refused with E640 when its transcript was re-ingested (the widget then shows it reloaded)."""
        if self.segments.empty:
            return
        store = self.store
        with store.transaction():  # the check and the write together: no re-ingest slips in between
            seg = self._check_shown(store, "record the segment as seen")
            store.mark_seen([str(seg["segment_id"])], coder=self.coder, source="widget")

    def prev(self) -> None:
        """Show the previous segment."""
        self.go(self.position - 1)

    def _step(self, delta: int) -> Callable[[], str]:
        def action() -> str:
            if delta > 0:
                self.mark_done()  # moving on finishes the segment on screen (coverage)
            return self._move_to(None, delta=delta)
        return action

    def _move_to(self, position: int | None, *, delta: int = 0) -> str:
        """Show segment ``position`` (or the one ``delta`` away from the one on screen) with the current code list;
        a codebook that cannot be read is said, not fatal."""
        if self.segments.empty:
            return f"No segment to show: {self._empty_reason()}"
        problem = ""
        try:
            self._current_codebook()
        except ThematicError as exc:  # e.g. a YAML being edited: the next tick refuses with the same message
            problem = f" The codebook cannot be read now, so the code list is unchanged: {exc}"
        self._refresh_shown()  # a re-ingested transcript: "next" and "previous" count from the turn on screen
        self.go(self.position + delta if position is None else position)
        if self.segments.empty:
            return f"No segment to show: {self._empty_reason()}" + problem + self._take_note()
        return f"Segment {self.position + 1}." + problem + self._take_note()

    # -- reading a segment (no screen changes) ----------------------------------------------
    def _view(self, position: int) -> _View:
        seg = self.segments.iloc[position]
        who = _esc(seg["speaker"]) + (f" ({_esc(seg['participant_id'])})" if _esc(seg["participant_id"]) else "")
        header = f"<b>{_esc(seg['segment_id'])}</b> · {who} · segment {position + 1} of {len(self.segments)}"
        if self.store.has_seen(str(seg["segment_id"]), self.coder):
            header += " · <span class='thematic-finished' style='color:#2a7d2a'>✓ finished</span>"
        doc = self.all_segments[self.all_segments["document_id"] == seg["document_id"]].reset_index(drop=True)
        i = int(doc.index[doc["segment_id"] == seg["segment_id"]][0])
        question = _esc(seg.get("question"))
        answer = bool(question)  # a survey answer: its question is the context, not other respondents' answers
        before = (f"<div class='thematic-question' style='{_GREY}'><b>Q:</b> {question}</div>" if answer else
                  f"<div style='{_GREY}'>{_esc(doc.at[i - 1, 'speaker'])}: {_esc(doc.at[i - 1, 'text'])}</div>"
                  if i > 0 else "")
        context = "".join([
            before,
            f"<div style='padding:6px;border-left:4px solid #4a78c2;margin:4px 0'><b>{_esc(seg['speaker'])}:</b> "
            f"{_esc(seg['text'])}</div>",
            f"<div style='{_GREY}'>{_esc(doc.at[i + 1, 'speaker'])}: {_esc(doc.at[i + 1, 'text'])}</div>"
            if i + 1 < len(doc) and not answer else ""])
        everything = self.store.codings(document=str(seg["document_id"]))
        codings = self._segment_codings(seg, everything)
        mine = self._mine(codings)
        longer = self._longer(seg, mine)
        context += self._lost_note(everything)
        if not longer.empty:
            parts = []
            for row in longer.to_dict("records"):
                first, last = self._span_turns(str(seg["document_id"]), int(row["start"]), int(row["end"]))
                label = self._shown[row["code_id"]].label if row["code_id"] in self._shown else row["code_id"]
                parts.append(f"{_esc(label)} ({_esc(first)} to {_esc(last)})")
            context += (f"<div class='thematic-span-note' style='{_GREY}'>Ticked here as part of a longer coding: "
                        f"{'; '.join(parts)}.</div>")
        return _View(position, header, context, set(mine["code_id"].astype(str)),
                     self._suggestions(seg, codings[codings["status"] == "suggested"]))

    def _segment_codings(self, seg: pd.Series, df: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every coding overlapping the segment: inside it, or a longer one running over it; never one whose quote
        a re-ingest lost (its offsets point at other words now), among ``df`` (default: the document's)."""
        df = self.store.codings(document=str(seg["document_id"])) if df is None else df
        return df[(df["start"] < int(seg["end"])) & (df["end"] > int(seg["start"])) & ~_lost(df)]

    def _lost_note(self, codings: pd.DataFrame) -> str:
        """A note saying how many of the coder's codings among ``codings`` (a document's) lost their quote at a
        re-ingest, ticked on no turn, and how to find and remove them; "" when none did."""
        n = len(self._mine(codings[_lost(codings)]))
        if not n:
            return ""
        shell = shlex.quote(self.coder)
        its, them = ("its", "it") if n == 1 else ("their", "them")
        text = (f"{n} of {self.coder}'s codings on this document lost {its} quote at a re-ingest, so no turn shows "
                f"{them} ticked: `thematic codebook flagged --coder {shell}` lists {them}. Tick the passage where it "
                f"is now, then remove the old coding with `thematic code remove --id CODING_ID --coder {shell}`.")
        return f"<div class='thematic-lost-note' style='{_GREY}'>{_esc(text)}</div>"

    def _mine(self, codings: pd.DataFrame) -> pd.DataFrame:
        """The coder's counted codings among ``codings`` (an accepted suggestion is the accepter's)."""
        owned = accepted_as_coding(codings)
        return owned[(owned["coder"] == self.coder) & owned["status"].isin(COUNTED_STATUSES)]

    @staticmethod
    def _longer(seg: pd.Series, mine: pd.DataFrame) -> pd.DataFrame:
        """Those of ``mine`` that run beyond the segment (unticking the segment leaves them, see ``uncode``)."""
        inside = ((mine["segment_id"] == seg["segment_id"]).fillna(False).astype(bool)
                  | ((mine["start"] >= int(seg["start"])) & (mine["end"] <= int(seg["end"]))))
        return mine[~inside]

    def _span_turns(self, document: str, start: int, end: int) -> tuple[str, str]:
        """The first and last turn (segment ids) a span of ``document`` overlaps."""
        doc = self.all_segments[self.all_segments["document_id"] == document]
        hit = doc[(doc["start"] < end) & (doc["end"] > start)]
        if hit.empty:
            return f"{document}@{start}", f"{document}@{end}"
        return str(hit["segment_id"].iloc[0]), str(hit["segment_id"].iloc[-1])

    def _suggestions(self, seg: pd.Series, sugg: pd.DataFrame) -> list[_Suggestion]:
        """One entry per (span, code), most confident first, with every suggester's evidence."""
        out = []
        sugg = sugg.sort_values(["confidence", "coder"], ascending=[False, True], na_position="last")
        for (start, end, code_id), rows in sugg.groupby(["start", "end", "code_id"], sort=False):
            label = self._shown[code_id].label if code_id in self._shown else code_id
            text = f"<b>{_esc(label)}</b> <code>{_esc(code_id)}</code>"
            if (int(start), int(end)) != (int(seg["start"]), int(seg["end"])):
                text += f" · “{_esc(rows['text'].iloc[0])}”"
            for row in rows.to_dict("records"):
                text += f"<div class='thematic-evidence' style='{_GREY}'>{_esc(evidence_of(row).describe())}</div>"
            out.append(_Suggestion(str(rows["coding_id"].iloc[0]), str(code_id), text))
        return out

    # -- showing a segment (no store reads) --------------------------------------------------
    def _apply(self, view: _View) -> None:
        w = _ipywidgets()
        rows, buttons = [], []
        for n, s in enumerate(view.suggestions, start=1):
            accept = w.Button(description=f"accept (a{n})", button_style="success", tooltip=f"a{n}")
            reject = w.Button(description=f"reject (r{n})", button_style="danger", tooltip=f"r{n}")
            accept.on_click(self._decide_handler(s.coding_id, "accept"))
            reject.on_click(self._decide_handler(s.coding_id, "reject"))
            buttons.append((s.coding_id, accept, reject))
            row = w.HBox([accept, reject, w.HTML(s.html)])
            row.add_class("thematic-suggestion")
            rows.append(row)
        self.position = view.position
        self.header.value = view.header
        self.context.value = view.context
        self._loading = True
        try:
            for code_id, box in self.checkboxes.items():
                box.value = code_id in view.ticked
        finally:
            self._loading = False
        self.suggestion_buttons = buttons
        self.suggestion_box.children = tuple(rows) or (w.HTML("<i>none open</i>"),)

    # -- actions ---------------------------------------------------------------------------
    def _safely(self, what: str, action: Callable[[], str]) -> None:
        """Run one click's action and show its outcome; any failure is shown, and the stored state again."""
        with self._lock:
            try:
                message = action()
            except Exception as exc:  # noqa: BLE001 - every failure must reach the status line
                self._show_error(what, exc)
            else:
                self.last_error = None
                self.status.value = html.escape(message)

    def _show_error(self, what: str, exc: Exception) -> None:
        self.last_error = exc
        text = str(exc) if isinstance(exc, ThematicError) else Errors.E630.format(
            action=what, detail=f"{type(exc).__name__}: {exc}")
        try:
            self.go(self.position)
        except Exception as again:  # noqa: BLE001 - said in the same status line
            text += f" Reading the store again failed too ({type(again).__name__}: {again})."
        text += self._take_note()
        self.status.value = f"<span style='color:#b00'>{html.escape(text)}</span>"

    def _store_tick(self, code_id: str, on: bool) -> str:
        from ..coding.manual import code_with_note, uncode_with_note

        if self.segments.empty:  # nothing on screen: the box goes back, nothing is stored
            self._show_nothing()
            return self._nothing_on_screen()
        cb = self._current_codebook()  # the study's codebook now: a retired or deleted code is refused
        store = self.store
        with store.transaction():  # the check and the write together: no re-ingest slips in between
            seg = self._check_shown(store, f"{'tick' if on else 'untick'} {code_id}")
            sid = str(seg["segment_id"])
            if on:
                _, note = code_with_note(store, sid, code_id, coder=self.coder, codebook=cb)
                self._show_box(code_id, True)  # a box the codebook change rebuilt was set before the write
                return f"Coded {sid} as {code_id}." + (f" {note}" if note else "") + self._take_note()
            mine = self._mine(self._segment_codings(seg))
            longer = self._longer(seg, mine[mine["code_id"] == code_id])
            removed, rejected, lost = uncode_with_note(store, sid, code_id, coder=self.coder, codebook=cb)
        if not longer.empty:  # kept: removing it here would take it off the other turns too
            row = longer.iloc[0]
            first, last = self._span_turns(str(row["document_id"]), int(row["start"]), int(row["end"]))
            done = removed + rejected
            raise InputError(Errors.E643.format(
                coder=self.coder, shell=shlex.quote(self.coder), code=code_id, segment=sid, first=first, last=last,
                document=str(row["document_id"]),
                start=int(row["start"]), end=int(row["end"]), coding=row["coding_id"],
                removed=f" ({done} coding(s) of it inside this turn were taken off.)" if done else ""))
        self._show_box(code_id, False)
        lost = f" {lost}" if lost else ""
        if not rejected:
            return f"Removed {code_id} from {sid} ({removed} coding(s))." + lost + self._take_note()
        manual = f" ({removed} manual coding(s) removed)" if removed else ""
        return (f"Removed {code_id} from {sid}{manual}: the suggestion {self.coder} accepted is now rejected, "
                "so it will not be suggested again." + lost + self._take_note())

    def _decide_handler(self, coding_id: str, decision: str) -> Callable[[Any], None]:
        def handler(_button: Any) -> None:
            self._safely(f"{decision} the suggestion", lambda: self.decide(coding_id, decision))
        return handler

    def decide(self, coding_id: str, decision: str) -> str:
        """Accept or reject a suggestion now, then refresh the segment's codes and suggestions."""
        from ..coding.review import decide

        with self._lock:
            if self.segments.empty:
                return self._nothing_on_screen()
            cb = self._current_codebook()
            store = self.store
            with store.transaction():  # the check and the write together: no re-ingest slips in between
                self._check_shown(store, f"{decision} the suggestion")
                result = decide(store, coding_id, decision, reviewer=self.coder, codebook=cb)
            code_id = store.coding(coding_id)["code_id"]
            self.go(self.position)
            return f"{result.status.capitalize()} {code_id}." + self._take_note()

    def toggle(self, code_id: str) -> str:
        """Flip a code on the current segment (stored at once, checkbox updated); returns what was done."""
        with self._lock:
            if self.segments.empty:
                return self._nothing_on_screen()
            self._current_codebook()  # a changed codebook rebuilds the list (with the stored ticks) first
            box = self.checkboxes.get(code_id)
            on = box is None or not box.value  # a code no longer listed can only be applied (and is refused)
            return self._store_tick(code_id, on)

    def _show_box(self, code_id: str, on: bool) -> None:
        """Set the box of ``code_id`` now on screen to what was just stored, without storing it again."""
        box = self.checkboxes.get(code_id)
        if box is not None and box.value != on:
            self._loading = True
            try:
                box.value = on
            finally:
                self._loading = False

    def _on_shortcut(self, change: dict[str, Any]) -> None:
        command = str(change["new"]).strip()
        if not command:
            return
        self.shortcut.value = ""
        self._safely(f"carry out '{command}'", lambda: self.run_shortcut(command))

    def run_shortcut(self, command: str) -> str:
        """Carry out one typed shortcut (see the module docstring); returns what was done."""
        from ..coding.lookup import find_code

        cmd = command.strip().lower()
        with self._lock:
            if cmd in ("n", "next", "p", "prev", "previous"):
                return self._step(1 if cmd.startswith("n") else -1)()
            if cmd.startswith("g ") and cmd[2:].strip().isdigit():
                return self._move_to(int(cmd[2:]) - 1)
            if cmd[:1] in ("a", "r") and (cmd[1:].isdigit() or cmd[1:] == ""):
                n = int(cmd[1:] or 1)
                if not 1 <= n <= len(self.suggestion_buttons):
                    return f"No open suggestion {n} on this segment."
                return self.decide(self.suggestion_buttons[n - 1][0], "accept" if cmd[0] == "a" else "reject")
            if cmd.isdigit() and 0 < int(cmd) <= len(self.code_order):
                return self.toggle(self.code_order[int(cmd) - 1])
            return self.toggle(find_code(self._current_codebook(), command))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.ui._repr_mimebundle_(**kwargs)


def _lost(codings: pd.DataFrame) -> pd.Series:
    """Which of ``codings`` lost their quote at a re-ingest, or their document (``UNANCHORED_FLAGS``)."""
    return codings["flag"].isin(UNANCHORED_FLAGS).fillna(False).astype(bool)


def _shape(codebook: Codebook) -> tuple[Any, ...]:
    """What the code list shows of a codebook: a change here means the list must be rebuilt."""
    return (codebook.name, codebook.version, codebook.retired,
            tuple((c.id, c.label, c.parent, c.definition) for c in codebook))


def coding_widget(store: Any, *, coder: str, codebook: Codebook | Callable[[], Codebook],
                  **options: Any) -> CodingWidget:
    """Build the coding widget over a Store or a study (raises OptionalDependencyError naming the extra if ipywidgets is missing)."""
    return CodingWidget(store, coder=coder, codebook=codebook, **options)


__all__ = ["CodingWidget", "coding_widget"]
