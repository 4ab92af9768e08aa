"""Source text on import: decoding, thematic's normalisation, and mapping vendor offsets onto it.

thematic stores text normalised once (BOM removed, CRLF and lone CR -> LF, NFC) and counts offsets
in code points of that text. Vendors count differently: ATLAS.ti (and most programs) count a CRLF
line end as one character, NVivo on Windows as two. ``TextMap`` maps either onto thematic's text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from ..ingest.normalise import CONTROLS, cp1252_warnings, decode_8bit
from ..models import Segment

_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_SPACE = re.compile(r"\s+")
_TRUNCATED = ("…", "...")


def decode_source(data: bytes) -> tuple[str, bool]:
    """Decode a source file as ingest does (``decode_8bit``: UTF-8, stray bytes or a non-UTF-8 file as Windows-1252),
    BOM-aware. Returns (text, whether any byte was read as cp1252)."""
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), False
    decoded = decode_8bit(data)
    return decoded.text, decoded.encoding != "utf-8"


def source_warnings(data: bytes, path: str) -> list[str]:
    """Ingest's W001/W003 for a source read (partly) as cp1252, naming the bytes by line and offset."""
    if any(data.startswith(bom) for bom, _ in _UTF16_BOMS):
        return []
    return cp1252_warnings(data, decode_8bit(data), path)


# The same rules as thematic.ingest.normalise, so an imported text equals what ingest would store.
_LINE_BREAKS = re.compile(r"\r|[\u2028\u2029\x85\x0b\x0c]")


def normalise_text(text: str) -> str:
    """thematic's normalised form: no BOM, LF line ends, no control characters, NFC."""
    return TextMap(text, crlf_as_two=False).text


class TextMap:
    """A source's text normalised for thematic, and the map from the vendor's offsets onto it.

    Args:
        raw: the decoded source text as the vendor had it.
        crlf_as_two: True when the vendor counted CRLF as two characters (NVivo on Windows).

    Example:
        >>> m = TextMap("a\\r\\nb", crlf_as_two=True)
        >>> m.text, m.to_norm(3)
        ('a\\nb', 2)
    """

    def __init__(self, raw: str, *, crlf_as_two: bool) -> None:
        raw = raw.removeprefix("\ufeff")
        self.crlf_as_two = crlf_as_two
        vendor = raw if crlf_as_two else raw.replace("\r\n", "\n")
        # Vendor positions of characters thematic drops: the CR of each CRLF (when counted), controls.
        dropped = [m.start() for m in re.finditer("\r\n", vendor)] if crlf_as_two else []
        dropped += [m.start() for m in CONTROLS.finditer(vendor)]
        self._dropped = sorted(dropped)
        gone = set(dropped)
        kept = "".join(ch for i, ch in enumerate(vendor) if i not in gone) if gone else vendor
        self._lf = _LINE_BREAKS.sub("\n", kept)
        self.text = unicodedata.normalize("NFC", self._lf)
        self._is_nfc = self.text == self._lf
        self.vendor_length = len(vendor)

    def to_norm(self, pos: int) -> int:
        """The offset in ``text`` for the vendor's offset ``pos`` (clamped to the text)."""
        pos = max(0, min(pos, self.vendor_length))
        if self._dropped:
            pos -= bisect.bisect_left(self._dropped, pos)
        if self._is_nfc:
            return pos
        return len(unicodedata.normalize("NFC", self._lf[:pos]))

    def in_bounds(self, start: int, end: int) -> bool:
        """True when the vendor's span lies inside the text."""
        return 0 <= start <= end <= self.vendor_length


def squash(text: str) -> str:
    """Text with every run of whitespace made one space, for comparing quotes."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def quote_check(name: str, found: str) -> bool | None:
    """Does a selection's ``name`` (vendors put the quoted text there) match the text found?

    Returns None when the name is not a quote (e.g. "Quotation 6:1"), so it cannot be checked.
    Names cut short with an ellipsis match on their beginning.
    """
    want, got = squash(name), squash(found)
    if not want:
        return None
    for mark in _TRUNCATED:
        if want.endswith(mark):
            stem = want[: -len(mark)].rstrip()
            if got.startswith(stem) and stem:
                return True
    if want == got:
        return True
    if len(want) < 12 or " " not in want:  # a short label, not a quote: only an exact match counts
        return None if want.lower() != got.lower() else True
    return False


def paragraph_segments(document_id: str, text: str, *, participant_id: str | None = None) -> tuple[Segment, ...]:
    """One segment per non-blank line (paragraph), trimmed of surrounding whitespace."""
    segments = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        end = start + len(stripped)
        segments.append(Segment(document_id=document_id, index=len(segments), start=start, end=end, text=stripped,
                                participant_id=participant_id, kind="paragraph"))
    return tuple(segments)


def slugify(name: str, *, sep: str = "_", fallback: str = "item") -> str:
    """A lower-case ASCII id from a name ('Breakfast food' -> 'breakfast_food')."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", sep, ascii_name.lower()).strip(sep)
    if slug and slug[0].isdigit():
        slug = f"{fallback}{sep}{slug}"
    return slug[:60].rstrip(sep) or fallback


def unique(base: str, taken: set[str], *, sep: str = "_") -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not yet in ``taken`` (added to it)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{sep}{n}", n + 1
    taken.add(candidate)
    return candidate
