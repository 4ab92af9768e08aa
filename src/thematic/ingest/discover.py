"""Which files under data/raw/ are inputs to ingest."""

from __future__ import annotations

from pathlib import Path

#: Extensions thematic can read (content sniffing decides the reader; this only finds candidates).
INPUT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx", ".vtt", ".srt", ".csv", ".tsv", ".xlsx",
                            ".pdf", ".odt", ".rtf"})
#: Files in data/raw/ that describe the study rather than hold transcripts.
NOT_TRANSCRIPTS = frozenset({"participants.csv", "participants.xlsx", "readme.md", "readme.txt"})


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
