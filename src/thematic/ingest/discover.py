"""Which files under data/raw/ are inputs to ingest."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

from .._files import file_kind
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
    """Files below ``folder``, sorted, skipping hidden and lock files and entering symlinked folders (``_scan``)."""
    return _scan(folder, root, follow_outside=follow_outside)[0]


def _scan(folder: Path, root: Path | None = None, *, follow_outside: bool = False
          ) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """(files below ``folder``, sorted; entries that are neither file nor folder, or cannot be listed, as
    ``(path, what, detail)`` with ``what`` one of ``link`` (its target is not there), ``kind`` (a pipe, device or
    socket) and ``folder`` (cannot be listed)), skipping hidden and lock files. Nothing is opened but folders.

    A linked folder whose target is inside ``root`` (the study; default ``folder``) is read like a subfolder, its
    files under their path through the link; one whose target is outside is returned itself (the caller refuses
    it, E030) unless ``follow_outside``. A link back to ``folder`` or above it (a loop), or to a folder already
    read, is not followed, and a file reached twice is listed once, by its own path when one has no link.
    """
    if not folder.is_dir():
        return [], []
    boundary = (root or folder).resolve()
    top = folder.resolve()
    out: list[Path] = []
    dirs: set[Path] = set()
    files: dict[Path, Path] = {}  # real path -> the path it is listed under
    links: list[Path] = []
    unread: list[tuple[Path, str, str]] = []

    def visit(d: Path) -> None:
        real = d.resolve()
        if real in dirs:
            return
        dirs.add(real)
        try:
            entries = sorted(d.iterdir())
        except OSError as exc:
            unread.append((d, "folder", exc.strerror or str(exc)))
            return
        for p in entries:
            if p.name.startswith((".", "~$")):
                continue
            try:
                mode = p.stat().st_mode
            except OSError as exc:
                if p.is_symlink():
                    unread.append((p, "link", os.path.normpath(p.parent / os.readlink(p))))
                elif not isinstance(exc, FileNotFoundError):  # removed since the listing: nothing to say
                    unread.append((d, "folder", exc.strerror or str(exc)))
                    return
                continue
            if stat.S_ISDIR(mode):
                if p.is_symlink():
                    links.append(p)
                else:
                    visit(p)
            elif stat.S_ISREG(mode):
                target = p.resolve()
                if target not in files or target == Path(os.path.abspath(p)) != Path(os.path.abspath(files[target])):
                    files[target] = p  # a file's own path wins over a link to it
            else:
                unread.append((p, "kind", file_kind(mode) or "not a plain file"))

    visit(folder)
    while links:
        link = links.pop(0)
        target = link.resolve()
        if not follow_outside and not _inside(target, boundary, resolve=False):
            out.append(link)
        elif target not in dirs and not _inside(top, target, resolve=False):
            visit(link)  # else already read, or a loop back to the scanned folder (or above it)
    return sorted([*out, *files.values()]), unread


def discover_inputs(folder: Path, root: Path | None = None, *, follow_outside: bool = False) -> list[Path]:
    """Every file below ``folder`` that ingest hands to a reader, sorted: all but hidden and lock files, the
    study's own (participants.csv/.xlsx, a README), REFI-QDA files (W507) and recordings or pictures (W535).
    The reader decides by content, and a file it cannot read (an old .doc) is a failed row, never silently
    passed over. Symlinked folders are entered as ``_scan`` says: one out of ``root`` (the study) is returned
    itself, for the caller to refuse (E030). What is neither a file nor a folder (a broken link, a pipe) or cannot
    be listed is never returned: ``unread_entries`` names it."""
    return [p for p in _visible_files(folder, root, follow_outside=follow_outside)
            if p.name.lower() not in NOT_TRANSCRIPTS and p.suffix.lower() not in REFI_SUFFIXES
            and p.suffix.lower() not in MEDIA_SUFFIXES]


def unread_entries(root: Path, folders: Iterable[str | Path]) -> list[tuple[str, str]]:
    """(path shown from ``root``, warning) for each entry of ``folders`` that ingest cannot read and no reader is
    given: W516 a link to a file that is not there, W517 a pipe, device or socket (never opened: it can be
    endless), W518 a folder that cannot be listed. Hidden entries stay left out."""
    out: dict[str, str] = {}
    for folder in map(Path, folders):
        for p, what, detail in _scan(folder, root)[1]:
            shown = _shown(root, p)
            out.setdefault(shown, Warnings.W516.format(path=shown, target=detail) if what == "link" else
                           Warnings.W517.format(path=shown, kind=detail) if what == "kind" else
                           Warnings.W518.format(path=shown, detail=detail))
    return sorted(out.items())


def _shown(root: Path, path: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def passed_over_warnings(root: Path, folders: Iterable[str | Path]) -> tuple[str, ...]:
    """What a scan of ``folders`` passes over, said once a file: W507 for a REFI-QDA file (naming `thematic refi
    import`), W535 for a recording or picture (ingest reads text, so transcribe it first), and W516-W518 for
    what cannot be read (``unread_entries``)."""
    folders = list(folders)
    out = []
    for folder in map(Path, folders):
        for p in _visible_files(folder, root):
            suffix = p.suffix.lower()
            if suffix not in REFI_SUFFIXES and suffix not in MEDIA_SUFFIXES:
                continue
            shown = _shown(root, p)
            out.append(Warnings.W507.format(path=shown, kind=REFI_SUFFIXES[suffix]) if suffix in REFI_SUFFIXES
                       else Warnings.W535.format(path=shown))
    out.extend(warning for _, warning in unread_entries(root, folders))
    return tuple(dict.fromkeys(out))
