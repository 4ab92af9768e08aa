"""Page size and table column widths for every Word document thematic writes.

Used by the codebook export and by the reports (so it sits below both layers). Widths are measured
with DejaVu Serif (shipped with matplotlib), wider than the Cambria the documents ask for, so a
column sized here holds its longest word in Word and in LibreOffice alike.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from typing import Any, Mapping, Sequence

from .errors import Errors, StudyError

#: Paper sizes (width, height) in centimetres.
PAPER_SIZES = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}
MARGIN_CM = 2.5
CELL_PADDING_CM = 0.19 * 2 + 0.12  # Word's default left and right cell margins, and a little slack
_LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "CL", "CO", "VE", "PH", "PR", "GT", "CR", "PA", "SV", "NI", "DO"})


def default_paper(env: Mapping[str, str] | None = None) -> str:
    """``Letter`` where the locale's territory uses it (``en_US``, ``es_MX`` ...), else ``A4``."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            territory = value.split(".")[0].split("@")[0].rpartition("_")[2].upper()
            return "Letter" if territory in _LETTER_TERRITORIES else "A4"
    return "A4"


def check_paper(value: object, where: str = "thematic.toml") -> str:
    """The canonical paper name (``A4`` or ``Letter``) for a setting; a coded error otherwise."""
    for name in PAPER_SIZES:
        if str(value).strip().lower() == name.lower():
            return name
    raise StudyError(Errors.E052.format(path=where, value=value, allowed=", ".join(f'"{p}"' for p in PAPER_SIZES)))


def set_paper(doc: Any, paper: str | None) -> None:
    """Give every section of a python-docx document the paper size (default: ``default_paper()``)."""
    from docx.shared import Cm

    width, height = PAPER_SIZES[check_paper(paper or default_paper())]
    for section in doc.sections:
        section.page_width, section.page_height = Cm(width), Cm(height)


def text_width_cm(paper: str | None, margin_cm: float = MARGIN_CM) -> float:
    """The width between the margins."""
    return PAPER_SIZES[check_paper(paper or default_paper())][0] - 2 * margin_cm


@lru_cache(maxsize=4)
def _font(bold: bool) -> Any:
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    return ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name), 100)


def text_cm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """How wide ``text`` is set in ``size_pt`` points (measured with DejaVu Serif), in centimetres."""
    return _font(bold).getlength(text) / 100 * size_pt * 2.54 / 72


def longest_word_cm(text: object, size_pt: float, *, bold: bool = False) -> float:
    """The width of the longest unbreakable word in ``text``."""
    return max((text_cm(w, size_pt, bold=bold) for w in str(text).split()), default=0.0)


def _cell_cm(text: object, size_pt: float, short_cm: float = 4.0) -> float:
    """A short cell ("2 of 5", "0.81 [0.70, 0.90]") on one line; a long one by its longest word."""
    whole = text_cm(str(text), size_pt, bold=True)  # bold: a table's total row is bold
    return whole if whole <= short_cm else longest_word_cm(text, size_pt, bold=True)


def fit_widths(header: Sequence[str], rows: Sequence[Sequence[object]], total_cm: float, *,
               size_pt: float = 9.0, first_min_cm: float = 4.5, min_size_pt: float = 7.0,
               wide: int = 0) -> tuple[list[float], float]:
    """Column widths (cm) and a font size such that no header word and no cell word is broken.

    Every column gets the width of its longest header word (bold) and of its cells (a short cell
    whole, on one line; a long one its longest word); column ``wide`` (the first,
    descriptive one by default) takes what is left (at least ``first_min_cm``). When the words do not fit at ``size_pt`` the
    font shrinks, down to ``min_size_pt``; the columns then share the width in proportion.
    """
    size = size_pt
    while True:
        need = [max([longest_word_cm(h, size, bold=True)] +
                    [longest_word_cm(r[j], size) if j == wide else _cell_cm(r[j], size) for r in rows if j < len(r)])
                + CELL_PADDING_CM for j, h in enumerate(header)]
        rest = sum(need) - need[wide]
        if rest + max(first_min_cm, need[wide]) <= total_cm or size <= min_size_pt:
            break
        size = max(min_size_pt, size - 0.5)
    if rest + max(first_min_cm, need[wide]) > total_cm:
        scale = total_cm / sum(need)
        return [math.floor(n * scale * 100) / 100 for n in need], size
    widths = list(need)
    widths[wide] = total_cm - rest
    return [round(w, 2) for w in widths], size
