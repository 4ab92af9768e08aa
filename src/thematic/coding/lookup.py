"""Finding the code a person meant: an id, a label, or a unique beginning of either.

Used where codes are typed by hand (the widget's shortcut box, ``thematic review``'s recode).
An unknown entry gets a did-you-mean; an ambiguous beginning lists what it could be.

Example:
    >>> find_code(codebook, "Giving")      # the label "Giving back"
    'generativity'
"""

from __future__ import annotations

from ..codebook import Codebook
from ..errors import Errors, InputError
from .manual import check_code, did_you_mean, unknown_code_hint


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def find_code(codebook: Codebook, text: str, *, where: str = "") -> str:
    """The id of the code ``text`` names: its id, its label (any case), or a unique beginning of either.

    Raises InputError: E340 (with a did-you-mean) when nothing matches, E631 when a beginning fits
    several codes, E341 when it names a theme.
    """
    typed = text.strip()
    if typed in codebook:
        check_code(codebook, typed, where=where)
        return typed
    wanted = _norm(typed)
    codes = codebook.codable()
    exact = [c.id for c in codes if wanted in (_norm(c.id), _norm(c.label))]
    if len(exact) == 1:
        return exact[0]
    starts = exact or [c.id for c in codes if wanted and (_norm(c.id).startswith(wanted)
                                                          or _norm(c.label).startswith(wanted))]
    if len(starts) == 1:
        return starts[0]
    if starts:
        shown = ", ".join(f"{cid} ({codebook[cid].label})" for cid in starts[:8]) + (" …" if len(starts) > 8 else "")
        raise InputError(Errors.E631.format(text=typed, n=len(starts), matches=shown))
    themes = [t.id for t in codebook.themes if wanted in (_norm(t.id), _norm(t.label))]
    if themes:
        check_code(codebook, themes[0], where=where)  # raises E341, naming the theme's codes
    guess = did_you_mean(typed, [c.id for c in codes])
    if guess is None:
        by_label = {c.label: c.id for c in codes}
        label = did_you_mean(typed, list(by_label))
        guess = by_label[label] if label is not None else None
    hint = f"Did you mean '{guess}' ({codebook[guess].label})?" if guess else unknown_code_hint(codebook, typed)
    raise InputError(Errors.E340.format(code=typed, where=where, hint=hint))


__all__ = ["find_code"]
