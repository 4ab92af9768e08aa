"""Document ids: stable slugs of the path relative to data/raw (``interviews/p01-dan.txt`` -> ``interviews-p01-dan``)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(relative: str) -> str:
    """Lower-case ASCII slug of a relative path without its extension; ``document`` if nothing is left."""
    p = PurePosixPath(relative.replace("\\", "/"))
    stem = str(p.with_suffix("")) if p.suffix else str(p)
    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_.lower()).strip("-")
    return slug or "document"


def raw_relative(path: Path) -> str:
    """The path relative to the nearest ``data/raw`` folder above it, else its file name."""
    parts = path.resolve().parts
    for i in range(len(parts) - 2, 0, -1):
        if parts[i - 1] == "data" and parts[i] == "raw":
            return "/".join(parts[i + 1:])
    return path.name


def assign_ids(items: Iterable[tuple[str, str]], existing: Mapping[str, str] | None = None) -> dict[str, str]:
    """Unique ids for files given as (identity, path relative to data/raw); ``existing`` maps identity -> id.

    A file stored before keeps its id. A clash (``a.txt`` and ``a.docx``) is resolved by adding the
    extension, then a number.
    """
    existing = dict(existing or {})
    taken = set(existing.values())
    out: dict[str, str] = {}
    for identity, rel in items:
        if identity in existing:
            out[identity] = existing[identity]
            continue
        base = slugify(rel)
        candidate, n = base, 1
        if candidate in taken:
            suffix = PurePosixPath(rel).suffix.lstrip(".").lower()
            candidate = f"{base}-{suffix}" if suffix else base
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        out[identity] = candidate
    return out
