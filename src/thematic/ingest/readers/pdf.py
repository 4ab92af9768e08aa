"""PDF transcripts (pdfplumber): positioned words -> lines -> paragraphs -> the text turn parser.

Kept: the text layer top to bottom; a two-column layout of speaker | text (a table, as
transcription services and LibreOffice/Word exports lay them out) read row by row as
``Speaker: text`` where the first cell reads as a speaker; a bold leading label (``**Name** text``) as
``Name: text``; paragraph breaks (a gap larger than the line spacing inside paragraphs, a label alone
on its line, or a short last line before a page break); the offset where each page starts
(``Parsed.pages``), so segments cite their page. Dropped: the same line at the top or bottom of most
pages, a page number in it aside (running headers and footers; never a line opening a turn with a
label the body uses) and bare page numbers (``3``, ``Page 3 of 9``, ``- 3 -``); the hyphen of a word
split at a line end (kept when the same hyphenated word occurs inside a line elsewhere, or before a
number: ``COVID-19``); fonts, images, annotations; form XObjects past ``MAX_FORMS_PER_PAGE`` calls per page or ``MAX_FORM_DEPTH`` deep
(W131). A PDF without a text layer is a scan: [E130]. The text is assembled in time linear in its length.
"""

from __future__ import annotations

import bisect
import io
import re
import statistics
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterable

from ...errors import Errors, TranscriptParseError, Warnings
from ..labels import is_generic_label, is_name_like, label_key
from ..normalise import normalise_text
from ..parsed import Parsed

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pg\.?)?\s*[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\u00ad": None})
# Both start only where a word starts (not after a letter), so a long run of letters is scanned once, not O(n²).
_HYPHENATED = re.compile(r"(?<![^\W\d_])[^\W\d_]+-[^\W\d_]+")
_LINE_END_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-$")
_SENTENCE_END = re.compile(r"[.?!…:;][\"'”’)\]]*\s*$")  # a row ending so is followed by a new row, not a wrapped name
_DIGIT_HYPHEN = re.compile(r"[^\W_]-$")  # ``COVID-`` / ``18-`` at a line end, a number starting the next line
_T = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
_CELL_TIME = re.compile(rf"^{_T}\s*|\s*{_T}$")  # a timestamp column before the speaker's, or a time after the name
_EDGE_LINES = 2  # header/footer candidates: this many lines at the top and bottom of each page
_MIN_GAP = 2.5  # points between the speaker column and the text column (cell padding)
_LEADING = 1.2  # single line spacing as a multiple of the font size, when the file shows none
_FULL = 0.15  # a line ending within this share of the text width from the right edge is full (wraps on)
#: Form XObjects (drawings that may call others) rendered per page, and how deep they may nest; past these a
#: call is skipped (W131), so forms calling each other cannot multiply the work without bound.
MAX_FORMS_PER_PAGE = 500
MAX_FORM_DEPTH = 10


@dataclass(slots=True)
class _Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    bold: bool


@dataclass(slots=True)
class _Line:
    page: int
    words: list[_Word]
    top: float = 0.0
    bottom: float = 0.0
    label: str | None = None  # the speaker label this line opens a turn with, as the text parser reads it
    alone: bool = False  # the label has the line to itself (Otter: ``Speaker 1  0:03``), the words follow below

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def height(self) -> float:
        """The font size, near enough (pdfplumber's word boxes are one font size tall)."""
        return max(self.bottom - self.top, 1.0)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


@dataclass(slots=True)
class _Paragraph:
    label: str | None
    lines: list[tuple[str, int]] = field(default_factory=list)  # (text, page)


def _text(words: Iterable[_Word]) -> str:
    """Words joined by spaces, except where they touch (a word split by a change of font)."""
    out, last = "", None
    for w in words:
        if last is not None and w.x0 - last.x1 > 0.8:
            out += " "
        out += w.text
        last = w
    return out


@dataclass(slots=True)
class _FormCount:
    depth: int = 0
    calls: int = 0
    skipped: int = 0


_FORMS: ContextVar[_FormCount | None] = ContextVar("thematic_pdf_forms", default=None)


def _install_form_bound() -> None:
    """Have pdfplumber's pages use an interpreter that counts form XObject calls (inert while no count is set)."""
    import pdfplumber.page
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import stream_value
    from pdfminer.psparser import literal_name

    if getattr(pdfplumber.page.PDFPageInterpreter, "_thematic_bounded", False):
        return

    class _Bounded(PDFPageInterpreter):
        _thematic_bounded = True

        def do_Do(self, xobjid_arg: Any) -> None:
            count = _FORMS.get()
            try:
                form = count is not None and literal_name(
                    stream_value(self.xobjmap[literal_name(xobjid_arg)]).get("Subtype")) == "Form"
            except Exception:  # noqa: BLE001  (pdfminer reports or ignores a bad reference itself)
                form = False
            if not form or count is None:
                return super().do_Do(xobjid_arg)
            if count.depth >= MAX_FORM_DEPTH or count.calls >= MAX_FORMS_PER_PAGE:
                count.skipped += 1
                return None
            count.calls, count.depth = count.calls + 1, count.depth + 1
            try:
                return super().do_Do(xobjid_arg)
            finally:
                count.depth -= 1

    pdfplumber.page.PDFPageInterpreter = _Bounded  # type: ignore[misc]


def _page_lines(page: Any, index: int) -> list[_Line]:
    words = page.extract_words(x_tolerance=1.5, extra_attrs=["fontname"], keep_blank_chars=False, use_text_flow=False)
    lines: list[_Line] = []
    for raw in sorted(words, key=lambda w: (w["top"], w["x0"])):
        text = normalise_text(raw["text"].translate(_LIGATURES))
        if not text.strip():
            continue
        w = _Word(raw["x0"], raw["x1"], raw["top"], raw["bottom"], text, "bold" in str(raw["fontname"]).lower())
        mid = (w.top + w.bottom) / 2
        if lines and lines[-1].top <= mid <= lines[-1].bottom:
            lines[-1].words.append(w)
        else:
            lines.append(_Line(index, [w], w.top, w.bottom))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
        ln.top, ln.bottom = min(w.top for w in ln.words), max(w.bottom for w in ln.words)
    return lines


def _edge_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", " ".join(w.text for w in line.words).lower())


def _mark_openings(pages: list[list[_Line]]) -> None:
    """Set each line's ``label`` (and ``alone``) where the text parser, reading one line per line, finds a turn."""
    from .text import find_openings

    lines = [ln for page in pages for ln in page]
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(_text(ln.words).strip()) + 1
    text = "".join(_text(ln.words).strip() + "\n" for ln in lines)
    for op in find_openings(text, 0):
        ln = lines[bisect.bisect_right(starts, op.at) - 1]
        ln.label, ln.alone = label_key(op.label), op.alone


def _same_line(found: list[tuple[int, str]]) -> bool:
    """Whether lines (page, text) that read alike digits aside are one running line: each number in them is the
    same on every page or counts the pages (``Page 3 of 9``), as timestamps (``Speaker 1  0:03``) do not."""
    numbers = [(page, [int(n) for n in re.findall(r"\d+", text)]) for page, text in found]
    return all(len({ns[k] for _, ns in numbers}) == 1 or len({ns[k] - page for page, ns in numbers}) == 1
               for k in range(min(len(ns) for _, ns in numbers)))


def _drop_headers(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Remove running headers/footers (the same line on most pages, page numbers aside) and bare page numbers.

    A line opening a turn with a label that also opens turns in the body of the pages is never a header.
    """
    found: dict[tuple[str, str], dict[int, str]] = {}
    body_labels = set()
    for p, lines in enumerate(pages):
        for i, ln in enumerate(lines):
            where = "top" if i < _EDGE_LINES else "bottom" if i >= len(lines) - _EDGE_LINES else None
            if where:
                found.setdefault((where, _edge_key(ln)), {}).setdefault(p, _text(ln.words))
            elif ln.label:
                body_labels.add(ln.label)
    need = max(2, len(pages) // 2 + 1)
    running = {key for key, on in found.items() if len(on) >= need and _same_line(list(on.items()))}
    out = []
    for lines in pages:
        n = len(lines)
        keep = []
        for i, ln in enumerate(lines):
            where = "top" if i < _EDGE_LINES else "bottom" if i >= n - _EDGE_LINES else None
            turn = ln.label is not None and ln.label in body_labels
            if where and not turn and ((where, _edge_key(ln)) in running
                                       or _PAGE_NUMBER.match(_text(ln.words).strip())):
                continue
            keep.append(ln)
        out.append(keep)
    return out


def _label_cell(text: str) -> bool:
    """Whether the words left of the text column read as a speaker cell: a name, role or id, maybe timed."""
    cell = text.strip().rstrip(":").strip()
    rest = _CELL_TIME.sub("", cell).rstrip(":").strip()
    if not rest:
        return rest != cell  # a time alone
    return is_generic_label(rest) or is_name_like(rest, recurring=True)


def _split_at(line: _Line, x: float) -> tuple[list[_Word], list[_Word]] | None:
    """(left, right) when a word starts at column ``x`` after a clear gap and the words left of it read as a
    speaker cell (running text that happens to have a word at ``x`` is no row)."""
    words = line.words
    for i, w in enumerate(words):
        if i and abs(w.x0 - x) <= 2.0 and words[i - 1].x1 <= x - _MIN_GAP and len(_text(words[:i])) <= 60:
            return (words[:i], words[i:]) if _label_cell(_text(words[:i])) else None
    return None


def _row_like(line: _Line, left: list[_Word], right: list[_Word]) -> bool:
    """Whether a split line looks like a table row, not running text's ``Name: text`` (a colon, then one space)."""
    return not _text(left).endswith(":") or right[0].x0 - left[-1].x1 >= 0.6 * line.height


def _text_column(lines: list[_Line]) -> float | None:
    """The left edge of the text column of a speaker | text layout, or None for running text."""
    starts = Counter(round(ln.x0) for ln in lines)
    margin = min(starts) if starts else 0
    inner = Counter(round(w.x0) for ln in lines for w in ln.words[1:])  # a column no line starts at (dense rows)
    for x in dict.fromkeys([x for x, _ in starts.most_common(4)] + [x for x, _ in inner.most_common(4)]):
        if x < margin + 20:
            continue
        split = sum(1 for ln in lines if ln.x0 < x - 15 and (parts := _split_at(ln, x)) and _row_like(ln, *parts))
        at_x = sum(1 for ln in lines if abs(ln.x0 - x) <= 2.0)
        if split >= 2 and split + at_x >= 0.5 * len(lines):
            return float(x)
    return None


def _pitch(pages: list[list[_Line]], left_edge: float, right_edge: float) -> float:
    """The line spacing inside a paragraph, as a multiple of the font size.

    Line-to-line steps (over the smaller font size of the two lines) are grouped; the spacing is the smallest
    group in which most steps follow a full line (a line that wraps on). Where no group does (every paragraph
    one line, or rows of a table), single spacing: every step as wide as a paragraph gap then ends a paragraph.
    """
    full_at = right_edge - _FULL * (right_edge - left_edge)
    steps = sorted(((b.top - a.top) / min(a.height, b.height), a.x1 >= full_at)
                   for lines in pages for a, b in zip(lines, lines[1:]))
    steps = [(r, full) for r, full in steps if 0.9 <= r < 4]
    groups: list[list[tuple[float, bool]]] = []
    for r, full in steps:
        if groups and r - groups[-1][-1][0] <= 0.05:
            groups[-1].append((r, full))
        else:
            groups.append([(r, full)])
    for group in groups:
        if 2 * sum(full for _, full in group) > len(group):
            return statistics.median(r for r, _ in group)
    return _LEADING


def _bold_label(words: list[_Word]) -> tuple[str, list[_Word]] | None:
    """A paragraph opening with a bold name (not followed by a colon) and then plain text."""
    n = 0
    while n < len(words) and words[n].bold:
        n += 1
    if not 0 < n < len(words):
        return None
    label = _text(words[:n]).strip()
    if label.endswith(":") or words[n].text.startswith(":") or len(label) > 40 or not is_name_like(label):
        return None
    return label, words[n:]


def _paragraphs(pages: list[list[_Line]]) -> list[_Paragraph]:
    lines = [ln for page in pages for ln in page]
    column = _text_column(lines)
    right_edge = max((ln.x1 for ln in lines), default=0.0)
    left_edge = min((ln.x0 for ln in lines), default=0.0)
    pitch = _pitch(pages, left_edge, right_edge)
    paras: list[_Paragraph] = []
    prev: _Line | None = None
    prev_left = False
    for ln in lines:
        parts = _split_at(ln, column) if column is not None and ln.x0 < column - 15 else None
        left_only = column is not None and ln.x1 <= column - _MIN_GAP
        adjacent = (prev is not None and prev.page == ln.page
                    and ln.top - prev.top <= 1.3 * pitch * min(prev.height, ln.height))
        open_end = bool(paras and paras[-1].lines and not _SENTENCE_END.search(paras[-1].lines[-1][0]))
        if (left_only or (parts and open_end)) and prev_left and adjacent and paras and paras[-1].label:
            left, right = parts if parts else (ln.words, [])
            paras[-1].label += " " + _text(left)  # the speaker's name wrapped in its cell
            if right:
                paras[-1].lines.append((_text(right), ln.page))
        elif parts:
            paras.append(_Paragraph(_text(parts[0]).strip().rstrip(":"), [(_text(parts[1]), ln.page)]))
        else:
            if ln.alone or (prev is not None and prev.alone):
                new = True  # a label alone on its line (Otter) is a paragraph of its own
            elif prev is None or prev.page == ln.page:
                new = not adjacent
            else:  # a page break: a new paragraph when the last line before it was short
                width = right_edge - (column if column is not None and prev.x0 >= column - 2 else left_edge)
                new = prev.x1 < right_edge - 0.15 * width
            if new or not paras:
                bold = _bold_label(ln.words)
                paras.append(_Paragraph(bold[0], [(_text(bold[1]), ln.page)]) if bold
                             else _Paragraph(None, [(_text(ln.words), ln.page)]))
            else:
                paras[-1].lines.append((_text(ln.words), ln.page))
        prev, prev_left = ln, bool(parts or left_only)
    return paras


def _assemble(paras: list[_Paragraph], n_pages: int) -> tuple[str, tuple[int, ...]]:
    """The document text (paragraphs separated by blank lines) and where each page starts in it."""
    inline = {m.group(0).lower() for p in paras for t, _ in p.lines for m in _HYPHENATED.finditer(t)}
    parts: list[str] = []
    pos = 0
    first: dict[int, int] = {}
    for p in paras:
        if parts:
            parts.append("\n\n")
            pos += 2
        if p.label:
            parts.append(f"{p.label}: ")
            pos += len(p.label) + 2
        prev = ""
        for i, (text, page) in enumerate(p.lines):
            text = text.strip()
            if i:
                m = _LINE_END_HYPHEN.search(prev) if prev.endswith("-") else None
                nxt = re.match(r"[^\W\d_]+", text)
                if m and nxt:  # a word broken at the line end: joined, its hyphen kept for compounds
                    if text[0].islower() and f"{m.group(1)}-{nxt.group(0)}".lower() not in inline:
                        parts[-1] = parts[-1][:-1]
                        pos -= 1
                elif text[:1].isdigit() and _DIGIT_HYPHEN.search(prev):
                    pass  # ``COVID-`` / ``19``: one word, hyphen kept
                else:
                    parts.append(" ")
                    pos += 1
            first.setdefault(page, pos)
            parts.append(text)
            pos += len(text)
            prev = text
    pages, nxt_start = [0] * n_pages, pos
    for k in range(n_pages - 1, -1, -1):
        nxt_start = first.get(k, nxt_start)
        pages[k] = nxt_start
    if pages:
        pages[0] = 0
    return "".join(parts), tuple(pages)


def _open(data: bytes, path: str) -> Any:
    """The opened PDF with its page tree parsed; coded errors for encrypted or damaged files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018  (parses the page tree: a damaged file fails here)
        return pdf
    except Exception as exc:  # pdfplumber wraps pdfminer's many kinds in PdfminerException
        cause = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise TranscriptParseError(Errors.E131.format(path=path, detail=type(cause).__name__)) from None
        if cause is not exc or type(exc).__module__.startswith("pdfminer") or isinstance(exc, (ValueError, KeyError)):
            detail = str(cause) or type(cause).__name__
            raise TranscriptParseError(Errors.E104.format(path=path, kind="PDF", detail=detail)) from None
        raise


def pdf_text(data: bytes, path: str) -> tuple[str, tuple[int, ...], list[str]]:
    """The text of a PDF (see the module docstring), each page's start offset, and warnings.

    Raises:
        TranscriptParseError: [E130] no text layer (a scan), [E131] encrypted, [E104] damaged, [E100] empty.
    """
    _install_form_bound()
    pdf = _open(data, path)
    skipped: list[str] = []
    try:
        pages, imaged = [], []
        for i, page in enumerate(pdf.pages):
            count = _FormCount()
            token = _FORMS.set(count)
            try:
                lines = _page_lines(page, i)
                has_images = not lines and bool(page.images)
            finally:
                _FORMS.reset(token)
            if count.skipped:
                skipped.append(Warnings.W131.format(path=path, page=i + 1, n=count.skipped, calls=MAX_FORMS_PER_PAGE,
                                                    depth=MAX_FORM_DEPTH))
            if has_images:
                imaged.append(i + 1)
            pages.append(lines)
            page.close()
    finally:
        pdf.close()
    if not any(pages):
        if imaged:
            raise TranscriptParseError(Errors.E130.format(path=path, pages=len(imaged)))
        raise TranscriptParseError(Errors.E100.format(path=path, detail=" (the PDF has no text)"))
    warnings = [Warnings.W130.format(path=path, pages=", ".join(map(str, imaged)))] if imaged else []
    warnings += skipped
    _mark_openings(pages)
    text, starts = _assemble(_paragraphs(_drop_headers(pages)), len(pages))
    return text, starts, warnings


def read_pdf(data: bytes, path: str, **options: Any) -> Parsed:
    """Read a PDF transcript into turns (see the module docstring)."""
    import dataclasses

    from .text import parse_text

    text, pages, warnings = pdf_text(data, path)
    parsed = parse_text(text, path, fmt="pdf", **options)
    return dataclasses.replace(parsed, pages=pages, warnings=tuple(warnings) + parsed.warnings)
