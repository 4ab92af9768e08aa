"""A coder name with a comma is refused when it is new, and an existing one can still be selected.

`code add --coder 'Smith, J'` stored the coding, but every coder filter splits on commas, so that coder
could never be picked again (E409 suggested the very name that failed). A new name with a comma is now
[E358], nothing stored; a study that already holds such a coder keeps working: the exact name (or a list
holding it) selects it, and they may go on coding under it. A name imported from another program
(REFI-QDA) is kept as it was written.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.errors import InputError
from thematic.models import Coding, Provenance


def test_a_new_name_with_a_comma_is_refused(study) -> None:  # noqa: ANN001
    fill_study(study)
    with pytest.raises(InputError, match=r"\[E358\].*'Smith, J'"):
        study.code("int-01:1", "generativity", coder="Smith, J")
    assert study.store.codings().empty
    with pytest.raises(InputError, match=r"\[E358\]"):
        study.mark_seen(["int-01:1"], coder="Smith, J")
    assert study.seen().empty


def test_the_cli_says_so(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.close()
    result = CliRunner().invoke(app, ["code", "add", "int-01:1", "generativity", "--coder", "Smith, J",
                                      "--study", str(study.root)])
    assert result.exit_code == 1 and "[E358]" in result.output and "Traceback" not in result.output


def test_an_existing_comma_name_can_still_be_selected(study) -> None:  # noqa: ANN001
    fill_study(study)
    seg = study.store.segment("int-01:1")
    old = Coding(seg.document_id, seg.start, seg.end, "generativity", "Smith, J", text=seg.text,
                 segment_id=seg.id, provenance=Provenance("refi", "refi:other.qdpx"))
    study.store.add_codings([old])  # imported from another program (or stored before commas were refused)
    study.code("int-01:1", "generativity", coder="AB")
    assert study.codings(coder="Smith, J")["coder"].tolist() == ["Smith, J"]
    assert study.codings(coder=["Smith, J"])["coder"].tolist() == ["Smith, J"]
    study.code("int-01:3", "funding", coder="Smith, J")  # they may go on coding under their name
    assert sorted(study.codings(coder="Smith, J")["code_id"]) == ["funding", "generativity"]
    freq = study.frequencies(level="code", coder="Smith, J").set_index("code_id")
    assert int(freq.loc["funding", "n_segments"]) == 1
