"""Parsing codebook YAML text with line numbers: the piece both reading (``io``) and validating share."""

from __future__ import annotations

import threading
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import CodebookError, Problem, problems_message


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
        return _yaml().load(text)
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
