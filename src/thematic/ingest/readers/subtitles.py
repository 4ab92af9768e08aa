"""WebVTT and SRT: cues become speaker turns with start/end times.

The speaker comes from a ``<v Name>`` voice tag (Teams writes ``<v Surname, Given>``) or a
``Name:`` prefix (Zoom, also ``Ann Lee (SL):``); a cue without one continues the previous
speaker. Consecutive cues of one speaker merge into one turn keeping the first start and last
end time; a pause of two seconds or more starts a new paragraph inside the turn. NOTE, STYLE and
REGION blocks and cue ids are ignored. Files with no speakers at all (speech recognition SRT)
become paragraphs cut at pauses and after about 80 words ending a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import Errors, TranscriptParseError
from ..labels import clean_label, is_generic_label, is_name_like, is_stop_label
from ..parsed import Parsed, Turn, parse_time

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^\s*(?P<a>{_TIME})\s*-->\s*(?P<b>{_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+?)\s*>")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_PREFIX = re.compile(r"^\s*(?:-\s*)?(?P<name>[^\W\d_][^:\n]{0,50}?)\s*:\s+(?=\S)")
_SENTENCE_PUNCT = re.compile(r"[.?!,;\"]")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}
_PAUSE = 2.0
_PARAGRAPH_WORDS = 80


@dataclass(slots=True)
class _Cue:
    start: float
    end: float
    speaker: str | None
    text: str
    prefix: str | None = None  # a ``Name:`` candidate, decided once every cue is read


def _unescape(text: str) -> str:
    for k, v in _ENTITIES.items():
        text = text.replace(k, v)
    return text


def _speaker_and_text(payload: str) -> tuple[str | None, str, str | None]:
    """The voice-tag speaker, the plain text, and a ``Name:`` prefix candidate."""
    voice = _VOICE.search(payload)
    speaker = clean_label(voice.group("name")) if voice else None
    text = _unescape(_TAGS.sub("", payload))
    text = " ".join(line.strip() for line in text.split("\n") if line.strip())
    m = None if speaker else _PREFIX.match(text)
    prefix = m.group("name") if m and len(m.group("name").split()) <= 6 else None
    return speaker, text.strip(), prefix


def _apply_prefixes(cues: list[_Cue]) -> None:
    """Take ``Name:`` prefixes as speakers when name-like or used by two cues or more (Zoom's ``Jodie's iPhone``)."""
    counts: dict[str, int] = {}
    for c in cues:
        if c.prefix:
            counts[c.prefix] = counts.get(c.prefix, 0) + 1
    for c in cues:
        name = c.prefix
        if name and not is_stop_label(name) and (
                is_name_like(name) or is_generic_label(name) or (counts[name] >= 2 and not _SENTENCE_PUNCT.search(name))):
            c.speaker = clean_label(name)
            c.text = _PREFIX.sub("", c.text, count=1).strip()


def _cues(text: str, path: str) -> list[_Cue]:
    """Cues in order; a line followed by a timing line is a cue id, NOTE/STYLE/REGION blocks are skipped."""
    lines = text.split("\n")
    cues: list[_Cue] = []
    payload: list[str] | None = None
    block_start, skipping = True, False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            block_start, skipping = True, False
            continue
        if block_start and line.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")) and "-->" not in line:
            skipping = True
        block_start = False
        if "-->" in line:
            m = _TIMING.match(line)
            start = parse_time(m.group("a")) if m else None
            end = parse_time(m.group("b")) if m else None
            if start is None or end is None:
                raise TranscriptParseError(Errors.E105.format(path=path, line=i + 1, cue=len(cues) + 1, found=line[:60]))
            _close(cues, payload)
            cues.append(_Cue(start, end, None, ""))
            payload, skipping = [], False
        elif skipping or (i + 1 < len(lines) and "-->" in lines[i + 1]):
            continue  # a NOTE block, or a cue id
        elif payload is not None:
            payload.append(line)
    _close(cues, payload)
    _apply_prefixes(cues)
    return [c for c in cues if c.text]


def _close(cues: list[_Cue], payload: list[str] | None) -> None:
    if cues and payload is not None:
        cues[-1].speaker, cues[-1].text, cues[-1].prefix = _speaker_and_text("\n".join(payload))


def _groups(cues: list[_Cue]) -> list[list[_Cue]]:
    """Consecutive cues of one speaker (no speaker: continue the previous one)."""
    any_speaker = any(c.speaker for c in cues)
    groups: list[list[_Cue]] = []
    current: str | None = None
    words = 0
    for c in cues:
        speaker = c.speaker or current
        if not any_speaker:
            long_enough = words >= _PARAGRAPH_WORDS and groups[-1][-1].text.rstrip().endswith((".", "?", "!"))
            new = not groups or long_enough or c.start - groups[-1][-1].end >= _PAUSE
        else:
            new = not groups or speaker != current
        if new:
            groups.append([])
            words = 0
        groups[-1].append(_Cue(c.start, c.end, speaker, c.text))
        words += c.text.count(" ") + 1
        current = speaker
    return groups


def _compose(groups: list[list[_Cue]]) -> tuple[str, list[Turn], list[tuple[int, int, float, float]]]:
    """The document text (``Speaker: text`` per turn), its turns, and each cue's span with its times."""
    parts: list[str] = []
    turns: list[Turn] = []
    cues: list[tuple[int, int, float, float]] = []
    pos = 0
    for group in groups:
        speaker = group[0].speaker
        prefix = f"{speaker}: " if speaker else ""
        start = cursor = pos + len(prefix)
        body: list[str] = []
        for i, c in enumerate(group):
            if i:
                sep = "\n" if c.start - group[i - 1].end >= _PAUSE else " "
                body.append(sep)
                cursor += 1
            body.append(c.text)
            cues.append((cursor, cursor + len(c.text), c.start, c.end))
            cursor += len(c.text)
        turns.append(Turn(start, cursor, speaker, group[0].start, group[-1].end,
                          kind="turn" if speaker else "paragraph"))
        piece = prefix + "".join(body) + "\n\n"
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), turns, cues


def read_subtitles(text: str, path: str, fmt: str) -> Parsed:
    """Parse normalised WebVTT (``fmt="vtt"``) or SRT text into turns.

    Raises:
        TranscriptParseError: [E105] malformed timing line, [E106] no cue with text.
    """
    cues = _cues(text, path)
    if not cues:
        raise TranscriptParseError(Errors.E106.format(path=path))
    composed, turns, spans = _compose(_groups(cues))
    return Parsed(composed, tuple(turns), fmt, cues=tuple(spans))
