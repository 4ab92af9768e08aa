"""Exception types and the catalogue of coded, actionable messages.

Every message says what went wrong, where (file and line/offset when known) and what to do next.
The CLI prints ``str(error)`` on one line and exits 1; the library only raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class Errors:
    """Coded error messages (spaCy style). Format with ``Errors.E001.format(...)``."""

    E001 = (
        "[E001] No study found at or above '{path}'. Create one with `thematic init DIR`, "
        "or point to an existing study with `--study DIR`."
    )
    E002 = "[E002] '{path}' already holds a study (thematic.toml). Use it, or choose an empty folder."
    E003 = "[E003] {path}: invalid thematic.toml: {detail}. Fix the file (TOML syntax) and try again."
    E004 = "[E004] {path}: unknown setting '{key}' in [{section}]. {hint}"
    E010 = (
        "[E010] {path}: the store's schema version {found} is newer than this thematic "
        "({supported}). Upgrade thematic (`pip install -U thematic`)."
    )
    E011 = "[E011] {path}: the store is not a thematic database ({detail}). Move it aside and run `thematic ingest`."
    E012 = "[E012] Document '{document}' is not in the store. Run `thematic ingest` or check the id with `thematic status`."
    E013 = "[E013] Coding '{coding}' is not in the store. List codings with `study.codings()`."
    E014 = (
        "[E014] Offsets {start}:{end} are outside document '{document}' (length {length}). "
        "Offsets are code points into the normalised text, end exclusive."
    )
    E015 = "[E015] Segment '{segment}' is not in the store. Segment ids look like 'document-id:12'."
    E016 = "[E016] Unknown coding status '{status}'. Use one of: {allowed}."
    E017 = "[E017] Batch '{batch}' is not in the store. List batches with `thematic status`."
    E020 = "[E020] {path}: {detail}"
    E021 = "[E021] {path}: could not read the file ({detail}). Check that it exists and is readable."


class Warnings:
    """Coded warning messages."""

    W001 = "[W001] {path}: not valid UTF-8; decoded as Windows-1252 (cp1252). Check accented characters."
    W002 = (
        "[W002] No trained English spaCy pipeline is installed; using a blank pipeline ({task} will "
        "miss names inside the text). Install it with `pip install \"thematic[ner]\"`."
    )


class ThematicError(Exception):
    """Base class of every error thematic raises on purpose."""

    code: str = "E000"


class StudyError(ThematicError):
    """The study folder or its settings are missing or invalid."""


class StoreError(ThematicError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(ThematicError, KeyError):
    """A document, segment, coding, code or batch does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InputError(ThematicError, ValueError):
    """A file or argument given by the user cannot be used as it is."""


class TranscriptParseError(InputError):
    """A transcript, subtitle or survey file cannot be read."""


class CodebookError(InputError):
    """A codebook file is invalid; carries every problem found."""


class NotFittedError(ThematicError, ValueError, AttributeError):
    """A suggester was used before ``fit``."""


class OptionalDependencyError(ThematicError, ImportError):
    """A feature needs an optional extra that is not installed."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found while validating a file: where it is and how to fix it."""

    path: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: [{self.code}] {self.message}"


def problems_message(title: str, problems: list[Problem]) -> str:
    """Join problems into one message, so a researcher can fix a file in one pass."""
    lines = [f"{title} ({len(problems)} problem{'s' if len(problems) != 1 else ''}):"]
    lines.extend(f"  {p}" for p in problems)
    return "\n".join(lines)


def display_path(path: str | Path) -> str:
    """A path as the user typed it or relative to the working folder when shorter."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
        return str(rel)
    except (ValueError, OSError):
        return str(p)
