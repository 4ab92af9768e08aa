"""The codebook record: themes and codes in a hierarchy, a semver version and a changes log (no operations).

Diff and migrate take this record; ``model.Codebook`` adds them as methods on top, so they never import it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..models import Code
from .changes import ChangeEntry
from .semver import semver_key

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class CodebookRecord:
    """A parsed codebook. ``entries`` holds themes and codes in file order, keyed by id: a read-only view of the
    codebook's own copy, since the study hands out one cached codebook that guards what may be coded.

    ``changes`` keeps the raw ``changes`` log mappings; ``change_log`` the same entries parsed.
    """

    name: str
    version: str
    entries: Mapping[str, Code]
    description: str = ""
    changes: tuple[Mapping[str, Any], ...] = ()
    schema_version: int = 1
    path: str | None = None
    content_hash: str = ""
    change_log: tuple[ChangeEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", MappingProxyType(dict(self.entries)))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled (for worker processes) and copied as its fields, ``entries`` as a plain dict: a read-only
        view does not pickle, and ``__post_init__`` makes it one again."""
        return type(self), tuple(dict(self.entries) if f.name == "entries" else getattr(self, f.name)
                                 for f in fields(self))

    @property
    def themes(self) -> list[Code]:
        """Top-level entries (no parent), in file order."""
        return [c for c in self.entries.values() if c.parent is None]

    @property
    def codes(self) -> list[Code]:
        """Every entry that has a parent (codes and sub-codes at any depth), in file order."""
        return [c for c in self.entries.values() if c.parent is not None]

    def __iter__(self) -> Iterator[Code]:
        return iter(self.entries.values())

    def __contains__(self, code_id: object) -> bool:
        return code_id in self.entries

    def __getitem__(self, code_id: str) -> Code:
        return self.entries[code_id]

    def __len__(self) -> int:
        return len(self.entries)

    def children(self, code_id: str | None) -> list[Code]:
        """Direct children of ``code_id`` (themes when None)."""
        return [c for c in self.entries.values() if c.parent == code_id]

    def descendants(self, code_id: str) -> list[Code]:
        """Every entry below ``code_id``, depth first."""
        out: list[Code] = []
        for child in self.children(code_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def ancestors(self, code_id: str) -> list[Code]:
        """Parents of ``code_id`` from the nearest up to its theme."""
        out: list[Code] = []
        seen = {code_id}
        parent = self.entries[code_id].parent
        while parent is not None and parent in self.entries and parent not in seen:
            seen.add(parent)
            out.append(self.entries[parent])
            parent = self.entries[parent].parent
        return out

    def theme_of(self, code_id: str) -> Code:
        """The top-level theme a code sits under (itself for a theme)."""
        chain = self.ancestors(code_id)
        return chain[-1] if chain else self.entries[code_id]

    def leaf_codes(self) -> list[Code]:
        """Codes with no children: what coders apply."""
        parents = {c.parent for c in self.entries.values()}
        return [c for c in self.codes if c.id not in parents]

    def codable(self) -> list[Code]:
        """Every non-theme entry that is not retired (what suggesters predict and coders may apply)."""
        retired = self.retired
        return [c for c in self.codes if c.id not in retired]

    @property
    def retired(self) -> frozenset[str]:
        """Ids retired by a released ``retire`` entry; still listed so old codings keep their label."""
        return frozenset(s for e in self.released_changes() if e.kind == "retire" for s in e.sources)

    def released_changes(self) -> list[ChangeEntry]:
        """Change entries up to this codebook's version, oldest first (later ones are pending)."""
        mine = semver_key(self.version)
        entries = [e for e in self.change_log if semver_key(e.version) <= mine]
        return sorted(entries, key=lambda e: (semver_key(e.version), e.index))

    def pending_changes(self) -> list[ChangeEntry]:
        """Change entries written for a version above this one: applied once the codebook is bumped."""
        mine = semver_key(self.version)
        return [e for e in self.change_log if semver_key(e.version) > mine]

    def depth(self, code_id: str) -> int:
        """0 for a theme, 1 for a code under a theme, 2 for a sub-code, and so on."""
        return len(self.ancestors(code_id))

    def to_frame(self) -> "pd.DataFrame":
        """One row per entry: id, label, parent, theme, depth, is_theme, retired, definition, line."""
        import pandas as pd

        rows = [
            {"code_id": c.id, "label": c.label, "parent": c.parent, "theme": self.theme_of(c.id).id,
             "depth": self.depth(c.id), "is_theme": c.is_theme, "retired": c.id in self.retired,
             "definition": c.definition, "n_keywords": len(c.keywords), "n_patterns": len(c.patterns),
             "color": c.color, "line": c.line}
            for c in self.entries.values()
        ]
        return pd.DataFrame(rows, columns=["code_id", "label", "parent", "theme", "depth", "is_theme", "retired",
                                           "definition", "n_keywords", "n_patterns", "color", "line"])


@dataclass(frozen=True, slots=True)
class CodebookVersionInfo:
    """A released version recorded in the store."""

    name: str
    version: str
    content_hash: str
    released_at: str
    extra: Mapping[str, Any] = field(default_factory=dict)
