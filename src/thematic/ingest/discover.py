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


def _visible_files(folder: Path, root: Path | None = None, *, follow_outside: bool = False) -> list[Path]:
    """Files below ``folder``, sorted, skipping hidden and lock files and entering symlinked folders.

    A linked folder whose target is inside ``root`` (the study; default ``folder``) is read like a subfolder, its
    files under their path through the link; one whose target is outside is returned itself (the caller refuses
    it, E030) unless ``follow_outside``. A link back to ``folder`` or above it (a loop), or to a folder already
    read, is not followed, and a file reached twice is listed once, by its own path when one has no link.
    """
    if not folder.is_dir():
        return []
    boundary = (root or folder).resolve()
    top = folder.resolve()
    out: list[Path] = []
    dirs: set[Path] = set()
    files: dict[Path, Path] = {}  # real path -> the path it is listed under
    links: list[Path] = []

    def visit(d: Path) -> None:
        real = d.resolve()
        if real in dirs:
            return
        dirs.add(real)
        try:
            entries = sorted(d.iterdir())
        except OSError:
            return
        for p in entries:
            if p.name.startswith((".", "~$")):
                continue
            if p.is_dir():
                if p.is_symlink():
                    links.append(p)
                else:
                    visit(p)
            elif p.is_file():
                target = p.resolve()
                if target not in files or target == Path(os.path.abspath(p)) != Path(os.path.abspath(files[target])):
                    files[target] = p  # a file's own path wins over a link to it

    visit(folder)
    while links:
        link = links.pop(0)
        target = link.resolve()
        if not follow_outside and not _inside(target, boundary, resolve=False):
            out.append(link)
        elif target not in dirs and not _inside(top, target, resolve=False):
            visit(link)  # else already read, or a loop back to the scanned folder (or above it)
    return sorted([*out, *files.values()])


def discover_inputs(folder: Path, root: Path | None = None, *, follow_outside: bool = False) -> list[Path]:
    """Every file below ``folder`` that ingest hands to a reader, sorted: all but hidden and lock files, the
    study's own (participants.csv/.xlsx, a README), REFI-QDA files (W507) and recordings or pictures (W535).
    The reader decides by content, and a file it cannot read (an old .doc) is a failed row, never silently
    passed over. Symlinked folders are entered as ``_visible_files`` says: one out of ``root`` (the study) is
    returned itself, for the caller to refuse (E030)."""
    return [p for p in _visible_files(folder, root, follow_outside=follow_outside)
            if p.name.lower() not in NOT_TRANSCRIPTS and p.suffix.lower() not in REFI_SUFFIXES
            and p.suffix.lower() not in MEDIA_SUFFIXES]


def passed_over_warnings(root: Path, folders: Iterable[str | Path]) -> tuple[str, ...]:
    """What a scan of ``folders`` passes over, said once a file: W507 for a REFI-QDA file (naming `thematic refi
    import`), W535 for a recording or picture (ingest reads text, so transcribe it first)."""
    out = []
    for folder in map(Path, folders):
        for p in _visible_files(folder, root):
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
