"""A first release made with a part (`bump minor`, `study.release_codebook("minor")`) used to skip the file's own
version even when codings had been made under it: 1.0.0 was never frozen, the release went straight to 1.1.0, and
`study.diff_codebook("1.0.0")`, the natural next call, failed with E201 ("Released: 1.1.0"). The codings' version
could no longer be resolved to the definitions they were made under, which is what a release is for.

What is true now: such a bump is refused (E214, naming the version, how many codings carry it and what to run)
before anything is written; releasing the version as it is first (`bump --current`, `release_codebook(None)`)
then bumping keeps both, and the diff works. With no coding under the unreleased version the bump goes on as before."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import load_codebook
from thematic.errors import CodebookError

runner = CliRunner()


@pytest.fixture
def coded(study, make_yaml):
    """A study whose 1.0.0 codebook was never released, with one coding made under it."""
    study.codebook_path.write_text(make_yaml("1.0.0"), encoding="utf-8")
    (study.paths.raw / "a.txt").write_text("Interviewer: Any help?\nP01: My mentor rang me.\n", encoding="utf-8")
    assert study.ingest().ok
    study.code("a:1", "peer_help", coder="HT")
    return study


def test_a_bump_that_would_skip_the_version_codings_carry_is_refused(coded) -> None:
    text = coded.codebook_path.read_text(encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        coded.release_codebook("minor")
    message = str(err.value)
    assert message.startswith("[E214]") and "1 coding(s)" in message and "mini 1.0.0" in message
    assert "1.1.0" in message and "bump --current" in message
    assert coded.codebook_path.read_text(encoding="utf-8") == text  # nothing released
    assert not (coded.codebook_path.parent / ".versions").exists()
    result = runner.invoke(app, ["codebook", "bump", "minor", "--study", str(coded.root)])
    assert result.exit_code == 1 and "[E214]" in result.output and "Traceback" not in result.output


def test_releasing_it_first_then_bumping_keeps_both_and_diff_works(coded, make_yaml, base_codes) -> None:
    assert coded.release_codebook(None).version == "1.0.0"
    codes = [{**c, "definition": "A peer or a volunteer offers help."} if c["id"] == "peer_help" else c
             for c in base_codes]
    coded.codebook_path.write_text(make_yaml("1.0.0", codes=codes), encoding="utf-8")
    assert coded.release_codebook("minor").version == "1.1.0"
    diff = coded.diff_codebook("1.0.0").to_frame()
    assert diff[["change", "code_id", "field"]].values.tolist() == [["redefined", "peer_help", "definition"]]


def test_with_no_coding_under_it_an_unreleased_version_is_bumped_as_before(study, make_yaml) -> None:
    study.codebook_path.write_text(make_yaml("1.0.0"), encoding="utf-8")
    assert study.release_codebook("minor").version == "1.1.0"
    assert load_codebook(study.codebook_path).version == "1.1.0"
