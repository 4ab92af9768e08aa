"""REFI-QDA XML -> RefiProject, tolerant of what vendors really write.

Any namespace (``urn:QDA-XML:project:1.0``, ``codebook:1.0``, ``codebook:1:0``, ``0:4``) or none is
accepted: elements are matched by local name. Bad elements are skipped with a note in
``project.skipped`` rather than failing the whole import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any, Iterator
from xml.etree.ElementTree import Element

from ..errors import Errors, Warnings
from .guids import normalise_guid
from .model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from .safety import RefiError

MEDIA_SELECTIONS = {"PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection", "TranscriptSelection"}
UNSUPPORTED_SECTIONS = {"Graphs": "Graph", "Links": "Link"}
_XSD_INTEGER = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: int() also takes "1_0" and other scripts' digits
_MAX_DIGITS = 4000


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def kids(el: Element, name: str | None = None) -> Iterator[Element]:
    """Direct children, optionally only those with local name ``name``."""
    for child in el:
        if isinstance(child.tag, str) and (name is None or local(child.tag) == name):
            yield child


def first(el: Element, name: str) -> Element | None:
    """The first direct child named ``name``."""
    return next(kids(el, name), None)


def text_of(el: Element, name: str) -> str:
    """The text of the first child named ``name`` ('' when absent)."""
    child = first(el, name)
    return (child.text or "") if child is not None else ""


def guid_attr(el: Element, name: str = "guid") -> str:
    """An attribute holding a GUID, normalised (vendors write non-GUID ids too: kept as they are)."""
    return normalise_guid(el.get(name, "")) if el.get(name) else ""


def refs(el: Element, name: str) -> list[str]:
    """The ``targetGUID`` of every child named ``name`` (NoteRef, CodeRef, MemberSource ...)."""
    out = []
    for child in kids(el, name):
        target = child.get("targetGUID") or child.get("guid")  # codebook MemberCode uses guid
        if target:
            out.append(normalise_guid(target))
    return out


def when(value: str | None) -> datetime | None:
    """An xsd:dateTime as an aware datetime (naive ones taken as UTC); None when unparseable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def read_project(root: Element, path: str) -> RefiProject:
    """Turn a parsed <Project> or <CodeBook> root into a RefiProject."""
    tag = local(root.tag)
    if tag == "CodeBook":
        project = RefiProject(origin=root.get("origin", ""), is_codebook_only=True)
        codes = first(root, "Codes")
        project.codes = _codes(codes, project) if codes is not None else []
        project.sets = _sets(root, project)
        _refuse_shared_guids(project, path)
        return project
    if tag != "Project":
        raise RefiError(Errors.E507.format(path=path, tag=tag))
    project = RefiProject(
        name=root.get("name", ""), origin=root.get("origin", ""), created=when(root.get("creationDateTime")),
        base_path=root.get("basePath"), description=text_of(root, "Description"), note_guids=refs(root, "NoteRef"),
    )
    users = first(root, "Users")
    project.users = [RefiUser(guid_attr(u), u.get("name") or u.get("id") or "") for u in kids(users, "User")] if users is not None else []
    book = first(root, "CodeBook")
    codes = first(book, "Codes") if book is not None else None
    project.codes = _codes(codes, project) if codes is not None else []
    project.variables = _variables(root)
    project.cases = _cases(root, project)
    project.sources = _sources(root, project)
    notes = first(root, "Notes")
    project.notes = [_note(n) for n in kids(notes, "Note")] if notes is not None else []
    project.sets = _sets(root, project)
    for section, item in UNSUPPORTED_SECTIONS.items():
        holder = first(root, section)
        if holder is not None and (n := len(list(kids(holder, item)))):
            project.unsupported[section.lower()] = n
    _refuse_shared_guids(project, path)
    return project


def _refuse_shared_guids(project: RefiProject, path: str) -> None:
    """E512 when two users, codes, sources, notes or variables share a GUID: every reference to it is ambiguous."""
    groups = (
        [(u.guid, "User", u.name) for u in project.users],
        [(c.guid, "Code", c.name) for c, _ in project.all_codes()],
        [(s.guid, s.kind, s.name) for s in project.sources],
        [(n.guid, "Note", n.name) for n in project.notes],
        [(v.guid, "Variable", v.name) for v in project.variables],
    )
    for items in groups:
        holders: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for guid, element, name in items:
            if guid:
                holders[guid].append((element, name))
        for guid, found in holders.items():
            if len(found) > 1:
                raise RefiError(Errors.E512.format(
                    path=path, n=len(found), element="/".join(dict.fromkeys(e for e, _ in found)), guid=guid,
                    names=", ".join(repr(name) for _, name in found)))


def _codes(holder: Element, project: RefiProject) -> list[RefiCode]:
    out = []
    for el in kids(holder, "Code"):
        guid = guid_attr(el)
        if not guid:
            project.skipped.append(f"a code without a guid ('{el.get('name', '')}')")
            continue
        out.append(RefiCode(
            guid=guid, name=el.get("name") or guid, codable=el.get("isCodable", "true").strip().lower() != "false",
            color=el.get("color"), description=text_of(el, "Description"), note_guids=refs(el, "NoteRef"),
            children=_codes(el, project),
        ))
    return out


def _sets(root: Element, project: RefiProject) -> list[RefiSet]:
    holder = first(root, "Sets")
    if holder is None:  # an empty <Sets/> (Taguette) is simply no sets
        return []
    return [
        RefiSet(guid=guid_attr(s), name=s.get("name", ""), description=text_of(s, "Description"),
                code_guids=refs(s, "MemberCode"), source_guids=refs(s, "MemberSource"), note_guids=refs(s, "MemberNote"))
        for s in kids(holder, "Set")
    ]


def _variables(root: Element) -> list[RefiVariable]:
    holder = first(root, "Variables")
    if holder is None:
        return []
    return [RefiVariable(guid_attr(v), v.get("name", ""), v.get("typeOfVariable", "Text")) for v in kids(holder, "Variable")]


def variable_values(el: Element, project: RefiProject) -> dict[str, Any]:
    """The VariableValue children of a case or source as {variable name: typed value}."""
    names = {v.guid: v.name for v in project.variables}
    out: dict[str, Any] = {}
    for vv in kids(el, "VariableValue"):
        ref = first(vv, "VariableRef")
        target = normalise_guid(ref.get("targetGUID", "")) if ref is not None else ""
        name = names.get(target)
        if not name:
            project.skipped.append(f"a variable value for unknown variable {target or '?'}")
            continue
        for child in kids(vv):
            kind = local(child.tag)
            if kind.endswith("Value") and kind != "VariableRef":
                out[name] = _typed(kind, child.text or "")
    return out


def _typed(kind: str, raw: str) -> Any:
    raw = raw.strip() if kind != "TextValue" else raw
    try:
        if kind == "BooleanValue":
            return raw.lower() in ("true", "1")
        if kind == "IntegerValue":
            return int(raw)
        if kind == "FloatValue":
            return float(raw)
    except ValueError:
        return raw
    return raw


def _cases(root: Element, project: RefiProject) -> list[RefiCase]:
    holder = first(root, "Cases")
    if holder is None:
        return []
    return [
        RefiCase(guid=guid_attr(c), name=(c.get("name") or "").strip(), description=text_of(c, "Description"),
                 variables=variable_values(c, project), source_guids=refs(c, "SourceRef"),
                 selection_guids=refs(c, "SelectionRef"), code_guids=refs(c, "CodeRef"))
        for c in kids(holder, "Case")
    ]


def _codings(el: Element, project: RefiProject) -> list[RefiCoding]:
    out = []
    for c in kids(el, "Coding"):
        code = refs(c, "CodeRef")
        if not code:
            project.skipped.append(f"coding {c.get('guid', '?')} without a CodeRef")
            continue
        out.append(RefiCoding(guid=guid_attr(c), code_guid=code[0], user_guid=guid_attr(c, "creatingUser") or None,
                              created=when(c.get("creationDateTime")), note_guids=refs(c, "NoteRef")))
    return out


def _position(value: str | None) -> int | None:
    """An xsd:integer position (sign and ASCII digits, whitespace around it); None for anything else."""
    raw = (value or "").strip()
    if len(raw) > _MAX_DIGITS:  # past Python's int() limit (4,300 digits): no text is that long
        return None
    return int(raw) if _XSD_INTEGER.fullmatch(raw) else None


def _cut(value: str | None) -> str | None:
    """A position as a warning shows it: at most 40 characters."""
    return value if value is None or len(value) <= 40 else value[:39] + "…"


def _selection(el: Element, project: RefiProject, src: RefiSource) -> RefiSelection | None:
    start, end = _position(el.get("startPosition")), _position(el.get("endPosition"))
    codings = _codings(el, project)
    if start is None or end is None:  # not placeable: reported (W512) and counted as found, never guessed
        src.unplaced_selections += 1
        src.unplaced_codings += len(codings)
        project.not_carried.append(Warnings.W512.format(
            source=src.name, guid=el.get("guid", "?"), start=_cut(el.get("startPosition")),
            end=_cut(el.get("endPosition")),
            n=len(codings)))
        return None
    reversed_ = end < start
    if reversed_:  # placed between its positions, said, and flagged unless its quote confirms the span
        project.warnings.append(Warnings.W515.format(
            source=src.name, guid=el.get("guid", "?"), start=start, end=end, n=len(codings)))
        start, end = end, start
    return RefiSelection(
        guid=guid_attr(el), start=start, end=end, name=el.get("name", ""), description=text_of(el, "Description"),
        user_guid=guid_attr(el, "creatingUser") or None, created=when(el.get("creationDateTime")),
        codings=codings, note_guids=refs(el, "NoteRef"), reversed=reversed_,
    )


def _text_source(el: Element, project: RefiProject, kind: str, name: str) -> RefiSource:
    content = first(el, "PlainTextContent")
    src = RefiSource(guid=guid_attr(el), name=name, kind=kind, path=el.get("plainTextPath"),
                     content=content.text or "" if content is not None else None, description=text_of(el, "Description"),
                     codings=_codings(el, project), variables=variable_values(el, project), note_guids=refs(el, "NoteRef"))
    for sel_el in kids(el, "PlainTextSelection"):
        sel = _selection(sel_el, project, src)
        if sel is not None:
            src.selections.append(sel)
    return src


def _sources(root: Element, project: RefiProject) -> list[RefiSource]:
    holder = first(root, "Sources")
    if holder is None:
        return []
    out = []
    for el in kids(holder):
        kind, name = local(el.tag), el.get("name") or el.get("guid", "")
        if kind == "TextSource":
            out.append(_text_source(el, project, kind, name))
            continue
        src = RefiSource(guid=guid_attr(el), name=name, kind=kind, path=el.get("path"),
                         variables=variable_values(el, project), note_guids=refs(el, "NoteRef"))
        src.other_codings = len(list(kids(el, "Coding")))
        for sel in el.iter():
            if isinstance(sel.tag, str) and local(sel.tag) in MEDIA_SELECTIONS:
                src.other_selections += 1
                src.other_codings += len(list(kids(sel, "Coding")))
        rep = first(el, "Representation") if kind == "PDFSource" else None
        if rep is not None:  # a PDF's text representation is codable text: keep its text selections
            text = _text_source(rep, project, "PDFSource", name)
            src.path, src.content, src.selections = text.path, text.content, text.selections
            src.unplaced_selections, src.unplaced_codings = text.unplaced_selections, text.unplaced_codings
        out.append(src)
    return out


def _note(el: Element) -> RefiNote:
    content = first(el, "PlainTextContent")
    return RefiNote(guid=guid_attr(el), name=el.get("name", ""), text=(content.text or "") if content is not None else "",
                    description=text_of(el, "Description"), user_guid=guid_attr(el, "creatingUser") or None,
                    created=when(el.get("creationDateTime")), path=el.get("plainTextPath"))
