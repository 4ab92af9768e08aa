"""REFI codes -> a thematic codebook YAML (what ``thematic.load_codebook`` reads).

Ids are the ``thematic-id`` a thematic export wrote, else slugified names made unique. A REFI code
at the top level becomes a theme when it is not codable, or has sub-codes and no codings of its own;
other top-level codes (flat codebooks such as ATLAS.ti's, and codable parents that hold codings, with
their sub-codes under them) go under one theme, ``imported_codes``.
The REFI GUID (and the code's sets) are kept in the code's ``memo``.
A code a thematic export marked retired or split away (a ``thematic-retired:`` or ``thematic-split:`` line)
gets its changes-log entry back, dated to the new codebook's version so that it is in effect there; one the
exporting codebook no longer defined (a top-level code without sub-codes) is left out of the codes again.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from ..codebook.semver import semver_key
from .description import Lifecycle, memo_with_guid, parse_description
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
    omitted: set[str] = field(default_factory=set)  # ids of codes split away or retired and no longer defined
    carried: list[str] = field(default_factory=list)  # what the exporting codebook retired or split, in words
    lifecycle: set[str] = field(default_factory=set)  # ids the file marks retired or split away (thematic-…: lines)


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


def _changes(lives: dict[str, Lifecycle], ids: dict[str, str], codes: set[str], result: CodebookMap) -> list[Any]:
    """The retire and split entries of the exporting codebook, all dated to the new codebook's version (splits
    first, so no split moves codings into an id retired before it). A split keeps the targets this codebook
    defines; one left with fewer than two becomes a retirement naming them, so the code still cannot be applied."""
    order = sorted(lives.items(), key=lambda kv: (kv[1].kind != "split", semver_key(kv[1].version), ids[kv[0]]))
    out: list[Any] = []
    for guid, life in order:
        code_id = ids[guid]
        if code_id not in codes and code_id not in result.omitted:
            continue  # a theme now (another program moved codes under it): no theme is retired or split
        targets = [t for t in life.targets if t in codes and t != code_id]
        if life.kind == "split" and len(targets) >= 2:
            entry: dict[str, Any] = {"version": result.version, "split": {"from": code_id, "into": targets}}
            result.carried.append(f"{code_id} (split in {life.version} into {', '.join(targets)})")
        else:
            entry = {"version": result.version, "retire": {"code": code_id}}
            how = f"split in {life.version} into {', '.join(life.targets)}" if life.kind == "split" else \
                f"retired in {life.version}"
            result.carried.append(f"{code_id} ({how})")
            if life.kind == "split":
                life = Lifecycle("retired", life.version, (), "; ".join(x for x in (how, life.note) if x))
        if life.note:
            entry["note"] = life.note
        out.append(entry)
    return out


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
    lives = {c.guid: life for c, _ in project.all_codes() if (life := parse_description(c.description).lifecycle)}
    # a code the exporting codebook no longer defined (split away, or retired and deleted) sits at the top level
    omitted = {c.guid for c in project.codes if c.guid in lives and not c.children}
    tops = [c for c in project.codes if c.guid not in omitted]
    # a codable parent that holds codings of its own stays a code (its sub-codes under it): codings never sit on a theme
    flat = {c.guid for c in tops if c.codable and (not c.children or c.guid in coded)}
    if not flat and all(not c.children for c in tops):  # only non-codable leaves: still codes
        flat = {c.guid for c in tops}
    flat_theme = unique(FLAT_THEME, taken) if flat else None
    themes: list[dict[str, Any]] = []
    codes: list[dict[str, Any]] = []
    if flat_theme:
        themes.append({"id": flat_theme, "label": "Imported codes",
                       "definition": f"Codes that had no parent in {source}; group them into themes."})
    result = CodebookMap("", ids, {flat_theme} if flat_theme else set(), name=name,
                         omitted={ids[g] for g in omitted}, lifecycle={ids[g] for g in lives})
    for code, parent in project.all_codes():
        if code.guid in omitted:
            continue
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
    changes = _changes(lives, ids, {c["id"] for c in codes}, result)
    data = {
        "name": name, "version": result.version,
        "description": f"Imported from {source} ({project.origin or 'unknown program'}) on {date.today().isoformat()}.",
        "schema_version": 1, "changes": changes, "themes": themes, "codes": codes,
    }
    yaml = YAML()
    yaml.width = 100
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(data, buf)
    result.yaml_text, result.n_codes = buf.getvalue(), len(ids)
    return result
