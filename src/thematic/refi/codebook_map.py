"""REFI codes -> a thematic codebook YAML (what ``thematic.load_codebook`` reads).

Ids are the ``thematic-id`` a thematic export wrote, else slugified names made unique. A REFI code
at the top level becomes a theme when it is not codable, or has sub-codes and no codings of its own;
other top-level codes (flat codebooks such as ATLAS.ti's, and codable parents that hold codings, with
their sub-codes under them) go under one theme, ``imported_codes``.
The REFI GUID (and the code's sets) are kept in the code's ``memo``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from .description import memo_with_guid, parse_description
from .model import RefiCode, RefiProject
from .text import slugify, unique

FLAT_THEME = "imported_codes"
NO_DEFINITION = "Imported from REFI-QDA without a description; write one."
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


@dataclass(slots=True)
class CodebookMap:
    """The codebook YAML to write and how REFI code GUIDs map onto its ids."""

    yaml_text: str
    code_ids: dict[str, str] = field(default_factory=dict)  # REFI guid -> thematic id
    theme_ids: set[str] = field(default_factory=set)
    n_codes: int = 0
    version: str = "0.1.0"
    name: str = "refi-import"


def _multiline(text: str) -> Any:
    return LiteralScalarString(text) if "\n" in text else text


def _entry(code: RefiCode, code_id: str, parent: str | None, memo: str) -> dict[str, Any]:
    parsed = parse_description(code.description)
    entry: dict[str, Any] = {"id": code_id, "label": code.name}
    if parent is not None:
        entry["parent"] = parent
    entry["definition"] = _multiline(parsed.definition or NO_DEFINITION)
    for key in ("include", "exclude", "examples"):
        if items := getattr(parsed, key):
            entry[key] = list(items)
    if code.color and _HEX.match(code.color.strip()):
        hex_digits = code.color.strip()[1:]
        entry["color"] = "#" + (hex_digits if len(hex_digits) == 6 else "".join(c * 2 for c in hex_digits)).upper()
    entry["memo"] = _multiline(memo)
    return entry


def _assign_ids(project: RefiProject, taken: set[str]) -> dict[str, str]:
    """REFI guid -> unique snake_case id: the recorded ``thematic-id`` first, else the slugified name."""
    ids: dict[str, str] = {}
    for code, _ in project.all_codes():
        wanted = parse_description(code.description).code_id
        if wanted and _ID.match(wanted) and wanted not in taken:
            ids[code.guid] = unique(wanted, taken)
    for code, _ in project.all_codes():
        if code.guid not in ids:
            ids[code.guid] = unique(slugify(code.name, fallback="code"), taken)
    return ids


def map_codebook(project: RefiProject, *, name: str, source: str, notes: dict[str, str]) -> CodebookMap:
    """Build the codebook YAML for ``project``'s codes.

    Args:
        project: the parsed REFI project or codebook.
        name: the codebook's name.
        source: the imported file's name, for the description.
        notes: note GUID -> text, for code memos.
    """
    sets_of: dict[str, list[str]] = {}
    for s in project.sets:
        for g in s.code_guids:
            sets_of.setdefault(g, []).append(s.name)
    taken: set[str] = set()
    ids = _assign_ids(project, taken)
    coded = {c.code_guid for src in project.sources for sel in [src, *src.selections] for c in sel.codings}
    # a codable parent that holds codings of its own stays a code (its sub-codes under it): codings never sit on a theme
    flat = {c.guid for c in project.codes if c.codable and (not c.children or c.guid in coded)}
    if not flat and all(not c.children for c in project.codes):  # only non-codable leaves: still codes
        flat = {c.guid for c in project.codes}
    flat_theme = unique(FLAT_THEME, taken) if flat else None
    themes: list[dict[str, Any]] = []
    codes: list[dict[str, Any]] = []
    if flat_theme:
        themes.append({"id": flat_theme, "label": "Imported codes",
                       "definition": f"Codes that had no parent in {source}; group them into themes."})
    result = CodebookMap("", ids, {flat_theme} if flat_theme else set(), name=name)
    for code, parent in project.all_codes():
        memo = "\n\n".join([*(notes[g] for g in code.note_guids if notes.get(g)),
                            memo_with_guid(None, code.guid, sets_of.get(code.guid, []))])
        if parent is None and code.guid not in flat:
            themes.append(_entry(code, ids[code.guid], None, memo))
            result.theme_ids.add(ids[code.guid])
        else:
            parent_id = ids[parent.guid] if parent is not None else flat_theme
            codes.append(_entry(code, ids[code.guid], parent_id, memo))
    if not codes:
        return result  # nothing to write: a codebook needs at least one code
    data = {
        "name": name, "version": result.version,
        "description": f"Imported from {source} ({project.origin or 'unknown program'}) on {date.today().isoformat()}.",
        "schema_version": 1, "changes": [], "themes": themes, "codes": codes,
    }
    yaml = YAML()
    yaml.width = 100
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(data, buf)
    result.yaml_text, result.n_codes = buf.getvalue(), len(ids)
    return result
