"""The versioned codebook (DESIGN.md §3): model, YAML io, validate, diff, release, migrate, export."""

from .changes import ChangeEntry
from .diff import CodebookDiff, CodeChange, diff_codebooks
from .document import codebook_markdown, export_codebook
from .io import load_codebook, loads_codebook
from .migrate import MigrationReport, migrate, plan_migration
from .model import Codebook
from .release import Release, release_codebook, release_state, resolve_codebook
from .semver import bump_version
from .usage import code_usage
from .validate import validate_codebook, validate_text

__all__ = [
    "ChangeEntry",
    "CodeChange",
    "Codebook",
    "CodebookDiff",
    "MigrationReport",
    "Release",
    "bump_version",
    "code_usage",
    "codebook_markdown",
    "diff_codebooks",
    "export_codebook",
    "load_codebook",
    "loads_codebook",
    "migrate",
    "plan_migration",
    "release_codebook",
    "release_state",
    "resolve_codebook",
    "validate_codebook",
    "validate_text",
]
