"""Which files under data/raw/ are inputs to ingest."""

from __future__ import annotations

import os
from pathlib import Path

#: Extensions thematic can read (content sniffing decides the reader; this only finds candidates).
INPUT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx", ".vtt", ".srt", ".csv", ".tsv", ".xlsx",
                            ".pdf", ".odt", ".rtf"})
#: Files in data/raw/ that describe the study rather than hold transcripts.
NOT_TRANSCRIPTS = frozenset({"participants.csv", "participants.xlsx", "readme.md", "readme.txt"})


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


def discover_inputs(folder: Path) -> list[Path]:
    """Transcript and survey files below ``folder``, sorted, skipping hidden and lock files."""
    if not folder.is_dir():
        return []
    found = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES and p.name.lower() not in NOT_TRANSCRIPTS:
            found.append(p)
    return found
