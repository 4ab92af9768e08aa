"""WebVTT and SRT: cues become speaker turns with start/end times.

The speaker comes from a ``<v Name>`` voice tag (Teams writes ``<v Surname, Given>``) or a
``Name:`` prefix (Zoom, also ``Ann Lee (SL):``); a cue without one continues the previous
speaker. A cue in which the speaker changes (a second voice tag, or a later ``- Name:`` line as in
two-speaker subtitles) is cut there, each part going to its speaker with the cue's times. Consecutive cues of one speaker merge into one turn keeping the first start and last
end time; a pause of two seconds or more starts a new paragraph inside the turn. NOTE, STYLE and
REGION blocks and cue ids are ignored. Files with no speakers at all (speech recognition SRT)
become paragraphs cut at pauses and after about 80 words ending a sentence (warning W108).

Cue text loses ``<...>`` tags and SRT/ASS ``{\\...}`` override blocks, and every character reference
ending in ``;`` is decoded. A line right above a timing line inside a cue (no blank line between cues)
stays text unless it is the next cue number or a GUID (W160 when it looks like an id). YouTube's
rolling auto-captions (word-timing tags, 10 ms snapshot cues) lose the lines each cue repeats (W161).
"""

from __future__ import annotations

import html
import html.entities
import re
from dataclasses import dataclass, field

from ...errors import Errors, TranscriptParseError, Warnings
from ..labels import clean_label, is_generic_label, is_name_like, is_stop_label
from ..normalise import normalise_text
from ..parsed import Parsed, Turn, parse_time

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^\s*(?P<a>{_TIME})\s*-->\s*(?P<b>{_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+?)\s*>")
_MARK = "\x00"  # where a voice tag stood (normalised text holds no control characters)
_MARKED = re.compile(r"\x00(\d+)\x00")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_PREFIX = re.compile(r"^\s*(?:-\s*)?(?P<name>[^\W\d_][^:\n]{0,50}?)\s*:\s+(?=\S)")
_SENTENCE_PUNCT = re.compile(r"[.?!,;\"]")
_OVERRIDES = re.compile(r"\{\\[^{}\n]*\}")  # SRT/ASS override blocks: {\an8}, {\i1}, {\pos(10,20)}
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AS_WRITTEN = {"\xa0": " ", "\u200e": "", "\u200f": ""}  # &nbsp; as a space, &lrm;/&rlm; dropped
_WORD_TIME = re.compile(r"<\d+:\d{2}(?::\d{2})?[.,]\d{1,3}>")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?:/[\w-]+)?")
_ID_LIKE = re.compile(r"[^\s.?!,;]*\d[^\s]*|[^\s]*[-_/][^\s]*")  # one token with a digit, hyphen or slash
_SNAPSHOT = 0.05  # YouTube's snapshot cues last 10 ms
_PAUSE = 2.0
_PARAGRAPH_WORDS = 80


@dataclass(slots=True)
class _Cue:
    start: float
    end: float
    speaker: str | None
    text: str
    prefix: str | None = None  # a ``Name:`` candidate, decided once every cue is read
    lines: list[str] = field(default_factory=list)
    voices: list[str | None] = field(default_factory=list)  # each line's ``<v Name>`` speaker
    word_times: bool = False  # ``<00:00:01.234>`` tags (YouTube auto-captions)


def _reference(m: re.Match[str]) -> str:
    ref = m.group()
    if ref[1] != "#" and ref[1:] not in html.entities.html5:
        return ref  # not an HTML character reference: words such as ``&bogus;`` stay
    decoded = html.unescape(ref)
    return _AS_WRITTEN.get(decoded, decoded)


def _unescape(text: str) -> str:
    """Every HTML character reference ending in ``;`` decoded; bare ``&`` (``AT&T``, ``&nothing``) kept."""
    if "&" not in text:
        return text
    decoded = _REFERENCE.sub(_reference, text)
    return text if decoded == text else normalise_text(decoded).replace("\n", " ")


def _voices_and_lines(payload: str) -> tuple[list[str | None], list[str]]:
    """The plain text lines (tags, override blocks and references resolved) and each line's voice-tag speaker.

    A ``<v Name>`` tag after other words on its line starts a line of its own, so two voices on one line are
    told apart; a line without a tag keeps the voice before it in the cue.
    """
    names: list[str] = []

    def mark(m: re.Match[str]) -> str:
        names.append(clean_label(_unescape(m.group("name"))))
        before = payload[payload.rfind("\n", 0, m.start()) + 1:m.start()]
        newline = "\n" if _TAGS.sub("", before).strip(" \t-") else ""
        return f"{newline}{_MARK}{len(names) - 1}{_MARK}"

    text = _OVERRIDES.sub("", _TAGS.sub("", _VOICE.sub(mark, payload)))
    voices: list[str | None] = []
    lines: list[str] = []
    voice: str | None = None
    for raw in text.split("\n"):
        found = _MARKED.findall(raw)
        voice = names[int(found[-1])] if found else voice
        line = _unescape(_MARKED.sub("", raw)).strip()
        if line:
            voices.append(voice)
            lines.append(line)
    return voices, lines


def _split_speakers(cues: list[_Cue]) -> list[_Cue]:
    """Each cue cut where its speaker changes: at a new ``<v Name>`` voice, or a later line opening with a
    dialogue dash and a name (``- Bob: …``). The parts keep the cue's times."""
    out: list[_Cue] = []
    for cue in cues:
        parts: list[_Cue] = []
        for i, (voice, line) in enumerate(zip(cue.voices, cue.lines)):
            dash = i > 0 and line.startswith("-") and _PREFIX.match(line) is not None and voice is None
            if not parts or voice != parts[-1].speaker or dash:
                parts.append(_Cue(cue.start, cue.end, voice, "", word_times=cue.word_times))
            parts[-1].lines.append(line)
        out.extend(parts or [_Cue(cue.start, cue.end, None, "")])
    return out


def _set_text(cue: _Cue) -> None:
    cue.text = " ".join(cue.lines).strip()
    m = None if cue.speaker else _PREFIX.match(cue.text)
    cue.prefix = m.group("name") if m and len(m.group("name").split()) <= 6 else None


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


def _cue_number(line: str) -> int | None:
    """A line's cue number: ASCII digits that fit an int (``²`` or 5,000 digits is no cue number int() reads)."""
    return int(line) if line.isascii() and line.isdigit() and len(line) <= 18 else None


def _is_next_id(line: str, last_id: int | None, n_cues: int) -> bool:
    """A numbered SRT's next number, or a GUID (Teams): a cue id even without a blank line before it."""
    if (number := _cue_number(line)) is not None:
        return number == (last_id + 1 if last_id is not None else n_cues + 1)
    return bool(_GUID.fullmatch(line))


def _cues(text: str, path: str) -> tuple[list[_Cue], list[str]]:
    """Cues in order and warnings; NOTE/STYLE/REGION blocks and cue ids are skipped.

    A line followed by a timing line is a cue id when it opens a block; inside a cue (cues not
    separated by blank lines) it is the cue's last text line unless it is the next cue number or a GUID.
    """
    lines = text.split("\n")
    cues: list[_Cue] = []
    warnings: list[str] = []
    payload: list[str] | None = None
    block_start, skipping, in_cue = True, False, False
    last_id: int | None = None
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            block_start, skipping, in_cue = True, False, False
            continue
        if block_start and line.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")) and "-->" not in line:
            skipping = True
        opens_block, block_start = block_start, False
        if "-->" in line:
            m = _TIMING.match(line)
            start = parse_time(m.group("a")) if m else None
            end = parse_time(m.group("b")) if m else None
            if start is None or end is None:
                raise TranscriptParseError(Errors.E105.format(path=path, line=i + 1, cue=len(cues) + 1, found=line[:60]))
            _close(cues, payload)
            cues.append(_Cue(start, end, None, ""))
            payload, skipping, in_cue = [], False, True
        elif skipping:
            continue  # a NOTE, STYLE or REGION block, or the WEBVTT header
        elif (above_timing := i + 1 < len(lines) and "-->" in lines[i + 1]) and (
                opens_block or _is_next_id(line, last_id, len(cues))):
            last_id = _cue_number(line)  # a cue id
        elif payload is not None:
            if above_timing and (not in_cue or _ID_LIKE.fullmatch(line)):  # kept, but it may be a cue id
                warnings.append(Warnings.W160.format(path=path, line=i + 1, found=line[:60], cue=len(cues)))
            payload.append(line)
    _close(cues, payload)
    warnings.extend(_unroll(cues, path))
    cues = _split_speakers(cues)
    for c in cues:
        _set_text(c)
    _apply_prefixes(cues)
    return [c for c in cues if c.text], warnings


def _close(cues: list[_Cue], payload: list[str] | None) -> None:
    if cues and payload is not None:
        joined = "\n".join(payload)
        cues[-1].voices, cues[-1].lines = _voices_and_lines(joined)
        cues[-1].word_times = bool(_WORD_TIME.search(joined))


def _overlap(before: list[str], lines: list[str]) -> int:
    """How many leading ``lines`` repeat the last lines of ``before``."""
    for k in range(min(len(before), len(lines)), 0, -1):
        if lines[:k] == before[-k:]:
            return k
    return 0


def _unroll(cues: list[_Cue], path: str) -> list[str]:
    """Rolling captions (YouTube: each cue repeats the previous cue's last line): keep each line once.

    Only a file with word-timing tags or 10 ms snapshot cues that repeat the cue before is rolled,
    so a speaker who says the same thing in two ordinary cues keeps both.
    """
    pairs = list(zip(cues, cues[1:]))
    snapshots = sum(1 for a, b in pairs if b.end - b.start <= _SNAPSHOT and b.lines and _overlap(a.lines, b.lines) == len(b.lines))
    repeats = sum(1 for a, b in pairs if _overlap(a.lines, b.lines))
    if not repeats or not (snapshots or (any(c.word_times for c in cues) and repeats * 4 >= len(pairs))):
        return []
    removed = 0
    before = cues[0].lines
    for cue in cues[1:]:
        raw, k = cue.lines, _overlap(before, cue.lines)
        cue.lines, cue.voices, before = raw[k:], cue.voices[k:], raw
        removed += k
    return [Warnings.W161.format(path=path, n=removed)]


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
    """Parse normalised WebVTT (``fmt="vtt"``) or SRT text into turns (W108 when no cue names a speaker).

    Raises:
        TranscriptParseError: [E105] malformed timing line, [E106] no cue with text.
    """
    cues, warnings = _cues(text, path)
    if not cues:
        raise TranscriptParseError(Errors.E106.format(path=path))
    if not any(c.speaker for c in cues):
        warnings.append(Warnings.W108.format(path=path))
    composed, turns, spans = _compose(_groups(cues))
    return Parsed(composed, tuple(turns), fmt, cues=tuple(spans), warnings=tuple(warnings))
