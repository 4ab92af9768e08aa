"""A coding without a coder cannot be traced to a person: a blank coder is refused, spaces are trimmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.study import Study

from .unlike_example import write_study


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    root = write_study(tmp_path / "s")
    s = Study(root)
    s.ingest()
    return s


def test_a_blank_coder_is_refused_and_nothing_is_stored(study: Study) -> None:
    seg = study.segments().query("not is_interviewer").iloc[0]["segment_id"]
    for blank in ("", "   "):
        with pytest.raises(InputError, match="E018"):
            study.code(seg, "time_pressure", coder=blank)
    assert study.codings().empty
    out = CliRunner().invoke(app, ["code", "add", seg, "time_pressure", "-c", " ", "--study", str(study.root)])
    assert out.exit_code != 0 and "E018" in out.output and "Traceback" not in out.output
    assert Study(study.root).codings().empty


def test_a_blank_reviewer_is_refused(study: Study) -> None:
    study.run_code(suggesters=["rules"])
    sid = study.codings().iloc[0]["coding_id"]
    with pytest.raises(InputError, match="E018"):
        study.store.set_status([sid], "accepted", actor=" ")
    assert (study.codings()["status"] == "suggested").all()


def test_spaces_around_a_coder_name_do_not_make_a_second_coder(study: Study) -> None:
    seg = study.segments().query("not is_interviewer").iloc[0]["segment_id"]
    for name in ("AB", " AB ", "AB "):
        CliRunner().invoke(app, ["code", "add", seg, "time_pressure", "-c", name, "--study", str(study.root)])
    codings = Study(study.root).codings()
    assert codings["coder"].tolist() == ["AB"]
