"""Plain-text and markdown transcripts: speaker turns found by one line-anchored regex scan.

Recognised turn openings (optionally after or before a timestamp such as ``[00:01:02]``,
``(12:03)`` or ``00:01:02``): ``Name:`` / ``INTERVIEWER:`` / ``Q:`` / ``Researcher 1:`` /
``**Name:**`` / ``Ann Lee (SL):``, bracketed ``[Name]`` or ``[id1]``, a table pasted as text
(``00:01:02<TAB>Name<TAB>words``), and the Otter.ai layout (``Name  MM:SS`` or ``Name [00:01:02]``
alone on a line, the utterance below; also Teams' ``Surname, Given   0:03`` where two such lines or more
open turns). Text before the first turn is a header. A label holding a sentence
end (``Yes. Date:``) is speech, and so is a one-off inline ``Name:`` inside a turn of a label-alone file.
A file with no speaker labels becomes paragraphs of one unknown speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ...errors import Errors, TranscriptParseError, Warnings
from ..labels import clean_label, is_generic_label, is_name_like, is_stop_label, label_key
from ..parsed import Parsed, Turn, parse_time
from ..segment import paragraph_spans, trim

_T = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TS = rf"(?:\[{_T}\]|\({_T}\)|{_T})"
# Each word of a label is bounded (60 characters): an unbounded one made one long "word" before a colon, or a
# long token after a digit, cost time quadratic (or worse) in its length. No name or id is that long.
# Combining marks are not ``\w`` to Python's re, yet they spell most Indic, Thai and pointed Hebrew or Arabic names
# (अनीता): the blocks of those scripts, and the combining diacritics, count as letters inside a label.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0dff" \
         "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
# Bidirectional marks (RLM, LRM, embeddings, isolates) that right-to-left text puts around a label are space here.
_GAP = r"[ \t\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]*"
_WORD = rf"[^\W\d_][\w{_MARKS}'’.&-]{{0,59}}"
_TOK = rf"[\w{_MARKS}'’.&-]{{1,60}}"
_ID_TOKEN = r"\d[\w-]{0,58}?[^\W\d_][\w-]{0,58}"  # a participant id that starts with a digit: 815U3321N28865LI
_LABEL = rf"(?:{_WORD}|{_ID_TOKEN})(?:[ \t]+{_TOK}){{0,4}}(?:[ \t]*\((?!{_T}\))[^()\n]{{1,30}}\))?"
_SURNAME_GIVEN = rf"{_WORD}(?:[ \t]+{_TOK}){{0,2}},[ \t]+{_LABEL}"  # Teams: ``Lopez, Maria   0:03``
_OTTER = rf"^(?P<olabel>{_SURNAME_GIVEN}|{_LABEL})[ \t]{{1,4}}(?P<oopen>[\[(])?(?P<ots>{_T})(?(oopen)[\])])[ \t]*\n"
_TAB_LABEL = rf"(?:{_WORD}|{_ID_TOKEN})(?: {_TOK}){{0,4}}(?: ?\([^()\n]{{1,30}}\))?"
_TAB = rf"^{_GAP}(?P<tts>{_TS})\t+(?P<tlabel>{_TAB_LABEL})\t+"  # a timestamp first: key<TAB>value lines are not turns
_BRACKET = (rf"^{_GAP}(?:(?P<bts1>{_TS})[ \t]*)?\[(?P<blabel>[^\W\d_][^\[\]\n]{{0,40}})\][ \t]*:?"
            rf"(?:[ \t]+|(?=\n)|\Z)(?:(?P<bts2>{_TS})[ \t]*)?")
# A full-width colon (``李明：``) ends a label as Chinese and Japanese write it, with no space after it.
_COLON = (rf"^{_GAP}(?:(?P<ts1>{_TS})[ \t]*)?(?:\*\*|__)?(?P<label>{_LABEL})(?:\*\*|__)?{_GAP}"
          rf"(?:(?P<ts2>{_TS})[ \t]*)?(?::(?:\*\*|__)?(?:[ \t]+|(?=\n)|\Z)|：(?:\*\*|__)?[ \t]*)(?:(?P<ts3>{_TS})[ \t]*)?")
LINE = re.compile(f"{_OTTER}|{_BRACKET}|{_TAB}|{_COLON}", re.MULTILINE)

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(?P<body>(?:.*\n){0,60}?)---[ \t]*(?:\n|\Z)")
_PARTICIPANT_LINE = re.compile(
    r"\A\s*(?:participant|respondent|interviewee)(?:[ _-]?id)?[ \t]*[:=][ \t]*(?P<id>[A-Za-z]{0,4}[ _-]?\d{1,5})[ \t]*(?:\n|\Z)",
    re.IGNORECASE,
)
_BLANK = re.compile(r"\n[ \t]*\n")
_CODE_LIKE = re.compile(r"^(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w-]{6,40}$")
_OTTER_HEADER = re.compile(r"^(?:SUMMARY KEYWORDS|SPEAKERS)\s*$", re.MULTILINE)
_OTTER_FOOTER = re.compile(r"\n\s*Transcribed by https?://otter\.ai\S*\s*\Z", re.IGNORECASE)
#: Text before the first turn is a header (not coded) unless it has more lines than this, one of them long.
_MAX_HEADER_LINES = 2
_MAX_HEADER_LINE = 120


@dataclass(frozen=True, slots=True)
class _Opening:
    at: int  # where the line starts
    body: int  # where the utterance starts
    label: str
    time: float | None
    bracket: bool
    alone: bool = False  # the label has its line to itself; the utterance starts on the next line


def _front_matter(text: str) -> tuple[dict[str, Any], int]:
    """Header keys from a ``---`` block or a ``Participant: P01`` first line, and where the body starts."""
    header: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group("body").splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                header[key.strip().lower().replace(" ", "_")] = value.strip().strip("\"'")
        return header, m.end()
    m = _PARTICIPANT_LINE.match(text)
    if m:
        return {"participant": m.group("id").replace(" ", "")}, m.end()
    return header, 0


def parse_speaker_map(value: str) -> dict[str, str]:
    """``Dan = P01; Kim = interviewer`` (a header value) -> ``{"Dan": "P01", "Kim": "interviewer"}``."""
    out = {}
    for item in re.split(r"[;,]", value):
        name, sep, target = item.partition("=")
        if sep and name.strip() and target.strip():
            out[name.strip()] = target.strip()
    return out


def _opening(m: re.Match[str]) -> _Opening:
    g = m.group
    if g("olabel"):
        return _Opening(m.start(), m.end(), clean_label(g("olabel")), parse_time(g("ots")), False, True)
    text, end = m.string, m.end()
    alone = end >= len(text) or text[end] == "\n"
    if g("blabel"):
        ts = g("bts1") or g("bts2")
        return _Opening(m.start(), end, clean_label(g("blabel")), parse_time(ts) if ts else None, True, alone)
    if g("tlabel"):  # a table pasted as text: [time] TAB label TAB words; trusted, like brackets, when labels recur
        return _Opening(m.start(), end, clean_label(g("tlabel")), parse_time(g("tts")), True)
    ts = g("ts1") or g("ts2") or g("ts3")
    return _Opening(m.start(), end, clean_label(g("label")), parse_time(ts) if ts else None, False, alone)


def _surname_given(label: str) -> bool:
    """``Lopez, Maria``: one comma between a name-like surname and given name, neither a common word (``Yes``)."""
    surname, sep, given = label.partition(",")
    parts = (surname.strip(), given.strip())
    return bool(sep) and "," not in given and all(p and is_name_like(p) and not is_stop_label(p) for p in parts)


def _accepted(op: _Opening, counts: dict[str, int], known: frozenset[str], interviewer: Iterable[str]) -> bool:
    key = label_key(op.label)
    if key in known:
        return True
    if is_stop_label(op.label):
        return False
    if "," in op.label and not op.bracket and (counts.get("\x00comma", 0) < 2 or not _surname_given(op.label)):
        return False  # a Surname, Given label only where the file has two such lines or more
    if op.bracket and counts[key] < 2 and counts.get("\x00brackets", 0) < 2:
        return False
    if counts[key] >= 2 and _CODE_LIKE.match(op.label):
        return True  # an id used as a speaker label, turn after turn
    return is_generic_label(op.label, interviewer) or is_name_like(op.label, recurring=counts[key] >= 2)


def find_openings(text: str, start: int, *, known: frozenset[str] = frozenset(),
                  interviewer_labels: Iterable[str] = ()) -> list[_Opening]:
    """The lines that open a speaker turn, in order."""
    candidates = [_opening(m) for m in LINE.finditer(text, start)]
    counts: dict[str, int] = {}
    for op in candidates:
        k = label_key(op.label)
        counts[k] = counts.get(k, 0) + 1
        if op.bracket and not is_stop_label(op.label) and (is_name_like(op.label) or is_generic_label(op.label)):
            counts["\x00brackets"] = counts.get("\x00brackets", 0) + 1  # bracket labels of speaker shape
        if op.alone and op.time is not None and _surname_given(op.label):
            counts["\x00comma"] = counts.get("\x00comma", 0) + 1  # Teams' ``Surname, Given   0:03`` lines
    labels = tuple(interviewer_labels)
    accepted = [op for op in candidates if _accepted(op, counts, known, labels)]
    return _without_speech(accepted, counts, known, labels)


def _without_speech(openings: list[_Opening], counts: dict[str, int], known: frozenset[str],
                    interviewer: tuple[str, ...]) -> list[_Opening]:
    """Drop a one-off ``Mum: she said…`` line inside a turn of a file whose labels sit alone on their lines.

    Where most turns open with a label line of its own (Sonix, Descript, Otter), an inline ``Name:`` that is
    not a known, role or id label, never opens a turn alone and occurs once is speech, not a speaker.
    """
    alone = [op for op in openings if op.alone]
    if len(alone) < 2 or 2 * len(alone) < len(openings):
        return openings
    first = alone[0].at
    alone_keys = {label_key(op.label) for op in alone}

    def speech(op: _Opening) -> bool:
        key = label_key(op.label)
        return (not op.alone and not op.bracket and op.at > first and key not in known and key not in alone_keys
                and counts[key] < 2 and not is_generic_label(op.label, interviewer))

    return [op for op in openings if not speech(op)]


def _paragraph_turns(text: str, start: int, end: int) -> list[Turn]:
    start, end = trim(text, start, end)
    blank = _BLANK.search(text, start, end) is not None
    return [Turn(s, e, None, kind="paragraph") for s, e in paragraph_spans(text, start, end, blank_lines=blank)]


def _header(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, list[Turn]]:
    """The title line of a header, or the header as paragraphs when it is prose (several lines, one long)."""
    lines = [ln for ln in text[start:end].splitlines() if ln.strip()]
    if not lines:
        return None, []
    if _OTTER_HEADER.search(text, start, end):
        return None, []  # Otter's keyword and speaker lists: a header, but no title
    if all(len(ln) <= _MAX_HEADER_LINE for ln in lines) or len(lines) <= _MAX_HEADER_LINES:
        s, e = trim(text, start, end)
        nl = text.find("\n", s, e)
        return (s, nl if nl != -1 else e), []
    return None, _paragraph_turns(text, start, end)


def _turns(text: str, openings: list[_Opening], end: int) -> list[Turn]:
    turns = []
    for i, op in enumerate(openings):
        stop = openings[i + 1].at if i + 1 < len(openings) else end
        s, e = trim(text, op.body, stop)
        nxt = openings[i + 1].time if i + 1 < len(openings) else None
        turns.append(Turn(s, max(s, e), op.label, op.time, nxt if op.time is not None else None))
    return turns


def parse_text(text: str, path: str, *, known: Iterable[str] = (), interviewer_labels: Iterable[str] = (),
               fmt: str = "text") -> Parsed:
    """Split a normalised transcript into a header and speaker turns (see the module docstring).

    Raises:
        TranscriptParseError: [E100] when the file holds no text.
    """
    if not text.strip():
        raise TranscriptParseError(Errors.E100.format(path=path, detail=""))
    header, body = _front_matter(text)
    footer = _OTTER_FOOTER.search(text, body)
    end = footer.start() if footer else len(text)
    openings = find_openings(text, body, known=frozenset(label_key(k) for k in known),
                             interviewer_labels=interviewer_labels)
    openings = [op for op in openings if op.at < end]
    warnings: list[str] = []
    attributes = {k: v for k, v in header.items() if k not in {"participant", "speakers"}}
    if not openings:
        turns = _paragraph_turns(text, body, end)
        if not turns:
            raise TranscriptParseError(Errors.E100.format(path=path, detail=" after its header"))
        warnings.append(Warnings.W108.format(path=path))
        return Parsed(text, tuple(turns), fmt, None, header, attributes, tuple(warnings))
    title_span, lead = _header(text, body, openings[0].at)
    turns = lead + _turns(text, openings, end)
    if any(op.time is not None for op in openings) and _OTTER_HEADER.search(text, body, openings[0].at):
        attributes["layout"] = "otter"
    return Parsed(text, tuple(turns), fmt, title_span, header, attributes, tuple(warnings))
