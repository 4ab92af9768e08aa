"""Parsing codebook YAML text with line numbers: the piece both reading (``io``) and validating share."""

from __future__ import annotations

import threading
from typing import Any, Mapping

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import CodebookError, Errors, Problem, problems_message

#: The most values (mappings, lists, keys and scalars) a parsed codebook may hold once YAML aliases are
#: expanded. A 2 MB file written out holds about a million at most; a few hundred bytes of nested aliases
#: ("billion laughs") expand to billions and would take gigabytes to check or print.
MAX_NODES = 1_000_000


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


def _parse(text: str, path: str) -> Any:
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        col = f", column {mark.column + 1}" if mark is not None else ""
        what = " ".join(str(exc.problem or exc).split())
        context = f" ({' '.join(str(exc.context).split())})" if exc.context else ""
        problem = Problem(path, line, "C001", f"YAML syntax error{col}: {what}{context}. Check indentation, "
                          "colons and quoting on this line and the one above.")
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    except (YAMLError, ValueError, TypeError) as exc:
        problem = Problem(path, None, "C001", f"YAML error: {' '.join(str(exc).split())}")
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    except RecursionError:
        problem = Problem(path, None, "E035", "nested too deeply to read; this is not a codebook thematic writes.")
        raise codebook_error(f"Cannot read codebook {path}", [problem]) from None
    line = _overflow_line(data, MAX_NODES)
    if line is not False:
        where = f"{path}:{line}" if line is not None else path
        message = Errors.E045.format(where=where, limit=MAX_NODES).split("] ", 1)[1].removeprefix(f"{where}: ")
        problem = Problem(path, line, "E045", message)
        raise codebook_error(f"Cannot read codebook {path}", [problem])
    return data


def _overflow_line(data: Any, limit: int) -> int | None | bool:
    """False when ``data`` holds at most ``limit`` values counting each alias use; else the line of the key or
    entry being walked when the count ran over (None if unknown). Iterative, so deep nesting cannot recurse."""
    count = 0
    stack: list[tuple[Any, int | None]] = [(iter(((data, line_of(data)),)), None)]
    while stack:
        items, _ = stack[-1]
        step = next(items, _END)
        if step is _END:
            stack.pop()
            continue
        node, line = step
        count += 1
        if count > limit:
            return next((ln for _, ln in reversed(stack) if ln is not None), line)
        if isinstance(node, Mapping):
            pairs = [(x, _key_line(node, k)) for k, v in node.items() for x in (k, v)]
            stack.append((iter(pairs), line_of(node)))
        elif isinstance(node, (list, tuple)):
            stack.append((iter((x, line) for x in node), line))
    return False


def _key_line(node: Any, key: Any) -> int | None:
    try:
        return int(node.lc.key(key)[0]) + 1
    except Exception:  # noqa: BLE001 - a plain dict, an alias-merged key: no line
        return None


_END = object()


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
