"""Codebook validation: every problem at once, each with file:line and how to fix it.

Problem codes (``[C0xx]``):

==== =================================================================
C001 YAML syntax error (or the file cannot be parsed at all)
C002 the file is not a mapping with ``version``, ``themes`` and ``codes``
C003 ``version`` missing or not semver (``1.0.0``)
C004 an entry without an ``id``, or not a mapping
C005 malformed id (must be snake_case: ``peer_support``)
C006 duplicate id
C007 unknown parent
C008 cycle in the parent chain
C009 empty definition
C010 bad spaCy token pattern
C011 unknown key (with a did-you-mean)
C012 wrong type (e.g. ``keywords`` not a list of strings)
C013 malformed ``changes`` entry
C014 ``color`` not ``#RRGGBB``
C015 a theme with a parent, or a code without one
C016 ``changes`` entry inconsistent with the codes (target missing, retired or a theme, source still defined,
     a theme retired)
C017 no codes at all
C018 unsupported ``schema_version``
C019 unsafe ``name`` (a path, ``..``, a leading dot, control characters, or empty)
C020 a character no Word or Excel file can hold (a control character) in a label, definition, list or description
==== =================================================================
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any, Mapping

from .._spreadsheet import illegal_character
from ..errors import CodebookError, Problem
from .changes import ID_RE, ReleasedParents, WasTheme, check_consistency, check_entry, parse_changes
from .files import frozen_copies, read_codebook_text
from .parse import brief, clip, line_of, parse_yaml, raw_character_problems, without_raw_characters
from .patterns import quick_pattern_problems, spacy_pattern_problem
from .semver import is_semver, semver_key

#: What a codebook name may not hold: it names files in codebooks/.versions/.
_UNSAFE_NAME_RE = re.compile(r"[/\\\x00-\x1f\x7f:]")

SCHEMA_VERSIONS = (1,)
TOP_KEYS = ("name", "version", "description", "schema_version", "changes", "themes", "codes")
ENTRY_KEYS = ("id", "label", "parent", "definition", "include", "exclude", "examples", "keywords", "patterns",
              "color", "memo")
TEXT_FIELDS = ("id", "label", "parent", "definition", "color", "memo")
LIST_FIELDS = ("include", "exclude", "examples", "keywords")
COLOR_RE = re.compile(r"#[0-9A-Fa-f]{6}")  # used with fullmatch: '$' would accept a trailing newline
#: The most pattern problems reported for one code; a hostile list of patterns cannot make a huge message.
MAX_PATTERN_PROBLEMS = 20


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a file in codebooks/.versions/ (None when it can); a sent codebook never writes elsewhere."""
    if not name.strip():
        return "is empty"
    if _UNSAFE_NAME_RE.search(name):
        return "holds a path separator, a colon or a control character"
    if name.startswith("."):
        return "starts with a dot"
    if ".." in name:
        return "holds '..'"
    if len(name) > 100:
        return "is longer than 100 characters"
    return None


def safe_name(name: str) -> str:
    """``name`` as a file-name slug: letters, digits, spaces, '-', '_' and single inner dots (may be empty)."""
    slug = re.sub(r"[^\w .-]+", "-", name).strip(". -")
    return re.sub(r"\.{2,}", ".", slug)[:100]


def suggest_id(value: Any) -> str:
    """A valid snake_case id close to ``value``: accents transliterated (``café_ñ`` -> ``cafe_n``), the rest '_'."""
    plain = unicodedata.normalize("NFKD", str(value).casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if slug and not slug[0].isalpha():
        slug = f"code_{slug}"
    return slug or "my_code"


def _did_you_mean(word: str, options: Any) -> str:
    close = difflib.get_close_matches(clip(word, 100), list(options), n=1)
    return f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(options)}."


def _kline(node: Any, key: Any) -> int | None:
    return line_of(node, key)


#: Entry fields shown in the quote appendix, workbook and coding sheet (ids, parents and colours have own checks).
_SHOWN_FIELDS = ("label", "definition", "memo", *LIST_FIELDS)


def _unholdable(node: Mapping[str, Any], keys: tuple[str, ...], name: str, path: str) -> list[Problem]:
    """C020 for each text under ``keys`` holding a character no Word or Excel file can hold (the appendix, the
    workbook and the coding sheet would fail on it)."""
    problems = []
    for key in keys:
        value = node.get(key)
        texts = [(None, value)] if isinstance(value, str) else list(enumerate(value)) if isinstance(value, list) else []
        for j, text in texts:
            found = illegal_character(text) if isinstance(text, str) else None
            if found is None:
                continue
            line = (line_of(value, j) if j is not None else None) or _kline(node, key)
            what = f"'{key}'" if j is None else f"'{key}' item {j + 1}"
            problems.append(Problem(path, line, "C020", f"{name}{what} holds the character {found[1]} at position "
                                    f"{found[0]}, which no Word or Excel file can hold (the quote appendix, workbook "
                                    "and coding sheet could not be written). Remove it: a YAML escape such as \\v "
                                    "or \\x0c, or a character pasted with the text."))
    return problems


def validate_data(data: Any, path: str, *, spacy_patterns: bool = False) -> list[Problem]:
    """Every problem in parsed codebook YAML (an empty list when it is valid).

    Args:
        data: the YAML as parsed by ruamel (round-trip, so lines are known).
        path: the file name used in messages.
        spacy_patterns: also check each pattern with spaCy's Matcher (slower: imports spaCy).
    """
    if not isinstance(data, Mapping):
        return [Problem(path, 1, "C002", "The codebook must be a mapping with 'version', 'themes' and 'codes' at "
                        "the top level (see docs/codebook.md).")]
    problems = _check_top(data, path)
    known: dict[str, int | None] = {}
    codes: list[Any] = []
    for section in ("themes", "codes"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            named = isinstance(item, Mapping) and isinstance(item.get("id"), str)
            first = named and item["id"] not in known  # a repeated id is C006 only: no parent chain of its own
            problems.extend(_check_entry(item, section, i, items, known, path, spacy_patterns))
            if section == "codes" and named:
                codes.append((item, first))
    problems.extend(_check_hierarchy(codes, known, data, path))
    themes = data.get("themes")
    theme_ids = {item["id"] for item in themes if isinstance(item, Mapping) and isinstance(item.get("id"), str)
                 } if isinstance(themes, list) else set()
    parents = {c["id"]: c["parent"] for c, first in codes if first and isinstance(c.get("parent"), str)}
    problems.extend(_check_changes(data, known, path, theme_ids - {c["id"] for c, _ in codes}, parents))
    return sorted(problems, key=lambda p: (p.line or 0, p.code))


def _check_top(data: Mapping[str, Any], path: str) -> list[Problem]:
    problems = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(path, _kline(data, key), "C011", f"Unknown top-level key '{clip(key)}'. "
                                    f"{_did_you_mean(key, TOP_KEYS)}"))
    version = data.get("version")
    if version is None:
        problems.append(Problem(path, 1, "C003", "Missing 'version'. Add 'version: 0.1.0' at the top."))
    elif not is_semver(version):
        problems.append(Problem(path, _kline(data, "version"), "C003", f"version {brief(version)} is not semver; write "
                                "MAJOR.MINOR.PATCH such as '1.0.0', each number at most 18 digits (quote it if YAML "
                                "reads it as a number)."))
    for key in ("name", "description"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(Problem(path, _kline(data, key), "C012", f"'{key}' must be text."))
    problems.extend(_unholdable(data, ("description",), "", path))
    name = data.get("name")
    if isinstance(name, str):
        why = name_problem(name)
        if why:
            problems.append(Problem(path, _kline(data, "name"), "C019", f"name {brief(name)} {why}; released copies are "
                                    "named after it (codebooks/.versions/<name>-<version>.yaml). Use a plain name "
                                    f"such as '{safe_name(name) or 'my-codebook'}'."))
    sv = data.get("schema_version", 1)
    if sv not in SCHEMA_VERSIONS or isinstance(sv, bool):
        problems.append(Problem(path, _kline(data, "schema_version"), "C018", f"schema_version {brief(sv)} is not "
                                f"supported (this thematic reads {', '.join(map(str, SCHEMA_VERSIONS))})."))
    for key in ("themes", "codes", "changes"):
        if data.get(key) is not None and not isinstance(data[key], list):
            problems.append(Problem(path, _kline(data, key), "C012", f"'{key}' must be a list of entries "
                                    "(each starting with '- ')."))
    if not data.get("codes") or not isinstance(data.get("codes"), list):
        problems.append(Problem(path, _kline(data, "codes") if "codes" in data else 1, "C017",
                                "The codebook has no codes. Add a 'codes:' list (each code with id, label, parent, "
                                "definition)."))
    return problems


def _check_entry(item: Any, section: str, i: int, items: Any, known: dict[str, int | None], path: str,
                 spacy_patterns: bool) -> list[Problem]:
    line = line_of(items, i)
    if not isinstance(item, Mapping):
        return [Problem(path, line, "C004", f"{section}[{i}] must be a mapping starting with 'id:'.")]
    line = line or line_of(item)  # the item's own line: a repeat through an alias stands elsewhere than its anchor
    code_id = item.get("id")
    if code_id is None:
        return [Problem(path, line, "C004", f"{section}[{i}] has no 'id'. Add a stable snake_case id.")]
    problems: list[Problem] = []
    if not isinstance(code_id, str) or not ID_RE.fullmatch(code_id):
        problems.append(Problem(path, line, "C005", f"id {brief(code_id)} is not snake_case (lower-case letters, "
                                f"digits and '_', starting with a letter); e.g. '{suggest_id(code_id)}'."))
    elif code_id in known:
        problems.append(Problem(path, line, "C006", f"Duplicate id '{code_id}' (first defined at line "
                                f"{known[code_id]}). Give one of them a different id."))
    else:
        known[code_id] = line
    name = f"'{clip(code_id)}'"
    problems.extend(_check_fields(item, section, name, path, spacy_patterns))
    return problems


def _check_fields(item: Mapping[str, Any], section: str, name: str, path: str,
                  spacy_patterns: bool) -> list[Problem]:
    problems: list[Problem] = []
    allowed = [k for k in ENTRY_KEYS if not (section == "themes" and k == "parent")]
    for key in item:
        if key == "parent" and section == "themes":
            problems.append(Problem(path, _kline(item, key), "C015", f"Theme {name} has a parent; themes are the "
                                    "top level. Move it under 'codes:' or remove 'parent'."))
        elif key not in allowed:
            problems.append(Problem(path, _kline(item, key), "C011", f"{name}: unknown key '{clip(key)}'. "
                                    f"{_did_you_mean(key, allowed)}"))
    for key in TEXT_FIELDS:
        if key in item and item[key] is not None and key != "id" and not isinstance(item[key], str):
            problems.append(Problem(path, _kline(item, key), "C012", f"{name}: '{key}' must be text, not "
                                    f"{type(item[key]).__name__}."))
    for key in LIST_FIELDS:
        value = item.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                                         for v in value)):
            problems.append(Problem(path, _kline(item, key), "C012", f"{name}: '{key}' must be a list of "
                                    f"non-empty strings, e.g. {key}: [first, second]."))
    definition = item.get("definition")
    if definition is None or (isinstance(definition, str) and not definition.strip()):
        problems.append(Problem(path, _kline(item, "definition") if "definition" in item else line_of(item),
                                "C009", f"{name} has an empty definition. Write what the code means, so that two "
                                "coders apply it the same way."))
    if section == "codes" and not item.get("parent"):
        problems.append(Problem(path, line_of(item), "C015", f"Code {name} has no parent. Set 'parent:' to a "
                                "theme id or another code id (or move it under 'themes:')."))
    color = item.get("color")
    lost = _colour_read_as_comment(item) if "color" in item and color is None else None
    if lost:
        problems.append(Problem(path, _kline(item, "color"), "C014", f"{name}: color is empty because YAML reads "
                                f"an unquoted '{lost}' as a comment. Quote it: color: '{lost}'."))
    if color is not None and not (isinstance(color, str) and COLOR_RE.fullmatch(color)):
        problems.append(Problem(path, _kline(item, "color"), "C014", f"{name}: color {brief(color)} must be '#RRGGBB' "
                                "(quote it: color: '#1f77b4')."))
    problems.extend(_unholdable(item, _SHOWN_FIELDS, f"{name}: ", path))
    problems.extend(_check_patterns(item, name, path, spacy_patterns))
    return problems


def _colour_read_as_comment(item: Any) -> str | None:
    """The '#RRGGBB' that ruamel kept as a comment after an empty ``color:`` (written unquoted), if any."""
    tokens = getattr(getattr(item, "ca", None), "items", {}).get("color") or []
    for token in tokens:
        for t in token if isinstance(token, list) else [token]:
            m = re.match(r"#[0-9A-Fa-f]{3,8}\b", str(getattr(t, "value", "") or ""))
            if m:
                return m.group(0)
    return None


def _check_patterns(item: Mapping[str, Any], name: str, path: str, spacy_patterns: bool) -> list[Problem]:
    patterns = item.get("patterns")
    if patterns is None:
        return []
    if not isinstance(patterns, list):
        return [Problem(path, _kline(item, "patterns"), "C012", f"{name}: 'patterns' must be a list of token "
                        'patterns, e.g. patterns: [[{LEMMA: vet}]].')]
    problems: list[Problem] = []
    for j, pattern in enumerate(patterns):
        line = line_of(patterns, j) or _kline(item, "patterns")
        where = f"{name} patterns[{j}]"
        quick = quick_pattern_problems(pattern, where, path, line)
        if quick and len(problems) >= MAX_PATTERN_PROBLEMS:
            problems.append(Problem(path, line, "C010", f"{name}: more patterns from patterns[{j}] on have problems "
                                    f"(only the first {MAX_PATTERN_PROBLEMS} are listed); fix those and validate again."))
            break
        problems.extend(quick)
        if spacy_patterns and not quick:
            found = spacy_pattern_problem(_plain(pattern), where, path, line)
            if found is not None:
                problems.append(found)
    return problems


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _check_hierarchy(codes: list[tuple[Any, bool]], known: Mapping[str, int | None], data: Any,
                     path: str) -> list[Problem]:
    """C007 for every code's unknown parent; C008 for cycles among the first definitions of each id."""
    problems: list[Problem] = []
    parents: dict[str, str] = {}
    for item, first in codes:
        parent = item.get("parent")
        if not isinstance(parent, str) or not parent:
            continue
        if parent not in known:
            problems.append(Problem(path, _kline(item, "parent"), "C007", f"'{item['id']}': unknown parent "
                                    f"'{clip(parent)}'. {_did_you_mean(parent, sorted(known)) if known else ''}".rstrip()))
        elif first:
            parents.setdefault(item["id"], parent)
    reported: set[str] = set()
    for start in parents:
        chain, node = [start], parents.get(start)
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        if node is not None and node not in reported:
            cycle = chain[chain.index(node):]
            reported.update(cycle)
            problems.append(Problem(path, known.get(node), "C008", f"Cycle in parents: {' -> '.join(cycle + [node])}."
                                    " Every chain of parents must end at a theme; change one 'parent'."))
    return problems


def _check_changes(data: Mapping[str, Any], known: Mapping[str, int | None], path: str,
                   themes: set[str], parents: Mapping[str, str]) -> list[Problem]:
    raw = data.get("changes")
    if not isinstance(raw, list):
        return []
    problems: list[Problem] = []
    lines = [line_of(raw, i) for i in range(len(raw))]
    good = []
    for i, item in enumerate(raw):
        found = check_entry(item, i, path, lines[i])
        problems.extend(found)
        if not found:
            good.extend(parse_changes([item], [lines[i]]))
    was_theme, released_parents = _released_kinds(path, data)
    problems.extend(check_consistency(good, known, path, themes=themes, was_theme=was_theme, parents=parents,
                                      released_parents=released_parents))
    return problems


def _released_kinds(path: str, data: Mapping[str, Any]) -> tuple[WasTheme, ReleasedParents] | tuple[None, None]:
    """Whether an id was a theme, and each code's parent, in the newest copy released before a version defining it.

    The copies are the frozen files in codebooks/.versions/ beside the file at ``path``, read only when asked
    (a change into a theme, or a retirement of one, the file no longer defines); (None, None) when ``path`` is no file.
    """
    if not Path(path).is_file():
        return None, None
    name = data.get("name")
    stem = safe_name(name if isinstance(name, str) and name.strip() else Path(path).stem) or "codebook"
    entries: dict[Path, dict[str, tuple[bool, str | None]] | None] = {}

    def newest(code_id: str, version: str) -> dict[str, tuple[bool, str | None]] | None:
        copies = sorted(((semver_key(v), p) for v, p in frozen_copies(path, stem).items() if is_semver(v)),
                        reverse=True)
        for key, copy in copies:
            if key >= semver_key(version):
                continue
            if copy not in entries:
                entries[copy] = _kinds_in(copy)
            found = entries[copy]
            if found is not None and code_id in found:
                return found
        return None

    def was_theme(code_id: str, version: str) -> bool | None:
        found = newest(code_id, version)
        return None if found is None else found[code_id][0]

    def released_parents(code_id: str, version: str) -> dict[str, str]:
        found = newest(code_id, version) or {}
        return {i: parent for i, (is_theme, parent) in found.items() if not is_theme and parent is not None}

    return was_theme, released_parents


def _kinds_in(copy: Path) -> dict[str, tuple[bool, str | None]] | None:
    """``{id: (is a theme, parent)}`` for each entry of a released copy (None when it cannot be read)."""
    try:
        data = parse_yaml(read_codebook_text(copy), str(copy), fresh=True)
        return {str(item["id"]): (section == "themes", str(item["parent"]) if item.get("parent") is not None else None)
                for section in ("codes", "themes")
                for item in data.get(section) or [] if isinstance(item, Mapping) and "id" in item}
    except (CodebookError, AttributeError, TypeError):
        return None


def validate_codebook(path: str | Path) -> list[Problem]:
    """Every problem of a codebook file, including spaCy's verdict on each pattern; [] when valid.

    Unlike ``load_codebook`` this never raises for a bad file: a syntax error is returned as a problem.

    Example:
        >>> for problem in validate_codebook("codebooks/peer-work-desistance.yaml"):
        ...     print(problem)
    """
    p = Path(path)
    try:
        text = read_codebook_text(p)
    except CodebookError as exc:  # not read at all (too big, not a plain file, not UTF-8): under the error's own code
        return [_read_problem(p, str(exc))]
    return validate_text(text, path=str(p))


def _read_problem(p: Path, message: str) -> Problem:
    """A file that could not be read, as a problem under its own code (E211, E047, E048...), not C001's "syntax"."""
    found = re.match(r"\[([A-Z]\d{3})\] ", message)
    if found is None:
        return Problem(str(p), None, "C001", message)
    rest = message[found.end():]
    return Problem(str(p), None, found.group(1), rest.removeprefix(f"{p}: "))


def validate_text(text: str, *, path: str = "<codebook>") -> list[Problem]:
    """Like ``validate_codebook`` for YAML text already in memory."""
    try:
        data = parse_yaml(text, path)
    except CodebookError as exc:
        problems = list(getattr(exc, "problems", [])) or [Problem(path, None, "C001", str(exc))]
        raw = raw_character_problems(text, path)
        if raw and problems == raw:  # only characters pasted with the text: check the rest of the file too
            problems += validate_text(without_raw_characters(text), path=path)
        return sorted(problems, key=lambda p: (p.line or 0, p.code))
    return validate_data(data, path, spacy_patterns=True)
