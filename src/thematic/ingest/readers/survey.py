"""CSV/XLSX surveys: one segment per (respondent, open-text question).

Settings under ``[ingest.survey."<file relative to data/raw>"]`` in thematic.toml (all optional):
``id_column``, ``text_columns``, ``attribute_columns``, ``sheet``, ``header_row`` (the sheet row of the
column titles; rows above it, a title, are skipped), ``header_rows`` (rows from the header row to the first
response), ``exclude = {"R_12" = "not eligible"}`` and ``exclude_column`` (a column
whose non-empty value is the reason to screen the respondent out). Without them the id column
and the long free-text columns are detected; the other (closed) columns become participant
attributes, except survey-tool metadata (by title for Qualtrics, SurveyMonkey, Google and Microsoft
Forms, LimeSurvey, Typeform, Jotform; by content for any all-date/time column), names and contact
details. ``N/A``-style answers are no answer; a bare ``ID`` of row numbers is scoped to its file.
Qualtrics' question and ImportId rows (or its label-first layout) and SurveyMonkey's second header
row are recognised, and so is a REDCap export (several rows per record: one respondent per record, each
question named with its row's event and instance, attributes from the record's own rows); the text box of a
choice (Qualtrics ``Q2_4_TEXT``, SurveyMonkey ``Other (please specify)``) is an open question whatever its
length. The split is recorded in the document's ``columns``
attribute (W119 on a close call; W122 names a column the settings leave out that is none of the kinds above);
a stored survey's questions and attributes keep their roles when it is read again. The table is as wide as
its widest row (answers past the header's last title are a ``column N``).
Each respondent's own name, from the name columns left out, is handed on in ``header["respondent_names"]``
(never stored) so that pseudonymisation replaces it in the answers and in the attribute values (an "Other
(please specify)" attribute that names someone), of answer sheets and attribute sheets.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import AbstractSet, Any, Mapping, Sequence

from ..._personal import is_personal, name_column_part
from ..._limits import DEFAULT_SIZE_LIMITS, text_too_long
from ...errors import Errors, InputError, TranscriptParseError, Warnings
from ...models import Participant
from ..checks import MISSING_MARKERS
from ..columns import DOC_COLUMNS, ID_COLUMNS, NAME_COLUMNS, header_key
from ..ids import slugify
from ..parsed import Parsed, Turn
from .table import Rows

SURVEY_KEYS = ("id_column", "text_columns", "attribute_columns", "sheet", "header_row", "header_rows", "exclude",
               "exclude_column")
_ID_NAMES = ("participant_id", "respondent_id", "respondentid", "responseid", "response_id", "response id",
             "respondent id", "id", "case", "case_id", "caseid", "respondent", "participant", "record", "uuid")
#: Words of a column title (``header_key`` spelling) that say its values are ids.
_ID_TITLE_WORDS = frozenset({"id", "no", "nr", "num", "number", "case", "ref", "code", "respondent", "participant",
                             "interviewee", "record", "uuid"})
_ID_VALUE = re.compile(r"[A-Za-z]{1,12}[-_ ]?\d{1,8}[A-Za-z]?")
#: Survey-tool columns that are never questions or attributes (several identify people), compared by
#: ``_meta_key`` so that ``StartDate``, ``Start Date`` and ``startdate`` are one key. Qualtrics (both header
#: forms, and every ``Q_…`` column), SurveyMonkey, Google Forms, Microsoft Forms, LimeSurvey (codes and full
#: headings), Typeform, Jotform, Alchemer and KoboToolbox.
_META_NAMES = (
    # Qualtrics
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
    "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference",
    "ExternalDataReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
    "Response Type", "Recorded Date",
    # SurveyMonkey
    "Respondent ID", "Collector ID", "Email Address", "First Name", "Last Name", "Custom Data 1", "Custom Data",
    # Google Forms, Microsoft Forms
    "Timestamp", "Score", "Total score", "Start time", "Completion time", "Last modified time", "Email", "E-mail",
    "Name", "Full name", "Phone", "Telephone",
    # LimeSurvey (question codes and full headings)
    "submitdate", "lastpage", "startlanguage", "seed", "token", "datestamp", "refurl", "ipaddr", "Date submitted",
    "Last page", "Start language", "Date started", "Date last action", "Referrer URL", "Total time", "interviewtime",
    # Typeform, Jotform
    "Network ID", "Submitted At", "Start Date (UTC)", "Submit Date (UTC)", "Submission Date", "Submission ID",
    "Submission IP",
    # Alchemer (SurveyGizmo), KoboToolbox (coordinates of a geopoint ``_<name>_latitude`` are personal by title)
    "Time Started", "Contact ID", "Legacy Comments", "Referer", "SessionID", "User Agent", "IP Address", "Latitude",
    "Longitude", "Postal", "_submission_time", "_validation_status", "_xform_id_string", "instanceID", "deviceid",
    "subscriberid", "simserial",
)


@functools.lru_cache(maxsize=4096)
def _meta_key(title: str) -> str:
    """``StartDate`` / ``Start Date`` / ``startdate`` -> ``startdate``: one key however a tool spells it."""
    return header_key(title).replace("_", "")


_META_KEYS = frozenset(_meta_key(n) for n in _META_NAMES)


#: Qualtrics' own ``Q_…`` columns (``Q_RecaptchaScore``, ``Q_TotalDuration``, ``Q_URL``): ``Q_`` and a capital.
#: A question numbered ``Q 3.``, ``Q: …``, ``Q.1``, ``Q_1`` or ``Q_help`` is no such column.
_QUALTRICS_Q = re.compile(r"Q_[A-Z][A-Za-z0-9]*")


def _is_meta(title: str) -> bool:
    """Whether a column is survey-tool metadata by its title (Qualtrics ``Q_RecaptchaScore`` and the like too)."""
    return _meta_key(title) in _META_KEYS or bool(_QUALTRICS_Q.fullmatch(title.strip()))


def _open_text_left_out(header: list[str], body: Rows, left_out: list[int], options: Mapping[str, Any]) -> str:
    """``'Status' (3 answers)``: columns left out as tool metadata by title whose answers read like open text."""
    if "text_columns" in options:
        return ""
    found = []
    for c in left_out:
        if _is_meta(header[c]) and not is_personal(header[c]):
            values = [r[c] for r in body]
            if _is_free_text(values) and not _is_date_time(values):  # Google Forms' Timestamp: no answer
                found.append(f"'{header[c]}' ({sum(1 for v in values if _answer(v))} answers)")
    return ", ".join(found)
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
_ZONE = r"(?:\s*(?:Z|UTC|GMT|[A-Z]{2,5})?\s*(?:[+-]\d{1,2}(?::?\d{2})?)?)"
#: A date, a time or both as survey tools write them (``2024/05/01 9:00:00 AM GMT+1``, ``01.05.2024 09:00``,
#: ``2024-05-01T09:00:00``): tool metadata, never an answer to code.
_DATE_TIME = re.compile(
    rf"(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}})(?:[ T,]+{_TIME})?{_ZONE}|{_TIME}{_ZONE}")
_SCREEN_STATUS = {"survey preview": "Qualtrics status: survey preview", "spam": "Qualtrics status: spam",
                  "survey test": "Qualtrics status: survey test", "1": "Qualtrics status: survey preview",
                  "8": "Qualtrics status: spam"}
#: Columns read as ``exclude_column`` when none is named (a non-empty value is the reason to screen out).
_SCREEN_COLUMNS = ("screening", "screen", "screened_out", "screening_reason", "exclude", "excluded", "exclusion",
                   "exclusion_reason", "exclude_reason")
_NOT_A_REASON = {"", "0", "no", "n", "false", "keep", "include", "included", "eligible"}
#: Qualtrics' text box of a choice ("Other, please specify"): export tag ``Q2_4_TEXT``, ImportId ``QID2_4_TEXT``.
_CHOICE_TEXT = re.compile(r"^\S*?_\d+_TEXT$")
_CHOICE_IMPORT_ID = re.compile(r'"ImportId"\s*:\s*"QID\d+(?:_\d+)+_TEXT"', re.IGNORECASE)
#: Values of a name column that are no one's name.
_NOT_A_NAME = frozenset({"anonymous", "anon", "prefer not to say", "rather not say", "test", "unknown", "no name",
                         "withheld", "x", "xx", "xxx"})


def check_options(options: Mapping[str, Any], key: str, path: str | None = None) -> None:
    """Raise InputError [E111] for an unknown survey setting (with a did-you-mean), [E525] for one of the wrong
    type or value (``header_row`` is E061's, against the sheet's rows), naming ``path``, the file read.

    A string where a list is expected would be read one letter at a time (``text_columns = "Q1"``: no column
    'Q'), and ``id_column = 3`` is no title, so neither is coerced.
    """
    for name in options:
        if name not in SURVEY_KEYS:
            close = difflib.get_close_matches(name, SURVEY_KEYS, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(SURVEY_KEYS)}."
            raise InputError(Errors.E111.format(path="thematic.toml", setting=name, section="survey", key=key, hint=hint))
    for name, value in options.items():
        problem = _setting_problem(name, value)
        if problem is not None:
            raise _bad_setting(path or key, key, name, value, *problem)


#: Examples of each setting in the docs' words, for E525's "write this" (also a list setting given numbers).
_SETTING_EXAMPLES = {"id_column": '"respondent_id"', "exclude_column": '"screening"', "sheet": '"Responses"',
                     "text_columns": '["what_helped", "one_change"]', "attribute_columns": '["site", "age_band"]'}


def _setting_problem(name: str, value: Any) -> tuple[str, str] | None:
    """(what ``name`` must be, an example value) when ``value`` is not such a setting, else None."""
    if name in ("id_column", "exclude_column", "sheet"):
        if isinstance(value, str) and value.strip():
            return None
        what = "a sheet's name, as its tab shows it" if name == "sheet" else "a column's title, as the header spells it"
        return f"{what}, in quotes (not a number)", _SETTING_EXAMPLES[name]
    if name in ("text_columns", "attribute_columns"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        if isinstance(value, str):
            return "a list of column titles, not one title", f"[{_toml(value)}]"
        titles = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        return "a list of column titles, each in quotes", _toml(titles) if titles else _SETTING_EXAMPLES[name]
    if name == "header_rows":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return None
        fixed = int(value) if isinstance(value, str) and value.strip().isdigit() and int(value) >= 1 else 1
        return ("a whole number of at least 1, without quotes: the rows from the header row to the first response, "
                "the header row counted (1 when the responses start on the next row)"), str(fixed)
    if name == "exclude":
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return None
        ids = list(value) if isinstance(value, (dict, list)) else [value] if isinstance(value, str) else ["R017"]
        listed = ", ".join(f'{_toml_key(str(i))} = "withdrew consent"' for i in ids[:3])
        return "a table of respondent ids, each with the reason to screen them out in quotes", f"{{ {listed} }}"
    return None


def _bad_setting(path: str, key: str, name: str, value: Any, shape: str, example: str) -> InputError:
    """E525 for a survey setting of the wrong type or value."""
    return InputError(Errors.E525.format(path=path, setting=name, value=_toml(value), key=key, shape=shape,
                                         example=f"{name} = {example}"))


def _toml_key(text: str) -> str:
    """``R1`` as a TOML key: bare where it can be, else quoted."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _toml(text)


def _toml(value: Any) -> str:
    """A setting's value as thematic.toml writes it (strings quoted, ``true``, lists and tables inline)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        h = h or f"column {i + 1}"
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


_QUALTRICS_LABELS = {"start date", "end date", "response id", "response type", "ip address", "progress",
                     "finished", "recorded date", "duration (in seconds)", "responseid"}


def _header_rows(rows: Rows, header: list[str]) -> int:
    """1, or 2-3 for Qualtrics (question text, then ImportId JSON) and SurveyMonkey (sub-headers)."""
    second = [c.strip().lower() for c in rows[1]] if len(rows) > 1 else []
    third = rows[2] if len(rows) > 2 else []
    # Qualtrics' label row spells the column above it (``ResponseId`` / ``Response ID``; ``Status`` / ``Response
    # Type``); an "IP Address" cell under a ``Response Type`` title is a response, not a label row
    labels = [c for c, h in zip(second, header) if c in _QUALTRICS_LABELS and _meta_key(h) in {_meta_key(c), "status"}]
    qualtrics = bool(second) and (bool(labels) or any(c.startswith('{"importid"') for c in second))
    if qualtrics:
        if any(c.startswith('{"importid"') for c in second):
            return 2
        return 3 if any(c.startswith('{"ImportId"') for c in third) else 2
    return 2 if _sub_header(rows[0], rows[1] if len(rows) > 1 else []) else 1


_SM_ANSWER = {"response", "open-ended response"}


def _sub_header(first: list[str], second: list[str]) -> bool:
    """Whether ``second`` is SurveyMonkey's second header row, not a respondent who answered ``Response``:
    nothing under the id and tool-metadata columns, most of its cells ``Response`` / ``Open-Ended Response``
    marks or options under blank titles, and (in a file without such columns) a mark or option under every
    question."""
    cells = [" ".join(c.split()).lower() for c in second] + [""] * (len(first) - len(second))
    if not any(c in _SM_ANSWER for c in cells):
        return False
    filled = fitting = unmarked = tool = 0
    for title, cell in zip(first, cells):
        title = title.strip()
        if title and (_is_meta(title) or title.lower() in _ID_NAMES or header_key(title) in ID_COLUMNS):
            if cell:
                return False  # a respondent's id, date or e-mail: a response row
            tool += 1
        elif cell:
            filled += 1
            fitting += cell in _SM_ANSWER or not title
        elif title:
            unmarked += 1
    return fitting * 2 > filled and (tool > 0 or not unmarked)


def _surveymonkey(rows: Rows, n_header: int) -> tuple[list[str], set[int]] | None:
    """SurveyMonkey's two header rows as one: each option column named after its question and option.

    ``Which supports did you receive?`` over ``Mentoring``, then blank titles over ``Training`` and
    ``Other (please specify)``, give ``Which supports did you receive? - Training`` and so on. Returns the
    titles and the columns that are free text whatever their length (``Open-Ended Response``, ``… specify``),
    or None for another layout.
    """
    if n_header != 2 or len(rows) < 2:
        return None
    first, second = rows[0], rows[1] + [""] * (len(rows[0]) - len(rows[1]))
    if not any(c.strip().lower() in _SM_ANSWER for c in second):
        return None
    titles: list[str] = []
    free: set[int] = set()
    question = ""
    for i, (title, sub) in enumerate(zip(first, second)):
        title, sub = " ".join(title.split()), " ".join(sub.split())
        question = title or question  # a blank title continues the question on its left
        if not sub or sub.lower() in _SM_ANSWER or not question:
            titles.append(title or (question if sub.lower() in _SM_ANSWER else ""))
        else:
            titles.append(f"{question} - {sub}")
        if sub.lower() == "open-ended response" or "specify" in sub.lower():
            free.add(i)
    return titles, free


def _choice_text(rows: Rows, header: list[str], n_header: int) -> set[int]:
    """Qualtrics' text boxes of a choice (``Q2_4_TEXT``; its ImportId row ``QID2_4_TEXT``): open text always.

    Such answers are short ("My mum said so"), so by length alone they would pass for attributes.
    """
    free = set()
    for i, code in enumerate(header):
        cells = [r[i] for r in rows[1:n_header] if i < len(r)]
        if _CHOICE_TEXT.match(code.strip()) or any(_CHOICE_IMPORT_ID.search(c) for c in cells):
            free.add(i)
    return free


def _name_value(value: str) -> str:
    """A cell of a name column as a name, or "" when it is none (``N/A``, ``anonymous``, an e-mail, digits)."""
    value = " ".join(_answer(value).split())
    if len(value) < 2 or len(value) > 60 or len(value.split()) > 5 or value.casefold() in _NOT_A_NAME:
        return ""
    return "" if any(ch.isdigit() or ch == "@" for ch in value) or not any(ch.isalpha() for ch in value) else value


def _respondent_names(kept: list[tuple[str, list[str]]], header: list[str], columns: list[int]
                      ) -> dict[str, list[str]]:
    """Each kept respondent's own names from the name ``columns`` among those left out: given + family
    name as one (``Maria Gomez``; pseudonymisation also finds its parts), and any full-name column."""
    parts = {c: part for c in columns if (part := name_column_part(header[c]))}  # the rule participants.csv uses
    if not parts:
        return {}
    out: dict[str, list[str]] = {}
    for rid, row in kept:
        given = " ".join(v for c, p in parts.items() if p == "given" and (v := _name_value(row[c])))
        family = " ".join(v for c, p in parts.items() if p == "family" and (v := _name_value(row[c])))
        names = [v for c, p in parts.items() if p == "full" and (v := _name_value(row[c]))]
        names.append(" ".join(x for x in (given, family) if x))
        names = list(dict.fromkeys(n for n in names if len(n) >= 2))
        if names:
            out[rid] = list(dict.fromkeys([*out.get(rid, []), *names]))  # a REDCap record's rows
    return out


def _questions(rows: Rows, header: list[str], n_header: int) -> list[str]:
    if n_header == 1:
        return header
    second = rows[1] + [""] * (len(header) - len(rows[1]))
    out = []
    for h, q in zip(header, second):
        q = " ".join(q.split())
        if not q or q.startswith("{") or q in {"Response", "Open-Ended Response"}:
            out.append(h)
        else:
            out.append(q)
    return _distinct(out, header)


def _distinct(questions: list[str], header: list[str]) -> list[str]:
    """Questions with one text (Qualtrics' Q2 and Q4 "Please explain your answer.") told apart by their code.

    Each repeat gets the column's code (``Please explain your answer. (Q4)``), or ``(2)`` where there is none.
    """
    counts: dict[str, int] = {}
    for q in questions:
        counts[q] = counts.get(q, 0) + 1
    out: list[str] = []
    for q, code in zip(questions, header):
        if counts[q] > 1 and code != q and not code.startswith("column "):
            q = f"{q} ({code})"
        out.append(q)
    return _unique(out)


def _column(name: str, header: list[str], path: str, key: str) -> int:
    lowered = [h.lower() for h in header]
    if name.lower() in lowered:
        return lowered.index(name.lower())
    raise TranscriptParseError(Errors.E107.format(path=path, columns=f"'{name}'", found=", ".join(header), key=key))


#: REDCap's reserved columns, by ``_meta_key``: the raw export's names, then the labels export's.
_REDCAP_EVENT = frozenset({"redcapeventname", "eventname"})
_REDCAP_INSTRUMENT = frozenset({"redcaprepeatinstrument", "repeatinstrument"})
_REDCAP_INSTANCE = frozenset({"redcaprepeatinstance", "repeatinstance"})
_REDCAP_OTHER = frozenset({"redcapsurveyidentifier", "surveyidentifier"})


@dataclass(frozen=True)
class _RedCap:
    """A REDCap export's layout: several rows per record (the record id first), told apart by event and instance.

    ``event``, ``instrument`` and ``instance`` are those columns (None where the file has none); ``meta`` holds
    them and REDCap's other own columns (survey identifier, each form's ``…_complete`` status).
    """

    event: int | None
    instrument: int | None
    instance: int | None
    meta: frozenset[int]

    def _cell(self, row: list[str], c: int | None) -> str:
        return row[c].strip() if c is not None and c < len(row) else ""

    def occasion(self, row: list[str]) -> tuple[str, str, str]:
        """(event, repeat instrument, instance): the row's place in its record."""
        return self._cell(row, self.event), self._cell(row, self.instrument), self._cell(row, self.instance)

    def repeating(self, row: list[str]) -> bool:
        """Whether the row is an instance of a repeating instrument or event, not the record's own row."""
        return bool(self._cell(row, self.instrument) or self._cell(row, self.instance))

    def asked(self, question: str, row: list[str]) -> str:
        """``visit_feedback (baseline_arm_1, instance 2)``: the question as this row's event and instance asked it."""
        event, _, instance = self.occasion(row)
        where = [w for w in (event, f"instance {instance}" if instance else "") if w]
        return f"{question} ({', '.join(where)})" if where else question


def _redcap(header: list[str]) -> _RedCap | None:
    """REDCap's layout, recognised by its reserved columns (``redcap_event_name``, ``redcap_repeat_instrument``,
    ``redcap_repeat_instance``; in a labels export ``Repeat Instrument`` and ``Repeat Instance``, or ``Event
    Name`` after a first column ``Record ID``), else None."""
    keys = [_meta_key(h) for h in header]
    raw = any(k.startswith("redcap") and k in _REDCAP_EVENT | _REDCAP_INSTRUMENT | _REDCAP_INSTANCE for k in keys)
    labels = (bool(_REDCAP_INSTRUMENT & set(keys)) and bool(_REDCAP_INSTANCE & set(keys))) or (
        bool(keys) and keys[0] == "recordid" and bool(_REDCAP_EVENT & set(keys)))
    if not (raw or labels):
        return None
    found = [next((i for i, k in enumerate(keys) if k in names), None)
             for names in (_REDCAP_EVENT, _REDCAP_INSTRUMENT, _REDCAP_INSTANCE)]
    meta = {i for i, (h, k) in enumerate(zip(header, keys))
            if k in _REDCAP_EVENT | _REDCAP_INSTRUMENT | _REDCAP_INSTANCE | _REDCAP_OTHER
            or header_key(h).endswith("_complete") or re.fullmatch(r"Complete\?( \(\d+\))?", h.strip())}
    return _RedCap(found[0], found[1], found[2], frozenset(meta))


def _id_column(header: list[str], body: Rows, blank: AbstractSet[int] = frozenset()) -> int | None:
    """The id column by title (REDCap's record id: its first column), else a first column of id-like values
    (``blank``: columns whose title is empty, before ``_unique`` named them ``column N``; such a column of 0, 1,
    2… is a row index, no id)."""
    if header and _redcap(header) is not None:
        return 0
    lowered = [h.lower().strip() for h in header]
    for name in _ID_NAMES:
        if name in lowered:
            return lowered.index(name)
    keys = [header_key(h) for h in header]  # SurveyRespondentID, Respondent ID -> survey_respondent_id, respondent_id
    for name in ID_COLUMNS:
        if name in keys:
            return keys.index(name)
    first = [r[0].strip() for r in body if r]
    if 0 in blank and _row_index(first):
        return None
    return 0 if header and _looks_like_ids("" if 0 in blank else header[0], first) else None


def _row_index(values: list[str]) -> bool:
    """0, 1, 2… or 1, 2, 3… (gaps allowed, no leading zeros): the row index a script writes in an untitled first
    column (pandas' ``to_csv``), not who answered."""
    if not values or not all(v.isdigit() and (v == "0" or not v.startswith("0")) for v in values):
        return False
    ints = sorted(int(v) for v in values)
    return ints[0] in (0, 1) and len(set(ints)) == len(ints) and ints[-1] <= 2 * len(ints) + 10


def _looks_like_ids(title: str, values: list[str]) -> bool:
    """Unique, filled values shaped like ids (``P01``, ``ID4``, ``R-17``), or any such token under an id-like title.

    A small sample's first column can be unique by chance (``f``, ``m``; ages): that is not an id.
    """
    if not values or not all(values) or len(set(values)) != len(values):
        return False
    if set(header_key(title).split("_")) & _ID_TITLE_WORDS or not header_key(title):
        return all(len(v) <= 40 and " " not in v for v in values)
    return all(_ID_VALUE.fullmatch(v) for v in values)


def _answer(value: str) -> str:
    """The answer as written, or "" for a missing-value marker (``N/A``, ``-``, ``none``, ``.``): no answer."""
    value = value.strip()
    key = " ".join(value.split()).casefold()
    return "" if key in MISSING_MARKERS or not re.search(r"\w", key) else value


def _is_date_time(values: list[str]) -> bool:
    """Every filled value is a date or time (a submission timestamp of any tool): metadata by content."""
    filled = [v.strip() for v in values if v.strip()]
    return bool(filled) and all(_DATE_TIME.fullmatch(v) for v in filled)


#: Where someone answered from: coordinates (``51.5072, -0.1276``; KoboToolbox's ``51.5072 -0.1276 11.0 5.0``)
#: or an IP address (``81.2.69.160``, ``2001:db8::7334``).
_WHEREABOUTS = re.compile(
    r"[-+]?\d{1,2}\.\d{3,}\s*[,; ]\s*[-+]?\d{1,3}\.\d{3,}(?:\s+[-+]?\d+(?:\.\d+)?){0,2}"
    r"|\d{1,3}(?:\.\d{1,3}){3}|(?=[0-9A-Fa-f:]*(?:::|[A-Fa-f]))[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}")


def _is_whereabouts(values: list[str]) -> bool:
    """Every filled value is a pair of coordinates or an IP address: personal by content, whatever the title
    (a ``Location`` of places such as ``North`` is an attribute like any other)."""
    filled = [v.strip() for v in values if v.strip()]
    return bool(filled) and all(_WHEREABOUTS.fullmatch(v) for v in filled)


#: Id-column titles under which survey tools number the rows of one form (MS Forms ``ID``, LimeSurvey ``id``).
_ROW_NUMBER_TITLES = frozenset({"id", "response_id"})
#: Columns of the tools that number a form's rows so (Microsoft Forms; LimeSurvey, codes and headings), by
#: ``_meta_key``: a file with one is such a form's export, whose first number may be past 1.
_ROW_NUMBERING_TOOLS = frozenset(_meta_key(n) for n in (
    "Start time", "Completion time", "Last modified time", "submitdate", "lastpage", "startlanguage", "seed",
    "datestamp", "startdate", "Date submitted", "Last page", "Start language", "Date started", "Date last action"))


def _row_numbers(title: str, values: list[str], header: Sequence[str] = ()) -> bool:
    """A bare ``ID`` column of whole numbers, 1, 2, 3… (from any number in a Microsoft Forms or LimeSurvey
    export, ``header`` having its columns): the tool's row numbers within one form, not who answered.

    Two Microsoft Forms files both start at 1, so their respondents 1 are different people; so are their
    respondents 3 when the forms' test responses were deleted and their numbers start at 2 or 3.
    """
    numbers = [v.strip() for v in values if v.strip()]
    if header_key(title) not in _ROW_NUMBER_TITLES or not numbers or not all(v.isdigit() for v in numbers):
        return False
    ints = sorted(int(v) for v in numbers)
    first = ints[0] if any(_meta_key(h) in _ROW_NUMBERING_TOOLS for h in header) else 1
    return ints[0] == first and len(set(ints)) == len(ints) and ints[-1] - first <= 2 * len(ints) + 9  # gaps


def _is_multi_select(filled: list[str]) -> bool:
    """``Housing;Finding work;Checks``: most values are ``;``-separated lists of short options."""
    listed = [v for v in filled if ";" in v]
    if len(listed) * 2 < len(filled):
        return False
    items = [i.strip() for v in listed for i in v.split(";") if i.strip()]
    return bool(items) and sum(map(len, items)) / len(items) <= 30


def _is_free_text(values: list[str]) -> bool:
    """Long, varied answers (not codes, numbers or multi-select lists); ``N/A`` and ``-`` are no answer."""
    filled = [a for a in map(_answer, values) if a]
    if not filled or _is_multi_select(filled):
        return False
    mean_chars = sum(map(len, filled)) / len(filled)
    mean_words = sum(v.count(" ") + 1 for v in filled) / len(filled)
    distinct = len(set(filled)) / len(filled)
    return mean_chars >= 25 and mean_words >= 4 and (distinct >= 0.5 or len(filled) <= 3)


def _layout(header: list[str], body: Rows, options: Mapping[str, Any], path: str, key: str,
            free: set[int] | None = None, blank: AbstractSet[int] = frozenset(),
            previous: Mapping[str, Any] | None = None, tool: AbstractSet[int] = frozenset()
            ) -> tuple[int | None, list[int], list[int], list[int]]:
    """The id column, text columns, attribute columns and unlisted columns (indices); ``free`` columns are text
    by layout, ``blank`` ones had no title (an untitled first column of 0, 1, 2… is a script's row index: left
    out). ``previous`` is the split this file was stored with: a column that was a question stays one, and one
    that was an attribute stays one, whatever the new answers look like (the settings still decide). ``tool``
    columns are the tool's own by the file's layout (REDCap's event, instance and form status): left out, as
    metadata by title are, whatever role they had.
    With ``attribute_columns`` set, a column with answers that is neither a question (named in ``text_columns``
    or, without it, guessed) nor in that list, and no documented left-out kind (tool metadata, dates, names and
    contacts, screening, row index) is unlisted: left out as the settings say, but named in W122 so that a
    question added in a later wave never vanishes unseen.

    A short title naming contact details (``Home address``) is left out; a question that merely mentions one
    (``What did you make of the address the minister gave?``) is still a question, never an attribute.
    """
    id_col = (_column(options["id_column"], header, path, key) if "id_column" in options
              else _id_column(header, body, blank))
    columns = list(range(len(header)))
    values = [[r[c] if c < len(r) else "" for r in body] for c in columns]
    where = {c for c in columns if c != id_col and _is_whereabouts(values[c])}  # coordinates, IPs: never tallied
    meta = {c for c in columns if c in tool or _is_meta(header[c]) or header[c].lower() in _SCREEN_COLUMNS
            or header[c] == options.get("exclude_column") or (is_personal(header[c]) and len(header[c].split()) <= 5)
            or (c != id_col and _is_date_time(values[c])) or c in where
            or (c == 0 and c in blank and c != id_col and _row_index([v.strip() for v in values[c]]))}
    was = {t: role for t, role in _roles(previous).items() if t not in {header[c] for c in tool}}
    if "text_columns" in options:
        text_cols = [_column(n, header, path, key) for n in options["text_columns"]]
    else:
        guessed = [c for c in columns if c not in meta and was.get(header[c]) != "attribute"
                   and (c in (free or set()) or _is_free_text(values[c]))]
        text_cols = [c for c in columns if c != id_col and (was.get(header[c]) == "question" or c in guessed)]
    named = [_column(n, header, path, key) for n in options.get("attribute_columns", ())]
    if "attribute_columns" in options:  # contact details are never stored, even when named
        attr_cols = [c for c in named if not is_personal(header[c]) and c not in where]
    else:
        attr_cols = [c for c in columns if c != id_col and c not in text_cols and c not in where
                     and not is_personal(header[c])
                     and (was.get(header[c]) == "attribute" or (c not in meta and "name" not in header[c].lower()))]
    listed = "attribute_columns" in options  # without it every other column is an attribute or left out by kind
    unlisted = [c for c in columns if listed and c != id_col and c not in meta and c not in text_cols
                and c not in named and any(map(_answer, values[c]))]
    return id_col, text_cols, attr_cols, unlisted


def _roles(previous: Mapping[str, Any] | None) -> dict[str, str]:
    """Column title -> ``question`` or ``attribute`` in a stored survey's split (its ``columns`` attribute)."""
    if not isinstance(previous, Mapping):
        return {}
    roles = {str(t): "attribute" for t in previous.get("attributes") or ()}
    roles.update({str(t): "question" for t in previous.get("questions") or ()})
    return roles


def _screen(rid: str, row: list[str], header: list[str], seen: set[str], options: Mapping[str, Any],
            path: str, key: str) -> str | None:
    """Why a respondent is screened out (``exclude`` aside), or None to keep them; ``seen`` holds the kept ids
    casefolded, so ``p01`` after ``P01`` is a duplicate, as ``P01`` again is."""
    screen_col = options.get("exclude_column") or next((h for h in header if h.lower() in _SCREEN_COLUMNS), None)
    if screen_col:
        c = _column(screen_col, header, path, key)
        value = row[c] if c < len(row) else ""
        if value.lower() not in _NOT_A_REASON:
            return value
    keys = [_meta_key(h) for h in header]  # Qualtrics: Status + ResponseId, or Response Type + Response ID (labels)
    status_col = next((i for i, k in enumerate(keys) if k in {"status", "responsetype"}), None)
    if status_col is not None and "responseid" in keys:
        status = row[status_col].strip().lower() if status_col < len(row) else ""
        if status in _SCREEN_STATUS:
            return _SCREEN_STATUS[status]
    if rid.casefold() in seen:
        return "duplicate: an earlier response has the same id"
    return None


def _screened(body: Rows, numbers: list[int], id_col: int | None, header: list[str], options: Mapping[str, Any],
              path: str, key: str) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """Respondents kept (id, row) and those screened out ({id or "id (row N)" or "row N": reason}); ``numbers``
    are the body rows' numbers in the sheet.

    Ids are compared case aside (``exclude = {r017 = …}`` screens ``R017`` out; ``p01`` after ``P01`` is a
    duplicate), and an ``exclude`` id that matches no respondent is an error: the withdrawal would be lost.

    Raises:
        InputError: [E118] an ``exclude`` id names no respondent of the file.
    """
    kept: list[tuple[str, list[str]]] = []
    exclusions: dict[str, str] = {}
    taken: set[str] = set()  # exclusion keys, casefolded
    seen: set[str] = set()  # kept ids, casefolded
    exclude = {str(k): str(v) for k, v in dict(options.get("exclude", {})).items()}
    wanted: dict[str, list[str]] = {}
    for name in exclude:
        wanted.setdefault(name.strip().casefold(), []).append(name)
    matched: set[str] = set()
    ids: list[str] = []
    scoped = id_col is not None and "id_column" not in options and _row_numbers(
        header[id_col], [r[id_col] for r in body], header)
    for k, (n, row) in enumerate(zip(numbers, body), start=1):
        # rows of another file are others: numbered by row, or by the tool's row numbers, within this file
        raw = row[id_col].strip() if id_col is not None else str(k)
        prefixed = (id_col is None or scoped) and bool(raw)
        rid = f"{slugify(key)}-R{raw}" if prefixed else raw
        if not rid:
            exclusions[f"row {n}"] = "no respondent id"
            continue
        ids.append(rid)
        named = next((wanted[f] for f in (rid.casefold(), raw.casefold() if prefixed else "") if f in wanted), None)
        if named:
            matched.update(named)
        reason = exclude[named[0]] if named else _screen(rid, row, header, seen, options, path, key)
        if reason is not None:
            folded = rid.casefold()
            exclusions[rid if folded not in taken and folded not in seen else f"{rid} (row {n})"] = reason
            taken.add(folded)
            continue
        seen.add(rid.casefold())
        kept.append((rid, row))
    unmatched = [name for name in exclude if name not in matched]
    if unmatched:
        raise InputError(Errors.E118.format(key=key, ids=_listed(unmatched), path=path,
                                            hint=_closest(unmatched, ids)))
    return kept, exclusions


def _screened_records(body: Rows, numbers: list[int], id_col: int, header: list[str], options: Mapping[str, Any],
                      path: str, key: str, redcap: _RedCap) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """A REDCap export's kept rows (record id, row), every row of each kept record, and those screened out.

    A record is screened as one respondent: its id in ``exclude`` or a reason on any of its rows screens out all
    of them. A row repeating its record's event and instance is a duplicate (``3 (row 9)``).
    """
    records: dict[str, list[tuple[int, list[str]]]] = {}
    for n, row in zip(numbers, body):
        records.setdefault(row[id_col].strip().casefold() or f"\x00{n}", []).append((n, row))
    stand_ins = [_record_row([r for _, r in rows]) for rows in records.values()]
    screened, exclusions = _screened(stand_ins, [rows[0][0] for rows in records.values()], id_col, header, options,
                                     path, key)
    kept: list[tuple[str, list[str]]] = []
    for rid, stand_in in screened:
        places: set[tuple[str, str, str]] = set()
        for n, row in records[stand_in[id_col].strip().casefold()]:
            if redcap.occasion(row) in places:
                exclusions[f"{rid} (row {n})"] = "duplicate: an earlier row has the same record, event and instance"
                continue
            places.add(redcap.occasion(row))
            kept.append((rid, row))
    return kept, exclusions


def _record_row(rows: Rows) -> list[str]:
    """One row standing for a REDCap record when it is screened: in each column the first value that is a reason
    to screen out (not empty, ``no``, ``0``…), else the first value."""
    out = []
    for cells in zip(*rows):
        filled = [v for v in cells if v.strip()]
        out.append(next((v for v in filled if v.strip().lower() not in _NOT_A_REASON), filled[0] if filled else ""))
    return out


def _respondents(kept: list[tuple[str, list[str]]], header: list[str], attr_cols: list[int],
                 redcap: _RedCap | None) -> tuple[tuple[Participant, ...], str]:
    """Each kept respondent with their attributes, and W031's columns (REDCap) whose values differ within a record.

    A REDCap record's attributes come from its rows that are no repeating instance (the first value of each
    column); a column with another value on another of its rows is named, with how many records.
    """
    if redcap is None:
        return tuple(Participant(rid, {header[c]: row[c] for c in attr_cols if row[c]}) for rid, row in kept), ""
    rows_of: dict[str, list[list[str]]] = {}
    for rid, row in kept:
        rows_of.setdefault(rid, []).append(row)
    people = []
    varied: dict[int, int] = {}
    for rid, rows in rows_of.items():
        attrs: dict[str, str] = {}
        for c in attr_cols:
            value = next((r[c] for r in rows if r[c] and not redcap.repeating(r)), "")
            if value:
                attrs[header[c]] = value
            if any(r[c].strip() and r[c].strip() != value.strip() for r in rows):
                varied[c] = varied.get(c, 0) + 1
        people.append(Participant(rid, attrs))
    named = [f"'{header[c]}' ({n} record{'s' if n > 1 else ''})" for c, n in sorted(varied.items())]
    return tuple(people), ", ".join(named[:8]) + (f" and {len(named) - 8} more" if len(named) > 8 else "")


def _closest(names: list[str], ids: list[str]) -> str:
    """``closest: 'R017'`` (ids like the unmatched ``names``, case aside), else a few of the file's ids."""
    spelt: dict[str, str] = {}
    for rid in ids:
        spelt.setdefault(rid.casefold(), rid)
    close = [spelt[c] for name in names
             for c in difflib.get_close_matches(name.strip().casefold(), list(spelt), n=3, cutoff=0.6)]
    if close:
        return f"closest: {_listed(list(dict.fromkeys(close)))}"
    return f"its ids: {_listed(list(spelt.values()), show=5)}" if spelt else "it has no respondent id"


def _answers_text(kept: list[tuple[str, list[str]]], questions: list[str], text_cols: list[int], path: str,
                  max_chars: int, redcap: _RedCap | None = None) -> tuple[str, list[Turn]]:
    """One block per respondent (id, then each question and answer; a REDCap record's rows in one block, each
    question named with its row's event and instance); each answer is a turn. Each block repeats
    the question titles, so the text is counted as it grows: past ``max_chars`` E063 names the respondent."""
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    rows_of: dict[str, list[list[str]]] = {}
    for rid, row in kept:
        rows_of.setdefault(rid, []).append(row)
    for rid, rows in rows_of.items():
        answers = [(redcap.asked(questions[c], row) if redcap else questions[c], _answer(row[c]))
                   for row in rows for c in text_cols if _answer(row[c])]
        if not answers:
            continue
        block = rid + "\n"
        for question, answer in answers:
            block += question + "\n"
            start = pos + len(block)
            block += answer + "\n"
            if pos + len(block) > max_chars:
                raise text_too_long(path, f"by respondent {rid}", max_chars)
            turns.append(Turn(start, start + len(answer), rid, question=question, kind="answer"))
        parts.append(block + "\n")
        pos += len(block) + 1
    return "".join(parts), turns


def _guessed(options: Mapping[str, Any], body: Rows, text_cols: list[int], attr_cols: list[int]) -> bool:
    """Whether the split into questions and attributes was a close call worth a note (W119).

    A column of short sentences (``Better signs.``, ``Nothing.``) may be either: an attribute of varied
    text, or a question of short answers. Named columns (``text_columns``, ``attribute_columns``) are no guess.
    """
    if "text_columns" in options and "attribute_columns" in options:
        return False
    for c in attr_cols if "attribute_columns" not in options else []:
        filled = [a for a in (_answer(r[c]) for r in body) if a]
        if len(filled) >= 2 and len(set(filled)) * 2 >= len(filled) and any(ch.isalpha() for v in filled for ch in v) \
                and (sum(v.count(" ") + 1 for v in filled) >= 2 * len(filled) or any(v[-1] in ".!?" for v in filled)):
            return True
    for c in text_cols if "text_columns" not in options else []:
        filled = [a for a in (_answer(r[c]) for r in body) if a]
        if filled and sum(map(len, filled)) / len(filled) < 40:
            return True
    return False


def _listed(names: list[str], show: int = 8) -> str:
    """``'a', 'b' and 3 more`` (or ``none``): columns named in a note without flooding it."""
    if not names:
        return "none"
    shown = ", ".join(f"'{n}'" for n in names[:show])
    return shown + (f" and {len(names) - show} more" if len(names) > show else "")


def _roster_column(header: list[str]) -> str | None:
    """A column that maps participants to transcripts or speakers, as participants.csv's do."""
    return next((h for h in header if header_key(h) in DOC_COLUMNS + NAME_COLUMNS), None)


def _from_header_row(rows: Rows, options: Mapping[str, Any], path: str, key: str) -> tuple[list[int], Rows]:
    """(sheet row numbers, rows) of the non-blank rows from ``header_row`` on (default 1: the first row).

    Raises:
        InputError: [E061] ``header_row`` is not a whole number from 1 to the sheet's last row.
    """
    first = options.get("header_row", 1)
    if isinstance(first, bool) or not isinstance(first, int) or not 1 <= first <= max(len(rows), 1):
        raise InputError(Errors.E061.format(path=path, key=key, value=repr(first), rows=len(rows)))
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if n >= first and any(c for c in r)]
    return [n for n, _ in numbered], [r for _, r in numbered]


def _titles_below_a_title(rows: Rows, numbers: list[int]) -> int | None:
    """The sheet row of the column titles when the first row is one cell (a title such as "Staff survey
    2024") over a table of several columns, else None: the title is no header, ``header_row`` names it."""
    if len(rows) < 2 or not rows[0][0] or any(rows[0][1:]):
        return None
    for i, row in enumerate(rows[1:10], start=1):
        if sum(1 for c in row if c) >= 2:
            return numbers[i]
    return None


def _padded(rows: Rows) -> Rows:
    """Every row as wide as the table: a column with answers past the header's last title (under a merged
    title, or a header row a cell short) is a column too, titled ``column N`` like an empty title cell."""
    width = max(len(rows[0]), *(max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows))
    return [r[:width] + [""] * (width - len(r)) for r in rows]


def _row_list(numbers: list[int], show: int = 5) -> str:
    """``rows 3, 7 and 9`` (the first ``show``, then how many more)."""
    shown = [str(n) for n in numbers[:show]]
    more = f" and {len(numbers) - show} more" if len(numbers) > show else ""
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + (" and " if not more else ", ") + shown[-1]
    return ("row " if len(numbers) == 1 else "rows ") + listed + more


def read_survey(rows: Rows, path: str, fmt: str, *, options: Mapping[str, Any] | None = None,
                key: str | None = None, previous: Mapping[str, Any] | None = None,
                max_chars: int = DEFAULT_SIZE_LIMITS.max_file_bytes, sheet: str | None = None,
                other_sheets: Sequence[str] = ()) -> Parsed:
    """Turn survey rows into answers, respondents (as participants) and screened-out rows; ``previous`` is the
    split (``columns`` attribute) the file was stored with, whose questions and attributes keep their roles;
    ``max_chars`` caps the text composed (``max_file_mb``, a character a byte); ``sheet`` is the workbook sheet
    the rows are from (W110 and W119 name it) and ``other_sheets`` those that hold cells too (W110 names one).

    Raises:
        TranscriptParseError: [E100] empty, [E107] a named column is missing, [E109] no responses.
        InputError: [E111] unknown survey setting, [E525] one of the wrong type or value, [E063] the answers'
            text runs past ``max_chars``.
    """
    options = dict(options or {})
    key = key or path
    check_options(options, key, path)
    numbers, rows = _from_header_row(rows, options, path, key)
    if not rows:
        raise TranscriptParseError(Errors.E100.format(path=path, detail=""))
    titled = len(rows[0])
    wide = [n for n, r in zip(numbers[1:], rows[1:]) if any(r[titled:])] if fmt == "csv" else []
    rows = _padded(rows)
    titles_at = None if "header_row" in options else _titles_below_a_title(rows, numbers)
    header = _unique(rows[0])
    n_header = int(options.get("header_rows", _header_rows(rows, header)))
    if n_header >= len(rows) > 1:  # every row a header row: no response left
        raise _bad_setting(path, key, "header_rows", n_header, (
            f"a whole number from 1 to {len(rows) - 1}: the rows from the header row to the first response, the "
            f"header row counted (the file has {len(rows)} rows from the header row on)"), "1")
    body = [r + [""] * (len(header) - len(r)) for r in rows[n_header:]]
    if not body:
        raise TranscriptParseError(Errors.E109.format(path=path))
    monkey = _surveymonkey(rows, n_header)
    if monkey:
        header = questions = _unique(monkey[0])
    else:
        questions = _questions(rows, header, n_header)
    blank = {i for i, title in enumerate(monkey[0] if monkey else rows[0]) if not title.strip()}
    free = monkey[1] if monkey else _choice_text(rows, header, n_header)
    redcap = _redcap(header)  # several rows per record: a record is one respondent
    id_col, text_cols, attr_cols, unlisted = _layout(header, body, options, path, key, free, blank, previous,
                                                     redcap.meta if redcap else frozenset())
    if redcap is not None and id_col is not None:
        kept, exclusions = _screened_records(body, numbers[n_header:], id_col, header, options, path, key, redcap)
    else:
        redcap = None
        kept, exclusions = _screened(body, numbers[n_header:], id_col, header, options, path, key)
    text, turns = _answers_text(kept, questions, text_cols, path, max_chars, redcap)
    participants, varied = _respondents(kept, header, attr_cols, redcap)
    if titles_at is not None:  # W110's text_columns would name titles this read has not got
        warnings = [Warnings.W029.format(path=path, key=key, title=rows[0][0][:60], first=numbers[0], row=titles_at)]
    else:
        warnings = [] if text_cols else [Warnings.W110.format(
            path=path, key=key, sheet=f" on sheet '{sheet}'" if sheet else "",
            other=f'; if they are on another sheet, name it with sheet = "{other_sheets[0]}" there' if other_sheets
            else "")]
    roster_column = None if text_cols else _roster_column(header)
    if wide:
        warnings.append(Warnings.W127.format(path=path, rows=_row_list(wide),
                                             extra=", ".join(f"'{h}'" for h in header[titled:])))
    if roster_column:
        warnings.append(Warnings.W112.format(path=path, column=roster_column))
    if varied:
        warnings.append(Warnings.W031.format(path=path, key=key, columns=varied))
    if exclusions:
        reasons = sorted(set(exclusions.values()))
        shown = "; ".join(reasons[:5]) + ("; …" if len(reasons) > 5 else "")
        warnings.append(Warnings.W104.format(path=path, n=len(exclusions), reasons=shown))
    id_name = header[id_col] if id_col is not None else None
    asked, attrs = [header[c] for c in text_cols], [header[c] for c in attr_cols]
    ignored = [header[c] for c in range(len(header)) if c != id_col and c not in text_cols and c not in attr_cols]
    columns = {"id": id_name, "questions": asked, "attributes": attrs, "metadata": ignored}
    # a column without a title that was not taken for ids may be them (W119 says none was found)
    unnamed = id_col is None and "id_column" not in options and any(any(r[c] for r in body) for c in blank)
    if text_cols and (unnamed or _guessed(options, body, text_cols, attr_cols)):
        warnings.insert(0, Warnings.W119.format(
            path=path, key=key, sheet=f" (sheet '{sheet}')" if sheet else "",
            id=f"'{id_name}'" if id_name else "none (respondents numbered by row)",
            questions=_listed(asked), attributes=_listed(attrs), ignored=_listed(ignored)))
    left_open = _open_text_left_out(header, body, [c for c in range(len(header)) if header[c] in ignored], options)
    if left_open:
        warnings.append(Warnings.W028.format(path=path, key=key, columns=left_open))
    if unlisted:
        named = [f"'{header[c]}' ({sum(1 for r in body if _answer(r[c]))} answers)" for c in unlisted]
        shown = ", ".join(named[:8]) + (f" and {len(named) - 8} more" if len(named) > 8 else "")
        warnings.append(Warnings.W122.format(path=path, key=key, columns=shown))
    attributes = {"respondents": len(participants), "excluded": len(exclusions),
                  "questions": [questions[c] for c in text_cols], "columns": columns}
    left_out = [c for c in range(len(header)) if c != id_col and c not in text_cols and c not in attr_cols]
    names = _respondent_names(kept, header, left_out)  # replaced in answers and attribute values alike
    header_keys = {"respondent_names": names} if names else {}
    return Parsed(text, tuple(turns), fmt, None, header_keys, attributes, tuple(warnings), participants, exclusions)
