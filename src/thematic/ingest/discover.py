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
#: Recordings and pictures kept beside transcripts: passed over with one W535 each, not failed rows.
MEDIA_SUFFIXES = frozenset({
    ".mp3", ".m4a", ".wav", ".aac", ".flac", ".ogg", ".oga", ".opus", ".wma", ".aif", ".aiff", ".amr",
    ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".wmv", ".3gp",
    ".jpg", ".jpeg", ".png", ".gif", ".heic", ".tif", ".tiff", ".bmp", ".webp"})


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
    study's own (participants.csv/.xlsx, a README), REFI-QDA files (W507) and recordings or pictures (W535).
    The reader decides by content, and a file it cannot read (an old .doc) is a failed row, never silently
    passed over."""
    return [p for p in _visible_files(folder)
            if p.name.lower() not in NOT_TRANSCRIPTS and p.suffix.lower() not in REFI_SUFFIXES
            and p.suffix.lower() not in MEDIA_SUFFIXES]


def passed_over_warnings(root: Path, folders: Iterable[str | Path]) -> tuple[str, ...]:
    """What a scan of ``folders`` passes over, said once a file: W507 for a REFI-QDA file (naming `thematic refi
    import`), W535 for a recording or picture (ingest reads text, so transcribe it first)."""
    out = []
    for folder in map(Path, folders):
        for p in _visible_files(folder):
            suffix = p.suffix.lower()
            if suffix not in REFI_SUFFIXES and suffix not in MEDIA_SUFFIXES:
                continue
            try:
                shown = p.absolute().relative_to(root.absolute()).as_posix()
            except ValueError:
                shown = str(p)
            out.append(Warnings.W507.format(path=shown, kind=REFI_SUFFIXES[suffix]) if suffix in REFI_SUFFIXES
                       else Warnings.W535.format(path=shown))
    return tuple(dict.fromkeys(out))
