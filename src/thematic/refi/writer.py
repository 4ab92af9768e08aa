"""RefiProject -> REFI-QDA XML (.qde project, .qdc codebook), built with xml.etree.

Elements are written in the order the official schemas require (Project-mrt2019.xsd and
Codebook.xsd), and empty sections are left out because the schemas need at least one child.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Callable
from xml.etree import ElementTree as ET

from .model import RefiCode, RefiCoding, RefiNote, RefiProject, RefiSelection, RefiSource

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VALUE_ELEMENT = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue",
                  "Date": "DateValue", "DateTime": "DateTimeValue"}


def xml_datetime(dt: datetime) -> str:
    """An aware datetime as xsd:dateTime in UTC (``2024-05-01T09:30:00Z``)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Builder:
    """Makes namespaced sub-elements, skipping attributes whose value is None."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def __call__(self, parent: ET.Element | None, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
        values = {k: clean(str(v)) for k, v in attrs.items() if v is not None}
        if parent is None:  # the root declares the default namespace; children inherit it
            return ET.Element(tag, {"xmlns": self.ns, **values})
        el = ET.SubElement(parent, tag, values)
        if text is not None:
            el.text = clean(text)
        return el


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def clean(value: str) -> str:
    """``value`` without the control characters XML 1.0 cannot hold (form feeds from .docx ...)."""
    return _INVALID_XML.sub("", value)


def _number(value: Any) -> str:
    """A float as xsd:decimal (no exponent)."""
    return format(Decimal(repr(float(value))), "f")


def codebook_xml(project: RefiProject) -> bytes:
    """The .qdc codebook document (namespace ``urn:QDA-XML:codebook:1.0``)."""
    b = _Builder(CODEBOOK_NS)
    root = b(None, "CodeBook", origin=project.origin or None)
    codes = b(root, "Codes")
    for code in project.codes:
        _code(b, codes, code, with_notes=False)
    code_sets = [s for s in project.sets if s.code_guids]
    if code_sets:
        sets = b(root, "Sets")
        for s in code_sets:
            el = b(sets, "Set", guid=s.guid, name=s.name)
            if s.description:
                b(el, "Description", s.description)
            for g in s.code_guids:
                b(el, "MemberCode", guid=g)
    return _serialise(root)


def _code(b: _Builder, parent: ET.Element, code: RefiCode, *, with_notes: bool) -> None:
    el = b(parent, "Code", guid=code.guid, name=code.name, isCodable=str(code.codable).lower(), color=code.color)
    if code.description:
        b(el, "Description", code.description)
    if with_notes:
        for g in code.note_guids:
            b(el, "NoteRef", targetGUID=g)
    for child in code.children:
        _code(b, el, child, with_notes=with_notes)


def project_xml(project: RefiProject) -> bytes:
    """The project.qde document (namespace ``urn:QDA-XML:project:1.0``)."""
    b = _Builder(PROJECT_NS)
    root = b(None, "Project", name=project.name or "thematic study", origin=project.origin or None,
             creationDateTime=xml_datetime(project.created) if project.created else None)
    _section(b, root, "Users", project.users, lambda p, u: b(p, "User", guid=u.guid, name=u.name))
    if project.codes:
        codes = b(b(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(b, codes, code, with_notes=True)
    types = {v.name: v.type for v in project.variables}
    guids = {v.name: v.guid for v in project.variables}
    _section(b, root, "Variables", project.variables,
             lambda p, v: b(p, "Variable", guid=v.guid, name=v.name, typeOfVariable=v.type))
    values = lambda p, vals: _values(b, p, vals, types, guids)  # noqa: E731
    _section(b, root, "Cases", project.cases, lambda p, c: _case(b, p, c, values))
    _section(b, root, "Sources", project.sources, lambda p, s: _source(b, p, s, values))
    _section(b, root, "Notes", project.notes, lambda p, n: _note(b, p, n))
    _section(b, root, "Sets", project.sets, lambda p, s: _set(b, p, s))
    if project.description:
        b(root, "Description", project.description)
    for g in project.note_guids:  # notes on the project as a whole
        b(root, "NoteRef", targetGUID=g)
    return _serialise(root)


def _section(b: _Builder, root: ET.Element, name: str, items: list[Any], add: Callable[[ET.Element, Any], Any]) -> None:
    if not items:
        return
    holder = b(root, name)
    for item in items:
        add(holder, item)


def _values(b: _Builder, parent: ET.Element, values: dict[str, Any], types: dict[str, str], guids: dict[str, str]) -> None:
    for name, value in values.items():
        if name not in guids or value is None or (isinstance(value, float) and not math.isfinite(value)):
            continue
        vv = b(parent, "VariableValue")
        b(vv, "VariableRef", targetGUID=guids[name])
        kind = types[name]
        text = str(value).lower() if kind == "Boolean" else _number(value) if kind == "Float" else str(value)
        b(vv, _VALUE_ELEMENT[kind], text)


def _case(b: _Builder, parent: ET.Element, case: Any, values: Callable[..., None]) -> None:
    el = b(parent, "Case", guid=case.guid, name=case.name or None)
    if case.description:
        b(el, "Description", case.description)
    values(el, case.variables)
    for g in case.source_guids:
        b(el, "SourceRef", targetGUID=g)


def _coding(b: _Builder, parent: ET.Element, c: RefiCoding) -> None:
    el = b(parent, "Coding", guid=c.guid, creatingUser=c.user_guid,
           creationDateTime=xml_datetime(c.created) if c.created else None)
    b(el, "CodeRef", targetGUID=c.code_guid)
    for g in c.note_guids:
        b(el, "NoteRef", targetGUID=g)


def _selection(b: _Builder, parent: ET.Element, s: RefiSelection) -> None:
    el = b(parent, "PlainTextSelection", guid=s.guid, name=s.name or None, startPosition=s.start, endPosition=s.end,
           creatingUser=s.user_guid, creationDateTime=xml_datetime(s.created) if s.created else None)
    if s.description:
        b(el, "Description", s.description)
    for c in s.codings:
        _coding(b, el, c)
    for g in s.note_guids:
        b(el, "NoteRef", targetGUID=g)


def _source(b: _Builder, parent: ET.Element, src: RefiSource, values: Callable[..., None]) -> None:
    el = b(parent, "TextSource", guid=src.guid, name=src.name, plainTextPath=src.path, creatingUser=src.user_guid)
    if src.description:
        b(el, "Description", src.description)
    if src.path is None:
        b(el, "PlainTextContent", src.content or "")
    for sel in src.selections:
        _selection(b, el, sel)
    for c in src.codings:
        _coding(b, el, c)
    for g in src.note_guids:
        b(el, "NoteRef", targetGUID=g)
    values(el, src.variables)


def _note(b: _Builder, parent: ET.Element, note: RefiNote) -> None:
    el = b(parent, "Note", guid=note.guid, name=note.name or None, creatingUser=note.user_guid,
           creationDateTime=xml_datetime(note.created) if note.created else None)
    if note.description:
        b(el, "Description", note.description)
    b(el, "PlainTextContent", note.text)


def _set(b: _Builder, parent: ET.Element, s: Any) -> None:
    el = b(parent, "Set", guid=s.guid, name=s.name)
    if s.description:
        b(el, "Description", s.description)
    for g in s.code_guids:
        b(el, "MemberCode", targetGUID=g)
    for g in s.source_guids:
        b(el, "MemberSource", targetGUID=g)
    for g in s.note_guids:
        b(el, "MemberNote", targetGUID=g)
