"""Speaker labels: which prefixes are speakers, which are interviewers, which are real names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

#: Words that precede a colon at the start of a line but are not speakers (metadata, stage directions).
STOP_LABELS = frozenset(
    """note notes nb date time duration length location venue place title subject re summary keywords
    transcript transcription transcribed background introduction conclusion aim aims example examples
    e.g i.e ps p.s update source sources total page tags topic topics agenda present attendees apologies
    comment comments memo end start recording file audio video session format project study theme themes
    code codes warning caution important tip step question_text url link email tel phone fax
    laughs laughter laughing inaudible crosstalk pause paused silence unclear coughs cough sighs sigh
    music applause noise overlapping overtalk interruption interrupted redacted indistinct
    table figure fig appendix chapter section part box slide
    yes no so ok okay well and but or now then also here there this that these those what why how
    when where who which because however remember basically actually anyway firstly secondly finally
    thanks thank result results reason reasons response problem solution idea point
    """.split()
)
#: Role words used as speaker labels that are not names (kept as written, never pseudonymised); German
#: transcripts write ``I``/``IV`` for the interviewer and ``B`` (Befragte/r) or ``IP`` (Interviewpartner, in
#: ``_CAPITAL_ROLES``) for the interviewee.
GENERIC_ROLES = frozenset(
    """a b r p i q iv respondent participant interviewee speaker answer unknown student teacher pupil
    audience male female man woman caller staff member parent client user host guest panellist
    panelist attendee delegate voice other all several everyone group mentor officer worker
    volunteer manager trainee learner carer practitioner professional researcher interviewer
    moderator facilitator question
    """.split()
)
#: Role words that are roles only in capitals: ``Ip`` is a surname.
_CAPITAL_ROLES = frozenset({"ip"})
_PARTICLES = frozenset("de da di del della van von der den la le du dos das bin bint al el ibn ter ten".split())
_ID_LIKE = re.compile(r"^[A-Za-z]{1,4}[ _-]?\d{1,5}[A-Za-z]?$")
_TRAILING_NUMBER = re.compile(r"[\s_#-]*\d+[a-z]?$", re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
#: Apostrophes and hyphens written in other ways (Word's autocorrect, transcription services): one name.
APOSTROPHES = "'’ʼ‘"
HYPHENS = "-‐‑"
_FOLD = str.maketrans({c: "'" for c in APOSTROPHES[1:]} | {c: "-" for c in HYPHENS[1:]})
_APOSTROPHE_SPACE = re.compile(r"(?<=\w)' (?=\w)")
_HYPHEN_SPLIT = re.compile(f"[{re.escape(HYPHENS)}]")
_INTERVIEWER_ALIASES = {"question": "q"}
#: Words that end in a full stop inside a name (``Dr. Smith``, ``St. John``); a single letter is an initial.
_HONORIFICS = frozenset((
    "dr mr mrs ms mx miss messrs mme mmes mlle mlles mde sra sras srta sr sres jr snr jnr esq "  # civil
    "prof assoc rev revd fr br sis st mt ste hon rt cllr gov sen rep pres amb "                  # office
    "sgt capt cpt col gen lt maj brig adm cdr cmdr cmdt cpl pte pvt insp supt det const dc ds di pc "  # ranks
    "hr fr frau herr dott dra ing arch mag dipl").split())
# A word is scanned from its start only (the lookbehind), so a long label costs linear, not quadratic, time.
_SENTENCE_END = re.compile(r"(?<![^\s.!?])([^\s.!?]*)([.!?]+)\s+(?=[\"'‘“(]?[A-Z])")
#: Characters a speaker label may have: a longer "label" is text, and is never scanned as a name.
MAX_LABEL_CHARS = 80


def clean_label(label: str) -> str:
    """A label as displayed: markdown emphasis and brackets removed, whitespace collapsed."""
    label = label.strip().strip("*_[]").strip()
    return _SPACE.sub(" ", label.rstrip(":").strip())


def label_key(label: str) -> str:
    """The key two spellings of one label share (case, spacing, apostrophe and hyphen style ignored:
    ``Seán O’Brien`` / ``seán o'brien`` / ``Seán Oʼ Brien``)."""
    return _APOSTROPHE_SPACE.sub("'", _SPACE.sub(" ", label.strip()).translate(_FOLD)).casefold()


def role_word(label: str) -> str:
    """``Researcher 1`` -> ``researcher``; ``Interviewer (AB)`` -> ``interviewer``."""
    base = _PAREN.sub("", label_key(label))
    base = _TRAILING_NUMBER.sub("", base).strip()
    return _INTERVIEWER_ALIASES.get(base, base)


def _role_key(key: str) -> str:
    """A label key with a final full stop, hyphens and spaces left out: ``Int.`` is ``int``, and ``Note-taker``,
    ``Note taker`` and ``Notetaker`` are one word."""
    return key.rstrip(".").replace("-", "").replace(" ", "")


@lru_cache(maxsize=64)
def _interviewer_keys(interviewer_labels: tuple[str, ...]) -> frozenset[str]:
    """The normalised keys of the configured interviewer labels (read once per list, not per turn)."""
    return frozenset(_role_key(label_key(x)) for x in interviewer_labels)


def is_interviewer_label(label: str, interviewer_labels: Iterable[str]) -> bool:
    """True if the label names an interviewer (``Researcher 1``, ``Q``, ``INTERVIEWER``, ``Int.``...)."""
    labels = _interviewer_keys(tuple(interviewer_labels))
    return _role_key(label_key(label)) in labels or _role_key(role_word(label)) in labels


def is_id_like(label: str) -> bool:
    """Participant-id-like labels: ``P01``, ``id1``, ``R 12``."""
    return bool(_ID_LIKE.match(label.strip()))


def is_generic_label(label: str, interviewer_labels: Iterable[str] = ()) -> bool:
    """Role or id labels (``Respondent``, ``Speaker 2``, ``P01``, ``Q``) that are not a person's name."""
    return (
        is_id_like(label)
        or role_word(label) in GENERIC_ROLES
        or (role_word(label) in _CAPITAL_ROLES and label.strip().isupper())
        or is_interviewer_label(label, interviewer_labels)
    )


def is_stop_label(label: str) -> bool:
    """Metadata words, stage directions and common words (``Date``, ``Laughs``, ``So``): never speakers."""
    key = label_key(label)
    first = key.split()[0].strip("[]*_") if key else ""
    return role_word(label) in STOP_LABELS or first in STOP_LABELS


def has_sentence_end(label: str) -> bool:
    """``Yes. Date`` / ``Right! Well``: a sentence ends inside the label, so it is speech, not a name.

    A full stop after an honorific (``Dr. Smith``) or an initial (``Mary J. Blige``) is no sentence end.
    """
    for m in _SENTENCE_END.finditer(label):
        word, stop = m.group(1), m.group(2)
        if stop == "." and (len(word) == 1 or word.casefold() in _HONORIFICS):
            continue
        return True
    return False


def caseless(word: str) -> bool:
    """Whether ``word`` begins with a letter of a script whose names have no capital to show (Arabic, Hebrew,
    Chinese, Devanagari; Georgian, whose everyday letters Unicode files as lower case)."""
    first = word[:1]
    return first.isalpha() and not first.isupper() and (not first.islower() or "\u10d0" <= first <= "\u10ff")


def capitalised(word: str) -> bool:
    """Whether ``word`` begins as a name does: with a capital, or with a letter of a script without case."""
    return word[:1].isupper() or caseless(word)


def _lettered(word: str) -> bool:
    """Letters and their combining marks only (``शर्मा``: its vowel signs are marks, not letters)."""
    return bool(word) and word[:1].isalpha() and all(c.isalpha() or unicodedata.category(c)[0] == "M" for c in word)


def is_name_like(label: str, *, recurring: bool = False) -> bool:
    """1-5 words, each capitalised (or a particle like ``van``), or the whole label in capitals, at most
    ``MAX_LABEL_CHARS`` long; no sentence end, unless the label opens several turns (``recurring``: a title this
    module does not list). A label in a script without case counts only when ``recurring``: nothing else tells
    a name from a phrase there."""
    if len(label) > MAX_LABEL_CHARS:
        return False
    core = _PAREN.sub("", label).strip()
    words = core.split()
    if not 1 <= len(words) <= 5 or not core[:1].isalpha() or (not recurring and has_sentence_end(core)):
        return False
    if core.isupper():
        return True
    if not recurring and any(caseless(w) for w in words):
        return False  # no capital tells a name from a phrase ("谢谢: that is thank you"): a label must open turns
    return all(capitalised(w) or w[:1].isdigit() or w.lower() in _PARTICLES for w in words)


def name_parts(label: str) -> list[str]:
    """The parts of a name worth replacing on their own: capitalised, no titles or initials; and each half of
    a hyphenated part that is capitalised and at least 3 letters long (shorter halves, ``Jo``, are too
    easily another word).

    ``Hannah Thornley (HT)`` -> Hannah, Thornley, HT; ``Jodie's iPhone`` -> Jodie; ``Mary-Jo Hartley-Smith``
    -> Mary-Jo, Hartley-Smith, Mary, Hartley, Smith.
    """
    paren = _PAREN.search(label)
    core = _PAREN.sub("", label).replace(",", " ")
    titles = {"dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sir", "dame", "rev"}
    words = core.split()
    parts = [_POSSESSIVE.sub("", w.strip(".")) for w in words]
    halves = [h for w in parts if _HYPHEN_SPLIT.search(w) for h in _HYPHEN_SPLIT.split(w)
              if len(h) >= 3 and capitalised(h) and _lettered(h) and h.lower() not in _PARTICLES]
    if len(parts) < 2 and not paren:
        return list(dict.fromkeys(halves))
    abbreviated = {p.lower() for w, p in zip(words, parts) if w.endswith(".") and p.lower() in _HONORIFICS}
    found = [w for w in parts if len(w) > 1 and capitalised(w) and w.lower() not in titles | abbreviated
             and w.lower() not in _PARTICLES and not w.isdigit()]
    initials = paren.group().strip(" ()") if paren else ""
    return list(dict.fromkeys(found + halves + ([initials] if 1 < len(initials) <= 4 and initials.isupper() else [])))
