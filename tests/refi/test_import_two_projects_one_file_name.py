"""Two different REFI projects whose files share a name (``leeds/project.qdpx``, ``york/project.qdpx``) imported
into one study both keep their cases' attributes.

Before, both imports were stored as the participant source ``refi:project.qdpx``, so the second replaced the first:
the first project's participants lost their attributes without a word, and ``tables frequency --by site`` showed
them under "(missing)". Now an import adds and updates the cases it holds, keeps what an earlier import of a file
of the same name said of other participants, and says so ([W514]); a case the file holds again is updated.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.refi import import_refi
from thematic.study import Study

runner = CliRunner()
G = lambda key: str(uuid.uuid5(uuid.NAMESPACE_URL, f"two-projects:{key}")).upper()  # noqa: E731


def _project(path: Path, qdpx, site: str, pid: str, age: int) -> Path:
    text = f"Host: Hello.\n{pid}: The rent in {site} keeps going up.\n"
    quote = f"The rent in {site} keeps going up."
    start, src = text.index(quote), G(site + "src")
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="project" '
           f'origin="MAXQDA 2022"><Users><User guid="{G(site + "u")}" name="AB"/></Users><CodeBook><Codes>'
           f'<Code guid="{G("rent")}" name="Rent" isCodable="true"/></Codes></CodeBook><Variables>'
           f'<Variable guid="{G("age")}" name="age" typeOfVariable="Integer"/>'
           f'<Variable guid="{G("site")}" name="site" typeOfVariable="Text"/></Variables><Cases>'
           f'<Case guid="{G(site + "case")}" name="{pid}"><VariableValue><VariableRef targetGUID="{G("age")}"/>'
           f'<IntegerValue>{age}</IntegerValue></VariableValue><VariableValue><VariableRef targetGUID="{G("site")}"/>'
           f'<TextValue>{site}</TextValue></VariableValue><SourceRef targetGUID="{src}"/></Case></Cases><Sources>'
           f'<TextSource guid="{src}" name="interview {site}" plainTextPath="internal://{src}.txt">'
           f'<PlainTextSelection guid="{G(site + "sel")}" name="{quote}" startPosition="{start}" '
           f'endPosition="{start + len(quote)}" creatingUser="{G(site + "u")}"><Coding guid="{G(site + "cod")}" '
           f'creatingUser="{G(site + "u")}"><CodeRef targetGUID="{G("rent")}"/></Coding></PlainTextSelection>'
           f"</TextSource></Sources></Project>")
    path.parent.mkdir(parents=True, exist_ok=True)
    return qdpx(path, xml, {f"sources/{src}.txt": text})


def _people(root: Path) -> dict[str, dict]:
    with Study(root) as study:
        return {p.id: dict(p.attributes) for p in study.store.participant_records()}


def test_second_project_of_the_same_file_name_keeps_the_first_ones_cases(tmp_path: Path, qdpx) -> None:
    root = tmp_path / "st"
    first = import_refi(_project(tmp_path / "leeds" / "project.qdpx", qdpx, "Leeds", "P01", 34), root)
    assert not any("[W514]" in n for n in first.notes)
    second = import_refi(_project(tmp_path / "york" / "project.qdpx", qdpx, "York", "P02", 51), root)
    people = _people(root)
    assert people["P01"] == {"age": 34, "site": "Leeds"} and people["P02"] == {"age": 51, "site": "York"}
    assert any(n.startswith("[W514] project.qdpx") and "P01" in n for n in second.notes), second.notes

    result = runner.invoke(app, ["tables", "frequency", "--by", "site", "--study", str(root)])
    assert result.exit_code == 0, result.output
    assert "Leeds" in result.output and "York" in result.output and "(missing)" not in result.output


def test_the_same_project_imported_again_updates_its_case(tmp_path: Path, qdpx) -> None:
    root = tmp_path / "st"
    import_refi(_project(tmp_path / "a" / "project.qdpx", qdpx, "Leeds", "P01", 34), root)
    again = import_refi(_project(tmp_path / "b" / "project.qdpx", qdpx, "Leeds", "P01", 35), root)
    assert _people(root) == {"P01": {"age": 35, "site": "Leeds"}}
    assert not any("[W514]" in n for n in again.notes)
