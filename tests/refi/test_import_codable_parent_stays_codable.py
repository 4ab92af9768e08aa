"""A vendor code marked isCodable="true" that has sub-codes and codings of its own stays a code (a code with
children, not a theme): its codings can be applied and counted, and a re-export writes them onto a codable Code."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from thematic.codebook import load_codebook
from thematic.refi import export_refi, import_refi
from thematic.study import Study

NS = {"q": "urn:QDA-XML:project:1.0"}
TEXT = "Interviewer: hi\nRespondent: The coffee was bitter and the tea was sweet.\n"
Q1, Q2 = "The coffee was bitter", "the tea was sweet"
DRINKS, COFFEE, LOOSE = ("31E30129-BBEA-4A1F-BDD9-2701B04F1FDD", "31E30129-BBEA-4A1F-BDD9-2701B04F1FDE",
                         "31E30129-BBEA-4A1F-BDD9-2701B04F1FDF")
ANN, BOB = "AAAAAAAA-0000-4000-8000-000000000001", "AAAAAAAA-0000-4000-8000-000000000002"
SRC = "5B1E0C0A-0000-4000-8000-000000000001"


def _selection(n: int, quote: str, codings: list[tuple[str, str]]) -> str:
    start = TEXT.index(quote)
    inner = "".join(f'<Coding guid="EEEEEEEE-0000-4000-8000-0000000000{n}{i}" creatingUser="{user}">'
                    f'<CodeRef targetGUID="{code}"/></Coding>' for i, (code, user) in enumerate(codings))
    return (f'<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-00000000000{n}" name="{quote}" startPosition="{start}" '
            f'endPosition="{start + len(quote)}" creatingUser="{ANN}">{inner}</PlainTextSelection>')


def _vendor(path: Path) -> Path:
    selections = _selection(1, Q1, [(COFFEE, ANN), (DRINKS, BOB)]) + _selection(2, Q2, [(DRINKS, ANN)])
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="drinks" origin="MAXQDA 2022">
<Users><User guid="{ANN}" name="Ann"/><User guid="{BOB}" name="Bob"/></Users>
<CodeBook><Codes>
<Code guid="{DRINKS}" name="Drinks" isCodable="true"><Description>drinks in general</Description>
<Code guid="{COFFEE}" name="Coffee" isCodable="true"><Description>coffee</Description></Code></Code>
<Code guid="{LOOSE}" name="Loose" isCodable="false"/>
</Codes></CodeBook>
<Sources><TextSource guid="{SRC}" name="Drinks talk" plainTextPath="internal://{SRC}.txt">{selections}</TextSource>
</Sources></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{SRC}.txt", TEXT)
    return path


def _codes(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
    return {c.get("name"): c for c in root.iterfind(".//q:Code", NS)}


def _coded(path: Path) -> list[tuple[str, str]]:
    """(code name, coder) of every Coding in an exported project."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
    names = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    return sorted((names[c.find("q:CodeRef", NS).get("targetGUID")], users[c.get("creatingUser")])
                  for c in root.iterfind(".//q:Coding", NS))


def test_a_codable_parent_code_with_codings_round_trips_as_codable(tmp_path: Path) -> None:
    report = import_refi(_vendor(tmp_path / "drinks.qdpx"), tmp_path / "s")
    assert report.imported["codings"] == 3 and "codings on themes" not in report.imported
    with Study(tmp_path / "s") as study:
        cb = load_codebook(study.root / "codebooks" / "codebook.yaml")
        assert not cb["drinks"].is_theme and cb["coffee"].parent == "drinks"
        assert cb["loose"].is_theme  # a non-codable code stays a theme
        assert sorted(study.store.codings()["code_id"]) == ["coffee", "drinks", "drinks"]
        first = export_refi(study, tmp_path / "out1.qdpx").path
    codes = _codes(first)
    assert codes["Drinks"].get("isCodable") == "true" and codes["Coffee"].get("isCodable") == "true"
    assert codes["Drinks"].get("guid") == DRINKS
    assert _coded(first) == [("Coffee", "Ann"), ("Drinks", "Ann"), ("Drinks", "Bob")]

    import_refi(first, tmp_path / "s2")
    with Study(tmp_path / "s2") as study:
        second = export_refi(study, tmp_path / "out2.qdpx").path
    codes = _codes(second)
    assert codes["Drinks"].get("isCodable") == "true" and codes["Drinks"].get("guid") == DRINKS
    assert _coded(second) == [("Coffee", "Ann"), ("Drinks", "Ann"), ("Drinks", "Bob")]
