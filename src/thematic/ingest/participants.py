"""Participants: data/raw/participants.csv, and which participant (or interviewer) each speaker is.

participants.csv has a ``participant_id`` (or ``id``) column plus attribute columns (role, gender,
age_band, site...). Optional mapping columns are read but never stored as attributes: ``name`` /
``speaker`` (the speaker label(s) used in transcripts, several separated by ``;``) and
``transcript`` / ``document`` / ``file`` (the participant's transcript(s), several separated by ``;``).
A name two rows give (``Sam``) names neither: it is ``shared``, and only a file's own participant decides.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Iterable, Mapping

from .._csvtext import unclosed_quote, unclosed_quote_detail
from .._limits import DEFAULT_SIZE_LIMITS, SizeLimits, check_archive, check_file
from .._personal import name_column_part
from ..errors import Errors, InputError, Problem, Warnings, problems_message
from ..models import Participant
from .columns import DOC_COLUMNS, ID_COLUMNS, NAME_COLUMNS, header_key
from .discover import outside
from .labels import is_generic_label, is_interviewer_label, label_key
from .normalise import read_text

INTERVIEWER = "interviewer"


@dataclass(frozen=True, slots=True)
class Roster:
    """Participants with their attributes, and the name/transcript -> participant id maps."""

    participants: tuple[Participant, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    by_document: Mapping[str, str] = field(default_factory=dict)
    #: Participant id -> the line (a sheet's row) of the file that lists them, for warnings.
    lines: Mapping[str, int] = field(default_factory=dict)
    #: A name several rows give (as first written) -> their participant ids: it names none of them (W128).
    shared: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Warnings about the file itself (W128).
    warnings: tuple[str, ...] = ()

    @property
    def by_name(self) -> dict[str, str]:
        """Speaker names (case and spacing ignored) -> participant id."""
        return {label_key(k): v for k, v in self.names.items()}

    def sharers(self, label: str) -> tuple[str, ...]:
        """The participants who share ``label`` as a name (none when it names one person, or nobody)."""
        key = label_key(label)
        return next((ids for name, ids in self.shared.items() if label_key(name) == key), ())

    def find(self, label: str) -> str | None:
        """The participant a speaker label names: a name from the name column, else the id itself (``P07:``)."""
        key = label_key(label)
        return self.by_name.get(key) or next((p.id for p in self.participants if label_key(p.id) == key), None)

    @property
    def ids(self) -> frozenset[str]:
        """Every participant id in the roster."""
        return frozenset(p.id for p in self.participants)

    def for_document(self, *refs: str) -> str | None:
        """The participant whose transcript is any of ``refs`` (a path, a file name, a stem, an id)."""
        for ref in refs:
            pid = self.by_document.get(label_key(ref))
            if pid:
                return pid
        return None


def _column(header: list[str], names: Iterable[str]) -> int | None:
    lowered = [header_key(h) for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def parse_roster(text: str, path: str) -> Roster:
    """Parse participants.csv text; every problem is reported at once.

    Raises:
        InputError: [E110] no id column, empty or duplicate ids, a quote never closed (with their lines).
    """
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = _delimiter(text)
    if (line := unclosed_quote(text, delimiter)) is not None:
        raise InputError(Errors.E110.format(path=path, line=line, detail=unclosed_quote_detail(line)))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, lines = [], []
    for row in reader:
        if any(c.strip() for c in row):
            rows.append(row)
            lines.append(reader.line_num - sum(c.count("\n") for c in row))  # where the row starts
    return roster_from_rows(rows, path, lines=lines, delimiter=delimiter)


def _delimiter(text: str) -> str:
    """The delimiter whose header has an id column: ``,``, else ``;`` (Excel in many European locales), tab, ``|``."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for delimiter in (",", ";", "\t", "|"):
        header = next(csv.reader([first], delimiter=delimiter), [])
        if len(header) > 1 and _column([h.strip() for h in header], ID_COLUMNS) is not None:
            return delimiter
    return ","


def _extra_fields(row: list[str], width: int, delimiter: str | None) -> str | None:
    """The problem with a row holding values beyond the header's columns (None when the extra cells are empty)."""
    extra = [c.strip() for c in row[width:]]
    if not any(extra):
        return None
    shown = ", ".join(repr(c) for c in extra if c)
    if delimiter is None:  # a sheet: values in columns without a header
        return (f"{len(row)} cells, but the header has {width}; {shown} lie in columns without a header. Give "
                "those columns a header, or move the values into the right column")
    mark = {"\t": "a tab"}.get(delimiter, repr(delimiter))
    return (f"{len(row)} fields, but the header has {width} ({shown} past the last column), so its values cannot "
            f"be matched to columns. A value that contains {mark} must be in double quotes, e.g. \"lecturer, "
            "medical school\"; or add the missing column to the header")


def _unheaded(row: list[str], header: list[str]) -> str | None:
    """The problem with a row holding a value under a column whose header is empty (None when there is none)."""
    stray = [c.strip() for c, h in zip(row, header) if not h and c.strip()]
    if not stray:
        return None
    return (f"{', '.join(repr(c) for c in stray)} lie in a column without a header, so it cannot be named as an "
            "attribute. Give the column a header, or move the value into the right column")


def roster_from_rows(rows: list[list[str]], path: str, *, lines: list[int] | None = None,
                     delimiter: str | None = None) -> Roster:
    """A roster from table rows (header first), from participants.csv or participants.xlsx.

    ``lines`` gives each row's line in the file (default: its position); ``delimiter`` the CSV's (None: a sheet).
    """
    if not rows:
        return Roster()
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:  # a trailing delimiter or a sheet's empty columns: no column
        header.pop()
    id_col = _column(header, ID_COLUMNS)
    if id_col is None:
        raise InputError(Errors.E110.format(path=path, line=lines[0] if lines else 1, detail=(
            f"no participant_id (or id) column; the columns are {', '.join(header)}. Add a participant_id column.")))
    name_col, doc_col = _column(header, NAME_COLUMNS), _column(header, DOC_COLUMNS)
    # other columns of people's names (``Participant Name``, ``Surname``), by the rule the survey reader uses:
    # never stored, their names replaced in the text as the name column's are
    parts = {c: part for c, h in enumerate(header) if c not in {id_col, name_col, doc_col}
             and (part := name_column_part(h))}
    skip = {id_col, name_col, doc_col, *parts}
    problems, participants, by_doc, seen, where = [], [], {}, set(), {}
    named: dict[str, dict[str, list[int]]] = {}  # label_key -> participant id -> lines (the name column)
    other: dict[str, dict[str, list[int]]] = {}  # the same from other name columns, used where the first is silent
    spelt: dict[str, list[str]] = {}  # label_key -> the name as each row writes it
    numbers = lines[1:] if lines is not None else range(2, len(rows) + 1)
    for line, row in zip(numbers, rows[1:]):
        extra = _extra_fields(row, len(header), delimiter) or _unheaded(row, header)
        if extra:
            problems.append(Problem(path, line, "E110", extra))
            continue
        row = [c.strip() for c in row[:len(header)]] + [""] * (len(header) - len(row))
        pid = row[id_col]
        if not pid or pid in seen:
            problems.append(Problem(path, line, "E110", f"{'duplicate' if pid else 'empty'} participant id {pid!r}"))
            continue
        seen.add(pid)
        where[pid] = line
        participants.append(Participant(pid, {header[c]: row[c] for c in range(len(header))
                                              if c not in skip and header[c] and row[c]}))
        if name_col is not None:
            for name in row[name_col].split(";"):
                if name.strip():
                    _claim(named, spelt, " ".join(name.split()), pid, line)
        for name in _names_in_columns(row, parts):
            _claim(other, spelt, name, pid, line)
        for ref in (row[doc_col].split(";") if doc_col is not None else ()):
            ref = ref.strip().replace("\\", "/")  # a path written on Windows (interviews\p01.docx)
            for key in {ref, PurePath(ref).name, PurePath(ref).stem} if ref else ():
                by_doc[label_key(key)] = pid
    if problems:
        raise InputError(problems_message(f"[E110] {path} has problems", problems))
    by_name, shared, warnings = {}, {}, []
    for key, names in spelt.items():
        owners = named.get(key) or other[key]  # the name column, when it gives the name, says who a label is
        if len(owners) == 1:
            by_name.update(dict.fromkeys(names, next(iter(owners))))
            continue
        name = names[0]
        shared[name] = tuple(owners)
        lines_of = sorted({n for found in owners.values() for n in found})
        warnings.append(Warnings.W128.format(path=path, lines=", ".join(map(str, lines_of)), name=name,
                                             ids=", ".join(owners)))
    return Roster(tuple(participants), by_name, by_doc, where, shared, tuple(warnings))


def _claim(claims: dict[str, dict[str, list[int]]], spelt: dict[str, list[str]], name: str, pid: str,
           line: int) -> None:
    """Record that row ``line`` gives ``name`` to ``pid`` (``spelt`` keeps each way the name is written)."""
    key = label_key(name)
    if name not in spelt.setdefault(key, []):
        spelt[key].append(name)
    claims.setdefault(key, {}).setdefault(pid, []).append(line)


def _names_in_columns(row: list[str], parts: Mapping[int, str]) -> list[str]:
    """A row's names from its name columns: each whole name, and given + family names as one
    (``Dean Whitfield``; pseudonymisation also finds its parts)."""
    given = " ".join(row[c] for c, p in parts.items() if p == "given" and row[c])
    family = " ".join(row[c] for c, p in parts.items() if p == "family" and row[c])
    names = [row[c] for c, p in parts.items() if p == "full" and row[c]] + [" ".join(x for x in (given, family) if x)]
    return list(dict.fromkeys(" ".join(n.split()) for n in names if len(n.strip()) >= 2))


def roster_file(path: Path) -> Path | None:
    """The roster file in use: participants.csv, else participants.xlsx beside it, else None."""
    xlsx = path.with_suffix(".xlsx")
    return path if path.is_file() else xlsx if xlsx.is_file() else None


def load_roster(path: Path, limits: SizeLimits = DEFAULT_SIZE_LIMITS, *, root: Path | None = None,
                allow_outside: bool = False) -> Roster:
    """The roster from participants.csv (or participants.xlsx beside it); empty when there is neither.

    A roster that is a symlink out of ``root`` (the study) is refused unopened, as a transcript is.

    Raises:
        InputError: [E110] problems in the file, [E021] unreadable, [E104] damaged workbook, [E038] larger
            than ``limits`` allow (on disk, or unzipped), [E030] a symlink out of ``root`` (without ``allow_outside``).
    """
    source = roster_file(path)
    if source is None:
        return Roster()
    if root is not None and not allow_outside:
        target = outside(root, source)
        if target is not None:
            try:
                shown = source.absolute().relative_to(root.absolute()).as_posix()
            except ValueError:
                shown = str(source)
            raise InputError(Errors.E030.format(path=shown, target=target))
    try:
        check_file(source, str(source), limits)
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(Errors.E021.format(path=source, detail=exc)) from None
    check_archive(data, str(source), limits)
    if source.suffix == ".xlsx":
        from .readers.table import load_xlsx

        rows, _ = load_xlsx(data, str(source), max_chars=limits.max_file_bytes)
        return roster_from_rows(rows, str(source))
    text, _ = read_text(data, str(source))
    return parse_roster(text, str(source))


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    """Who a speaker label is: a participant, an interviewer, or unknown; and whether it is a name."""

    label: str | None
    participant_id: str | None = None
    is_interviewer: bool = False
    is_name: bool = False


def _lookup(label: str, mapping: Mapping[str, str]) -> str | None:
    key = label_key(label)
    return next((v for k, v in mapping.items() if label_key(k) == key), None)


def resolve_speakers(
    labels: Iterable[str | None],
    *,
    speakers: Mapping[str, str],
    participant: str | None,
    roster: Roster,
    interviewer_labels: Iterable[str],
) -> tuple[dict[str | None, SpeakerInfo], list[str]]:
    """Map each label to a SpeakerInfo; returns the map and the labels left unmapped.

    Order: the explicit ``speakers`` map (value a participant id or ``interviewer``), interviewer
    labels, participants.csv names or ids, then ``participant`` for the file's one remaining speaker. A name
    participants.csv gives several people is ``participant`` when it is one of them, else left unmapped.
    """
    ilabels = tuple(interviewer_labels)
    out: dict[str | None, SpeakerInfo] = {}
    shared: list[str] = []
    for label in dict.fromkeys(labels):
        if label is None:
            out[None] = SpeakerInfo(None)
            continue
        generic = is_generic_label(label, ilabels)
        target = _lookup(label, speakers)
        if target is not None and target.lower() == INTERVIEWER:
            out[label] = SpeakerInfo(label, None, True, not generic)
        elif target is not None:
            out[label] = SpeakerInfo(label, target, False, not generic)
        elif is_interviewer_label(label, ilabels):
            out[label] = SpeakerInfo(label, None, True, False)
        elif sharers := roster.sharers(label):
            out[label] = SpeakerInfo(label, participant if participant in sharers else None, False, not generic)
            shared.append(label)
        else:
            out[label] = SpeakerInfo(label, roster.find(label), False, not generic)
    open_ = [k for k, v in out.items() if k is not None and not v.is_interviewer and v.participant_id is None
             and k not in shared]
    if participant and len(open_) == 1:
        out[open_[0]] = SpeakerInfo(open_[0], participant, False, out[open_[0]].is_name)
        open_ = []
    elif participant and not open_ and None in out and not any(v.participant_id for v in out.values()):
        out[None] = SpeakerInfo(None, participant)  # a file with no speaker labels: the participant's text
    unmapped = [k for k in out if k in shared and out[k].participant_id is None]
    return out, [k for k in open_ if isinstance(k, str)] + unmapped
