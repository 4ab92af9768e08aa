"""The Jupyter coding widget: page through segments, tick codes, accept or reject suggestions.

Every click is stored at once through the library (``coding.manual.code``/``uncode`` and
``coding.review.decide``), so the widget holds no state worth saving and a notebook and a CLI
can work on the same study together. ipywidgets is an optional extra, imported only here.

Moving on with ``next`` records the segment as seen by the coder (coverage, used by agreement).

Keyboard: type into the shortcut box and press Enter: ``n`` next, ``p`` previous, ``a``/``r``
accept/reject the first open suggestion (``a2``: the second), a number toggles that code in the
list, a code id toggles that code, ``g 12`` goes to segment 12.

Example:
    >>> w = study.widget(coder="AB")   # in a notebook cell; the widget shows itself
"""

from __future__ import annotations

import html
from typing import Any, Callable, Iterable

import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, OptionalDependencyError, ThematicError
from ..store import Store

_HELP = "n next · p prev · a / r accept / reject first suggestion (a2: second) · number or code id toggles a code"


def _ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError as exc:
        raise OptionalDependencyError(Errors.E354) from exc
    return ipywidgets


def _esc(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


class CodingWidget:
    """A notebook UI over the store: ``ui`` is the ipywidgets box; ``checkboxes`` maps code id -> Checkbox."""

    def __init__(self, store: Store, *, coder: str, codebook: Codebook, document: str | Iterable[str] | None = None,
                 include_interviewer: bool = False, only_suggested: bool = False, start: int = 0) -> None:
        w = _ipywidgets()
        self.store, self.coder, self.codebook = store, coder, codebook
        docs = [document] if isinstance(document, str) else (list(document) if document is not None else None)
        self.all_segments = store.segments(document=docs)  # with interviewer turns, for context
        segs = self.all_segments if include_interviewer else self.all_segments[~self.all_segments["is_interviewer"]]
        if only_suggested:
            open_ids = set(store.codings(status="suggested", document=docs)["segment_id"].dropna().astype(str))
            segs = segs[segs["segment_id"].isin(open_ids)]
        self.segments = segs.reset_index(drop=True)
        self.position = 0
        self._loading = False
        self.header, self.context, self.status = w.HTML(), w.HTML(), w.HTML()
        self.code_order: list[str] = []
        self.checkboxes: dict[str, Any] = {}
        self.tree = self._build_tree(w)
        self.suggestion_box = w.VBox()
        self.suggestion_buttons: list[tuple[str, Any, Any]] = []  # (coding_id, accept, reject)
        self.prev_button = w.Button(description="◀ previous", tooltip="previous segment (p)")
        self.next_button = w.Button(description="next ▶", tooltip="next segment (n)")
        self.prev_button.on_click(lambda _b: self.prev())
        self.next_button.on_click(lambda _b: self.next())
        self.shortcut = w.Text(placeholder=_HELP, continuous_update=False, layout=w.Layout(width="60%"))
        self.shortcut.observe(self._on_shortcut, names="value")
        nav = w.HBox([self.prev_button, self.next_button, self.shortcut])
        self.ui = w.VBox([self.header, self.context, w.HTML("<b>Suggestions</b>"), self.suggestion_box,
                          w.HTML(f"<b>Codes</b> <small>(ticks are {html.escape(coder)}'s codings)</small>"),
                          self.tree, nav, self.status])
        self.go(start)

    # -- building --------------------------------------------------------------------------
    def _build_tree(self, w: Any) -> Any:
        """Checkboxes grouped by theme, sub-codes indented; numbered for the shortcut box."""
        columns = []
        for theme in self.codebook.themes:
            items = [w.HTML(f"<b>{html.escape(theme.label)}</b>")]
            for code in self.codebook.descendants(theme.id):
                self.code_order.append(code.id)
                depth = len(self.codebook.ancestors(code.id)) - 1
                box = w.Checkbox(value=False, description=f"{len(self.code_order)}. {code.label}", indent=False,
                                 tooltip=f"{code.id}: {code.definition}",
                                 layout=w.Layout(margin=f"0 0 0 {18 * depth}px", width="auto"))
                box.observe(self._toggle_handler(code.id), names="value")
                self.checkboxes[code.id] = box
                items.append(box)
            columns.append(w.VBox(items, layout=w.Layout(min_width="230px", margin="0 12px 6px 0")))
        return w.Box(columns, layout=w.Layout(display="flex", flex_flow="row wrap"))

    def _toggle_handler(self, code_id: str) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            if not self._loading:
                self._safely(lambda: self._store_tick(code_id, bool(change["new"])))
        return handler

    # -- navigation ------------------------------------------------------------------------
    @property
    def segment(self) -> pd.Series:
        """The segment on screen."""
        return self.segments.iloc[self.position]

    def go(self, position: int) -> None:
        """Show segment number ``position`` (clamped to the list)."""
        if self.segments.empty:
            self.header.value = "<i>No segments to code (ingest transcripts first).</i>"
            return
        self.position = max(0, min(int(position), len(self.segments) - 1))
        self._render()

    def next(self) -> None:
        """Mark the segment on screen as done (seen by the coder), then show the next one."""
        self.mark_done()
        self.go(self.position + 1)

    def mark_done(self) -> None:
        """Record that the coder has seen and decided on the segment on screen (coverage, source ``widget``)."""
        if not self.segments.empty:
            self.store.mark_seen([str(self.segment["segment_id"])], coder=self.coder, source="widget")

    def prev(self) -> None:
        """Show the previous segment."""
        self.go(self.position - 1)

    # -- rendering -------------------------------------------------------------------------
    def _render(self) -> None:
        seg = self.segment
        who = _esc(seg["speaker"]) + (f" ({_esc(seg['participant_id'])})" if _esc(seg["participant_id"]) else "")
        self.header.value = (f"<b>{_esc(seg['segment_id'])}</b> · {who} · segment {self.position + 1} of "
                             f"{len(self.segments)}")
        doc = self.all_segments[self.all_segments["document_id"] == seg["document_id"]].reset_index(drop=True)
        i = int(doc.index[doc["segment_id"] == seg["segment_id"]][0])
        grey = "color:#777;font-size:90%"
        parts = [f"<div style='{grey}'>{_esc(doc.at[i - 1, 'speaker'])}: {_esc(doc.at[i - 1, 'text'])}</div>"
                 if i > 0 else "",
                 f"<div style='padding:6px;border-left:4px solid #4a78c2;margin:4px 0'><b>{_esc(seg['speaker'])}:</b> "
                 f"{_esc(seg['text'])}</div>",
                 f"<div style='{grey}'>{_esc(doc.at[i + 1, 'speaker'])}: {_esc(doc.at[i + 1, 'text'])}</div>"
                 if i + 1 < len(doc) else ""]
        self.context.value = "".join(parts)
        self._load_ticks()
        self._render_suggestions()

    def _segment_codings(self, **filters: Any) -> pd.DataFrame:
        seg = self.segment
        df = self.store.codings(document=str(seg["document_id"]), **filters)
        return df[(df["start"] >= int(seg["start"])) & (df["end"] <= int(seg["end"]))]

    def _load_ticks(self) -> None:
        from ..coding.owner import coder_codings

        seg = self.segment
        df = coder_codings(self.store, self.coder, document=str(seg["document_id"]))
        df = df[(df["start"] >= int(seg["start"])) & (df["end"] <= int(seg["end"]))]
        mine = set(df["code_id"].astype(str))
        self._loading = True
        try:
            for code_id, box in self.checkboxes.items():
                box.value = code_id in mine
        finally:
            self._loading = False

    def _render_suggestions(self) -> None:
        w = _ipywidgets()
        sugg = self._segment_codings(status="suggested").sort_values("confidence", ascending=False)
        rows, self.suggestion_buttons, seen = [], [], set()
        for r in sugg.itertuples():
            if (r.start, r.end, r.code_id) in seen:
                continue  # the same suggestion by another suggester: one decision settles both
            seen.add((r.start, r.end, r.code_id))
            conf = "" if pd.isna(r.confidence) else f"{float(r.confidence):.2f}"
            label = self.codebook[r.code_id].label if r.code_id in self.codebook else r.code_id
            n = len(self.suggestion_buttons) + 1
            accept = w.Button(description=f"accept (a{n})", button_style="success", tooltip=f"a{n}")
            reject = w.Button(description=f"reject (r{n})", button_style="danger", tooltip=f"r{n}")
            accept.on_click(self._decide_handler(str(r.coding_id), "accept"))
            reject.on_click(self._decide_handler(str(r.coding_id), "reject"))
            self.suggestion_buttons.append((str(r.coding_id), accept, reject))
            text = f"<b>{_esc(label)}</b> <code>{_esc(r.code_id)}</code> · confidence {conf} · {_esc(r.coder)}"
            if (int(r.start), int(r.end)) != (int(self.segment["start"]), int(self.segment["end"])):
                text += f" · “{_esc(r.text)}”"
            rows.append(w.HBox([accept, reject, w.HTML(text)]))
        self.suggestion_box.children = tuple(rows) or (w.HTML("<i>none open</i>"),)

    # -- actions ---------------------------------------------------------------------------
    def _safely(self, action: Callable[[], str]) -> None:
        """Run a click's action; show its outcome, or the error (and the stored state again)."""
        try:
            self.status.value = html.escape(action())
        except ThematicError as exc:
            self.status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            if not self.segments.empty:
                self._load_ticks()

    def _store_tick(self, code_id: str, on: bool) -> str:
        from ..coding.manual import code, uncode

        sid = str(self.segment["segment_id"])
        if on:
            code(self.store, sid, code_id, coder=self.coder, codebook=self.codebook)
            return f"Coded {sid} as {code_id}."
        n = uncode(self.store, sid, code_id, coder=self.coder, codebook=self.codebook)
        return f"Removed {code_id} from {sid} ({n} coding(s))."

    def _decide_handler(self, coding_id: str, decision: str) -> Callable[[Any], None]:
        def handler(_button: Any) -> None:
            self._safely(lambda: self.decide(coding_id, decision))
        return handler

    def decide(self, coding_id: str, decision: str) -> str:
        """Accept or reject a suggestion now, then refresh the segment's codes and suggestions."""
        from ..coding.review import decide

        result = decide(self.store, coding_id, decision, reviewer=self.coder, codebook=self.codebook)
        code_id = self.store.coding(coding_id)["code_id"]
        self._render()
        return f"{result.status.capitalize()} {code_id}."

    def toggle(self, code_id: str) -> str:
        """Flip a code on the current segment (stored at once, checkbox updated); returns what was done."""
        box = self.checkboxes[code_id]
        message = self._store_tick(code_id, not box.value)
        self._loading = True
        try:
            box.value = not box.value
        finally:
            self._loading = False
        return message

    def _on_shortcut(self, change: dict[str, Any]) -> None:
        command = str(change["new"]).strip()
        if not command:
            return
        self.shortcut.value = ""
        self._safely(lambda: self.run_shortcut(command))

    def run_shortcut(self, command: str) -> str:
        """Carry out one typed shortcut (see the module docstring); returns what was done."""
        cmd = command.strip().lower()
        if cmd in ("n", "next"):
            self.next()
            return f"Segment {self.position + 1}."
        if cmd in ("p", "prev", "previous"):
            self.prev()
            return f"Segment {self.position + 1}."
        if cmd.startswith("g ") and cmd[2:].strip().isdigit():
            self.go(int(cmd[2:]) - 1)
            return f"Segment {self.position + 1}."
        if cmd[:1] in ("a", "r") and (cmd[1:].isdigit() or cmd[1:] == ""):
            n = int(cmd[1:] or 1)
            if not 1 <= n <= len(self.suggestion_buttons):
                return f"No open suggestion {n} on this segment."
            return self.decide(self.suggestion_buttons[n - 1][0], "accept" if cmd[0] == "a" else "reject")
        code_id = self.code_order[int(cmd) - 1] if cmd.isdigit() and 0 < int(cmd) <= len(self.code_order) else cmd
        if code_id not in self.checkboxes:
            from ..coding.manual import check_code

            check_code(self.codebook, code_id)  # raises with a did-you-mean
        return self.toggle(code_id)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.ui._repr_mimebundle_(**kwargs)


def coding_widget(store: Store, *, coder: str, codebook: Codebook, **options: Any) -> CodingWidget:
    """Build the coding widget (raises OptionalDependencyError naming the extra if ipywidgets is missing)."""
    return CodingWidget(store, coder=coder, codebook=codebook, **options)


__all__ = ["CodingWidget", "coding_widget"]
