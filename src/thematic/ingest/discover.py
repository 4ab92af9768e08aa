"""Which files under data/raw/ are inputs to ingest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..errors import Warnings

#: Files in data/raw/ that describe the study rather than hold transcripts.
NOT_TRANSCRIPTS = frozenset({"participants.csv", "participants.xlsx", "readme.md", "readme.txt"})
#: REFI-QDA files (read by ``thematic refi import``, never by ingest): suffix -> what it holds.
REFI_SUFFIXES = {".qdpx": "project", ".qde": "project", ".qdc": "codebook"}


def outside(root: Path, path: Path) -> Path | None:
    """Where ``path`` really points when a symlink takes it out of ``root`` (the study), else None.

    A plain file outside the study that the user named is not a symlink escape and is allowed.
    """
    target = path.resolve()
    if _inside(target, root) or (Path(os.path.abspath(path)) == target and not _inside(target, root, resolve=False)
                                 and not _inside(Path(os.path.abspath(path)), root)):
        return None
    return target


def _inside(path: Path, root: Path, *, resolve: bool = True) -> bool:
    try:
        path.relative_to(root.resolve() if resolve else root)
    except ValueError:
        return False
    return True


def _visible_files(folder: Path) -> list[Path]:
    """Files below ``folder``, sorted, skipping hidden and lock files."""
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.rglob("*"))
            if not any(part.startswith((".", "~$")) for part in p.relative_to(folder).parts) and p.is_file()]


def discover_inputs(folder: Path) -> list[Path]:
    """Every file below ``folder`` that ingest hands to a reader, sorted: all but hidden and lock files, the
    study's own (participants.csv/.xlsx, a README) and REFI-QDA files (W507). The reader decides by content,
    and a file it cannot read (an old .doc, an image) is a failed row, never silently passed over."""
    return [p for p in _visible_files(folder)
            if p.name.lower() not in NOT_TRANSCRIPTS and p.suffix.lower() not in REFI_SUFFIXES]


def refi_files(folder: Path) -> list[Path]:
    """REFI-QDA projects and codebooks below ``folder``: a folder scan passes over them, so ingest names them."""
    return [p for p in _visible_files(folder) if p.suffix.lower() in REFI_SUFFIXES]


def refi_warnings(root: Path, folders: Iterable[str | Path]) -> tuple[str, ...]:
    """W507 for each REFI-QDA file in ``folders`` (those an ingest scans), naming `thematic refi import` for it."""
    out = []
    for folder in map(Path, folders):
        for p in refi_files(folder):
            try:
                shown = p.absolute().relative_to(root.absolute()).as_posix()
            except ValueError:
                shown = str(p)
            out.append(Warnings.W507.format(path=shown, kind=REFI_SUFFIXES[p.suffix.lower()]))
    return tuple(dict.fromkeys(out))
