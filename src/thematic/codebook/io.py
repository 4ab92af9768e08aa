"""Reading codebook YAML into a Codebook, keeping line numbers for error messages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..models import Code
from .changes import parse_changes
from .model import Codebook
from .files import BOM, read_codebook_text
from .files import MAX_CODEBOOK_BYTES as MAX_CODEBOOK_BYTES
from .files import read_codebook_raw as read_codebook_raw
from .parse import codebook_error, line_of, parse_yaml
from .validate import validate_data


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
    problems = validate_data(data, path)
    if problems:
        raise codebook_error(f"Codebook {path} is invalid", problems)
    entries: dict[str, Code] = {}
    for item in data.get("themes") or []:
        code = entry_from_mapping(item, is_theme=True)
        entries[code.id] = code
    for item in data.get("codes") or []:
        code = entry_from_mapping(item, is_theme=False)
        entries[code.id] = code
    raw_changes = data.get("changes") or []
    change_lines = [line_of(raw_changes, i) for i in range(len(raw_changes))]
    return Codebook(
        name=str(data.get("name") or Path(path).stem),
        version=str(data.get("version")),
        entries=entries,
        description=str(data.get("description") or "").strip(),
        changes=tuple(_to_plain(c) for c in raw_changes),
        change_log=parse_changes(raw_changes, change_lines),
        schema_version=int(data.get("schema_version", 1)),
        path=path,
        content_hash=content_hash,
    )




def content_digest(text: str) -> str:
    """The content hash of codebook text: SHA-256 of it without a BOM and with LF line endings.

    So a file saved with CRLF (or a BOM) by another editor is the same release as its frozen copy.
    """
    return hashlib.sha256(text.removeprefix(BOM).replace("\r\n", "\n").encode("utf-8")).hexdigest()


def loads_codebook(text: str, *, path: str = "<codebook>") -> Codebook:
    """Parse and validate codebook YAML text (see ``load_codebook``); a leading BOM is ignored."""
    return codebook_from_data(parse_yaml(text.removeprefix(BOM), path), path=path, content_hash=content_digest(text))


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file; every problem is reported at once with file:line.

    Raises:
        CodebookError: the file is unreadable, not YAML, or invalid (``error.problems`` lists each).

    Example:
        >>> cb = load_codebook("codebooks/peer-work-desistance.yaml")
        >>> cb.version, len(cb.codes)
    """
    return loads_codebook(read_codebook_text(path), path=str(path))
