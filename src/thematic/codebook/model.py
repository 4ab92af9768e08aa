"""The Codebook record: themes and codes in a hierarchy, a semver version and a changes log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from ..models import Code


@dataclass(frozen=True, slots=True)
class Codebook:
    """A parsed codebook. ``entries`` holds themes and codes in file order, keyed by id."""

    name: str
    version: str
    entries: Mapping[str, Code]
    description: str = ""
    changes: tuple[Mapping[str, Any], ...] = ()
    schema_version: int = 1
    path: str | None = None
    content_hash: str = ""

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
        """Every non-theme entry (what suggesters predict and coders may apply)."""
        return self.codes


@dataclass(frozen=True, slots=True)
class CodebookVersionInfo:
    """A released version recorded in the store."""

    name: str
    version: str
    content_hash: str
    released_at: str
    extra: Mapping[str, Any] = field(default_factory=dict)
