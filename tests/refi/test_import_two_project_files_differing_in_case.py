"""A .qdpx holding two top-level project files whose names differ only in case (project.qde and Project.qde), or
the same name twice, is ambiguous: the import fails with E506 ("exactly one") instead of reading one silently."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest

from refi.test_importer import G, project

from thematic.refi import import_refi
from thematic.refi.safety import RefiError


def _codes(name: str) -> str:
    return project("", codes=f'<Code guid="{G(1)}" name="{name}" isCodable="true"/>')


@pytest.mark.parametrize("names", [("project.qde", "Project.qde"), ("a.qde", "A.QDE"), ("project.qde", "project.qde")])
def test_two_project_files_differing_only_in_case_are_refused(tmp_path: Path, names: tuple[str, str]) -> None:
    path = tmp_path / "two.qdpx"
    with zipfile.ZipFile(path, "w") as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        z.writestr(names[0], _codes("Alpha code"))
        z.writestr(names[1], _codes("Other code"))
    with pytest.raises(RefiError) as err:
        import_refi(path, tmp_path / "s")
    assert "[E506]" in str(err.value) and "2 project files" in str(err.value) and "exactly one" in str(err.value)
    assert not (tmp_path / "s").exists()
