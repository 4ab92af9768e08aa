"""Reading codebook YAML into a Codebook, keeping line numbers for error messages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import CodebookError, Problem, problems_message
from ..models import Code
from .model import Codebook


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    return y


def parse_yaml(text: str, path: str) -> Any:
    """Parse YAML text; a syntax error becomes one CodebookError with its line and column."""
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        col = f", column {mark.column + 1}" if mark is not None else ""
        problem = Problem(path, line, "C001", f"YAML syntax error{col}: {exc.problem}. Check indentation and quoting.")
        raise CodebookError(problems_message(f"Cannot read codebook {path}", [problem])) from exc
    except YAMLError as exc:
        problem = Problem(path, None, "C001", f"YAML error: {exc}")
        raise CodebookError(problems_message(f"Cannot read codebook {path}", [problem])) from exc


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


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _to_plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_plain(v) for v in value]
    return value


def entry_from_mapping(item: Any, *, is_theme: bool) -> Code:
    """Build a Code from one parsed YAML mapping (assumed already validated)."""
    return Code(
        id=str(item["id"]),
        label=str(item.get("label") or item["id"]),
        parent=None if is_theme else (str(item["parent"]) if item.get("parent") is not None else None),
        definition=str(item.get("definition") or "").strip(),
        include=_strings(item.get("include")),
        exclude=_strings(item.get("exclude")),
        examples=_strings(item.get("examples")),
        keywords=_strings(item.get("keywords")),
        patterns=tuple(_to_plain(p) for p in (item.get("patterns") or ())),
        color=str(item["color"]) if item.get("color") else None,
        memo=str(item["memo"]) if item.get("memo") else None,
        is_theme=is_theme,
        line=line_of(item),
    )


def codebook_from_data(data: Any, *, path: str, content_hash: str = "") -> Codebook:
    """Build a Codebook from parsed YAML, raising one CodebookError listing every problem."""
    from .validate import validate_data

    problems = validate_data(data, path)
    if problems:
        raise CodebookError(problems_message(f"Codebook {path} is invalid", problems))
    entries: dict[str, Code] = {}
    for item in data.get("themes") or []:
        code = entry_from_mapping(item, is_theme=True)
        entries[code.id] = code
    for item in data.get("codes") or []:
        code = entry_from_mapping(item, is_theme=False)
        entries[code.id] = code
    return Codebook(
        name=str(data.get("name") or Path(path).stem),
        version=str(data.get("version")),
        entries=entries,
        description=str(data.get("description") or "").strip(),
        changes=tuple(_to_plain(c) for c in (data.get("changes") or ())),
        schema_version=int(data.get("schema_version", 1)),
        path=path,
        content_hash=content_hash,
    )


def loads_codebook(text: str, *, path: str = "<codebook>") -> Codebook:
    """Parse codebook YAML text."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return codebook_from_data(parse_yaml(text, path), path=path, content_hash=digest)


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file; every problem is reported at once with file:line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"[E021] {p}: could not read the codebook ({exc}). Check the path and encoding.") from exc
    return loads_codebook(text, path=str(p))
