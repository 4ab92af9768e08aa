"""A REFI file in which two codes, two users, two sources, two notes or two variables share one GUID is refused.

Before, such a file imported with exit status 0: two codes with one GUID became two codebook entries with one id
(every later command then failed with C006), two users with one GUID silently gave every coding to the last of
them, and two sources with one GUID were exported again as one. Now the import stops with [E512], which names the
file, the element and the GUID, and nothing is written: the study's files and store are as they were, and a study
the import would have created is not made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.refi import RefiError, import_refi
from thematic.study import Study

DUP = "7D3B9A10-2E4C-4F68-A1B5-C90D8E7F6A21"
TEXT = "Host: How are things?\nGuest: I keep worrying about the heating bill.\n"
QUOTE = "I keep worrying about the heating bill."


def _guids(element: str) -> dict[str, tuple[str, str]]:
    """The GUIDs of each element's two copies: both ``DUP`` for ``element``, distinct for the others."""
    kinds = ("User", "Code", "TextSource", "Note", "Variable")
    return {k: (DUP, DUP) if k == element else (f"{i:08d}-1111-4111-8111-111111111111",
                                                f"{i:08d}-2222-4222-8222-222222222222")
            for i, k in enumerate(kinds, start=1)}


def _project(element: str) -> str:
    g = _guids(element)
    start = TEXT.index(QUOTE)
    sources = "".join(
        f'<TextSource guid="{s}" name="Talk {n}" plainTextPath="internal://t{n}.txt">'
        f'<PlainTextSelection guid="0000000{n}-3333-4333-8333-333333333333" name="{QUOTE}" startPosition="{start}" '
        f'endPosition="{start + len(QUOTE)}" creatingUser="{g["User"][0]}"><Coding guid="0000000{n}-4444-4444-8444-'
        f'444444444444" creatingUser="{g["User"][0]}"><CodeRef targetGUID="{g["Code"][0]}"/></Coding>'
        f"</PlainTextSelection></TextSource>" for n, s in enumerate(g["TextSource"], start=1))
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="heat" '
            f'origin="QualCoder 3.5"><Users><User guid="{g["User"][0]}" name="AB"/><User guid="{g["User"][1]}" '
            f'name="CD"/></Users><CodeBook><Codes><Code guid="{g["Code"][0]}" name="Worry" isCodable="true"/>'
            f'<Code guid="{g["Code"][1]}" name="Money" isCodable="true"/></Codes></CodeBook><Variables>'
            f'<Variable guid="{g["Variable"][0]}" name="age" typeOfVariable="Integer"/>'
            f'<Variable guid="{g["Variable"][1]}" name="town" typeOfVariable="Text"/></Variables>'
            f"<Sources>{sources}</Sources><Notes>"
            f'<Note guid="{g["Note"][0]}" name="First"><PlainTextContent>One.</PlainTextContent></Note>'
            f'<Note guid="{g["Note"][1]}" name="Second"><PlainTextContent>Two.</PlainTextContent></Note>'
            f"</Notes></Project>")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "data/coded" not in p.relative_to(root).as_posix()}


@pytest.mark.parametrize("element", ["Code", "User", "TextSource", "Note", "Variable"])
def test_duplicate_guid_is_refused_and_nothing_is_written(tmp_path: Path, qdpx, study: Study, element: str) -> None:
    path = qdpx(tmp_path / "dup.qdpx", _project(element), {"sources/t1.txt": TEXT, "sources/t2.txt": TEXT})
    before = _files(study.root)
    with pytest.raises(RefiError) as err:
        import_refi(path, study)
    message = str(err.value)
    assert message.startswith("[E512]") and "dup.qdpx" in message and f"<{element}>" in message and DUP in message
    assert _files(study.root) == before
    assert study.store.documents().empty and study.store.codings().empty and study.store.participant_records() == []

    with pytest.raises(RefiError, match=r"\[E512\]"):
        import_refi(path, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_distinct_guids_import(tmp_path: Path, qdpx) -> None:
    """The same file with every GUID distinct imports: the refusal is about the duplicate only."""
    path = qdpx(tmp_path / "ok.qdpx", _project("none"), {"sources/t1.txt": TEXT, "sources/t2.txt": TEXT})
    report = import_refi(path, tmp_path / "s")
    assert report.imported["codings"] == 2
