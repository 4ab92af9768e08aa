"""Parsing codebook YAML text with line numbers: the piece both reading (``io``) and validating share."""

from __future__ import annotations

import re
import threading
from typing import Any, Mapping

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import SequenceNode

from .._spreadsheet import illegal_character
from ..errors import CodebookError, Errors, Problem, problems_message

#: The most values (mappings, lists, keys and scalars) a parsed codebook may hold once YAML aliases are
#: expanded. A 2 MB file written out holds about a million at most; a few hundred bytes of nested aliases
#: ("billion laughs") expand to billions and would take gigabytes to check or print.
MAX_NODES = 1_000_000

#: The most characters of a problem text from the YAML library quoted in a message (it may quote a whole value).
MAX_QUOTED = 300


#: Characters YAML does not allow anywhere in a file (ruamel's reader stops on them with only an offset): control
#: characters other than tab and line breaks, DEL, C1 controls other than NEL, U+FFFE and U+FFFF.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The most such characters reported one by one.
MAX_CHARACTER_PROBLEMS = 20


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    return y


def codebook_error(title: str, problems: list[Problem]) -> CodebookError:
    """One CodebookError listing every problem; the list is kept on ``error.problems``."""
    error = CodebookError(problems_message(title, problems))
    error.problems = list(problems)  # type: ignore[attr-defined]
    return error


#: The last text parsed and its result: one command reads the same codebook several times (validate, load,
#: the rules' checks), and a round-trip parse is slow (seconds for a 1 MB file), so it is parsed once.
_last: tuple[str, Any] | None = None
_last_lock = threading.Lock()


def parse_yaml(text: str, path: str, *, fresh: bool = False) -> Any:
    """Parse YAML text; a syntax error becomes one CodebookError with its line and column.

    The result for the same text as the previous call is reused, so treat it as read-only; pass
    ``fresh=True`` for a copy you will change.
    """
    global _last
    if not fresh:
        with _last_lock:
            last = _last
        if last is not None and last[0] == text:
            return last[1]
    data = _parse(text, path)
    if not fresh:
        with _last_lock:
            _last = (text, data)
    return data


class _TooManyValues(Exception):
    """Raised while composing when the values counted, each alias use in full, pass MAX_NODES."""

    def __init__(self, line: int | None) -> None:
        super().__init__(line)
        self.line = line


class _CountingComposer(Composer):  # type: ignore[misc]
    """ruamel's composer that counts values as it composes them, an alias use adding its anchor's whole size.

    The count stops the read before any value is built, so an alias bomb never reaches the constructor (whose
    duplicate-key message would quote it expanded) nor takes the memory to expand it.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self.values = 0
        self.sizes: dict[int, int] = {}
        #: ``(id of a list node, index) -> (line, column)`` (0-based) of each alias used as a list item.
        self.alias_marks: dict[tuple[int, int], tuple[int, int]] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            size = self.sizes.get(id(target), MAX_NODES + 1) if target is not None else 0  # unfinished: recursive
            self._count(size, line)
            if isinstance(parent, SequenceNode) and isinstance(index, int) and event.start_mark is not None:
                self.alias_marks[(id(parent), index)] = (event.start_mark.line, event.start_mark.column)
            return super().compose_node(parent, index)
        start = self.values
        self._count(1, line)
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            self.sizes[id(node)] = self.values - start
        return node

    def _count(self, n: int, line: int | None) -> None:
        self.values += n
        if self.values > MAX_NODES:
            raise _TooManyValues(line)


class _Constructor(RoundTripConstructor):  # type: ignore[misc]
    """ruamel's round-trip constructor that gives a list item made by an alias (``- *name``) the alias's own
    line, not that of the node it repeats, so a problem with the repeat names the line where it stands."""

    def construct_rt_sequence(self, node: Any, seqtyp: Any, deep: bool = False) -> Any:
        items = super().construct_rt_sequence(node, seqtyp, deep=deep)
        marks = getattr(getattr(self.loader, "composer", None), "alias_marks", {})
        for idx in range(len(node.value)):
            mark = marks.get((id(node), idx))
            if mark is not None:
                seqtyp._yaml_set_idx_line_col(idx, list(mark))
        return items


def _cut(text: Any) -> str:
    """A problem text from the YAML library on one line, at most MAX_QUOTED characters."""
    words = " ".join(str(text)[: MAX_QUOTED * 4].split())
    return words if len(words) <= MAX_QUOTED else words[: MAX_QUOTED - 1] + "…"


def line_and_column(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of ``text[pos]``, counting lines as YAML does (LF, CRLF or a lone CR)."""
    line = text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1
    start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    return line, pos - start + 1


def raw_character_problems(text: str, path: str) -> list[Problem]:
    """C020 for each character YAML does not allow in a file (pasted with the text), with its line and column."""
    problems: list[Problem] = []
    for found in _NOT_YAML.finditer(text):
        line, column = line_and_column(text, found.start())
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            problems.append(Problem(path, line, "C020", f"more characters YAML does not allow follow (only the first "
                                    f"{MAX_CHARACTER_PROBLEMS} are listed); remove those and validate again."))
            break
        char = found.group()
        named = illegal_character(char)
        name = named[1] if named else f"U+{ord(char):04X}"
        office = " (and no Word or Excel file can hold it)" if named else ""
        problems.append(Problem(path, line, "C020", f"the character {name} at column {column} is a control character "
                                f"that YAML does not allow in a file{office}; it was probably pasted with the "
                                f"text. Delete it; write a line break as a new line."))
    return problems


def without_raw_characters(text: str) -> str:
    """``text`` without the characters ``raw_character_problems`` reports (lines unchanged), to check the rest."""
    return _NOT_YAML.sub("", text)


def _parse(text: str, path: str) -> Any:
    raw = raw_character_problems(text, path)
    if raw:
        raise codebook_error(f"Cannot read codebook {path}", raw)
    y = _yaml()
    y.Composer = _CountingComposer
    y.Constructor = _Constructor
    try:
        data = y.load(text)
    except _TooManyValues as exc:
        where = f"{path}:{exc.line}" if exc.line is not None else path
        message = Errors.E045.format(where=where, limit=MAX_NODES).split("] ", 1)[1].removeprefix(f"{where}: ")
        problem = Problem(path, exc.line, "E045", message)
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        col = f", column {mark.column + 1}" if mark is not None else ""
        what = _cut(exc.problem or exc)
        context = f" ({_cut(exc.context)})" if exc.context else ""
        problem = Problem(path, line, "C001", f"YAML syntax error{col}: {what}{context}. Check indentation, "
                          "colons and quoting on this line and the one above.")
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    except (YAMLError, ValueError, TypeError) as exc:
        problem = Problem(path, None, "C001", f"YAML error: {_cut(exc)}")
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    except RecursionError:
        problem = Problem(path, None, "E035", "nested too deeply to read; this is not a codebook thematic writes.")
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    return data


def clip(value: Any, width: int = 80) -> str:
    """``str(value)`` cut to ``width`` characters for a message; a list or mapping is never expanded."""
    if isinstance(value, Mapping):
        return "{…}"
    if isinstance(value, (list, tuple, set)):
        return "[…]"
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def brief(value: Any, width: int = 80) -> str:
    """``repr(value)`` cut to ``width`` characters for a message (a list or mapping is only named)."""
    if isinstance(value, (Mapping, list, tuple, set)):
        return clip(value, width)
    return clip(repr(value), width)


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of a mapping (or of one of its keys) parsed by ruamel, if known."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is not None:
            return int(lc.key(key)[0]) + 1 if not isinstance(key, int) else int(lc.item(key)[0]) + 1
        return int(lc.line) + 1
    except (KeyError, TypeError, IndexError, AttributeError):
        return int(lc.line) + 1
