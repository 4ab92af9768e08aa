"""``coding.search.search`` called directly checks participant attribute values as the CLI does: a value no
participant has is E410 naming a close one and the known ones (it was an empty result; only the facade, and so
the CLI, checked values), an unknown attribute E352. The CLI relies on the library's check."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from regression.unlike_example import write_study
from thematic.cli.main import app
from thematic.coding.search import search
from thematic.errors import InputError
from thematic.study import Study


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = write_study(tmp_path_factory.mktemp("attrs") / "s")
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,transcript,gender\nP1,ana,female\nP2,david,male\n", encoding="utf-8")
    with Study(root) as study:
        study.ingest()
    return root


def _error(call) -> InputError:
    with pytest.raises(InputError) as err:
        call()
    return err.value


def test_library_search_refuses_a_value_no_participant_has(root) -> None:
    with Study(root) as study:
        for ctx in (study.context, study.store):  # a study's context or its store
            e = _error(lambda: search(ctx, "time", participant_attr={"gender": "femal"}))
            assert e.code == "E410", str(e)
            assert "'femal'" in str(e) and "Did you mean 'female'?" in str(e) and "female, male" in str(e)
            e = _error(lambda: search(ctx, "time", participant_attr={"gender": ["male", "nonbinary"]}))
            assert e.code == "E410" and "'nonbinary'" in str(e)


def test_library_search_refuses_an_unknown_attribute(root) -> None:
    with Study(root) as study:
        e = _error(lambda: search(study.context, "time", participant_attr={"gendr": "female"}))
        assert e.code == "E352" and "Did you mean 'gender'?" in str(e)


def test_library_search_values_match_case_and_spacing_aside(root) -> None:
    with Study(root) as study:
        hits = search(study.context, "time", participant_attr={"gender": " Female "})
        assert set(hits["participant_id"]) == {"P1"} and len(hits) == 2
        both = search(study.context, "time|busy", mode="regex", participant_attr={"gender": ["female", "MALE"]})
        assert set(both["participant_id"]) == {"P1", "P2"}


def test_facade_and_cli_give_the_same_errors(root) -> None:
    with Study(root) as study:
        assert _error(lambda: study.search("time", participant_attr={"gender": "femal"})).code == "E410"
        assert _error(lambda: study.search("time", participant_attr={"gendr": "female"})).code == "E352"
    runner = CliRunner()
    bad_value = runner.invoke(app, ["search", "time", "--where", "gender=femal", "--study", str(root)])
    assert bad_value.exit_code != 0 and "E410" in bad_value.output and "female, male" in bad_value.output
    bad_name = runner.invoke(app, ["search", "time", "--where", "gendr=female", "--study", str(root)])
    assert bad_name.exit_code != 0 and "E352" in bad_name.output
    ok = runner.invoke(app, ["search", "time", "--where", "gender=female", "--study", str(root)])
    assert ok.exit_code == 0, ok.output
