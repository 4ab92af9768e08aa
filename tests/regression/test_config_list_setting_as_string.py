"""A list setting written as a plain string (`terms = "Lanternway"`) was read one letter at a time, so the term
was never pseudonymised; every list, boolean and text setting is now type-checked (E119 names the file, the key
and the fix). A misspelled top-level table now lists the known tables with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.config import load_config
from thematic.errors import StudyError
from thematic.study import init_study

runner = CliRunner()


def _study(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "st"
    init_study(root, name="st").close()
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(("old", "new", "key", "example"), [
    ("terms = []", 'terms = "Lanternway"', "terms", '["Lanternway"]'),
    ("coders = []", 'coders = "HT"', "coders", '["HT"]'),
    ('suggesters = ["ensemble"]', 'suggesters = "rules"', "suggesters", '["rules"]'),
    ('interviewer_labels = ["interviewer", "researcher", "int", "i", "iv", "q", "moderator", "co-moderator", '
     '"facilitator", "co-facilitator", "note-taker"]',
     'interviewer_labels = "Q"', "interviewer_labels", '["Q"]'),
])
def test_string_for_a_list_is_refused(tmp_path: Path, old: str, new: str, key: str, example: str) -> None:
    root = _study(tmp_path, old, new)
    with pytest.raises(StudyError) as info:
        load_config(root / "thematic.toml")
    msg = str(info.value)
    assert msg.startswith("[E119]") and "thematic.toml" in msg and key in msg and f"{key} = {example}" in msg


def test_list_of_non_strings_and_string_bool_refused(tmp_path: Path) -> None:
    root = _study(tmp_path, "terms = []", "terms = [1, 2]")
    with pytest.raises(StudyError, match=r"\[E119\].*terms"):
        load_config(root / "thematic.toml")
    root2 = _study(tmp_path / "b", "pseudonymise = true", 'pseudonymise = "false"')
    with pytest.raises(StudyError, match=r"\[E119\].*pseudonymise.*true or false"):
        load_config(root2 / "thematic.toml")


def test_lists_still_read(tmp_path: Path) -> None:
    root = _study(tmp_path, "terms = []", 'terms = ["Lanternway"]')
    assert load_config(root / "thematic.toml").ingest.terms == ("Lanternway",)


def test_ingest_refuses_and_does_not_store_the_name(tmp_path: Path) -> None:
    root = _study(tmp_path, "terms = []", 'terms = "Lanternway"')
    (root / "data" / "raw" / "talk.txt").write_text("Interviewer: How did Lanternway help?\nDean: It did.\n",
                                                   encoding="utf-8")
    r = runner.invoke(app, ["ingest", "--study", str(root)], env={"THEMATIC_ENCODER": "minilm"})
    assert r.exit_code == 1 and "[E119]" in r.output and "Traceback" not in r.output


def test_misspelled_table_lists_known_tables(tmp_path: Path) -> None:
    root = _study(tmp_path, "[ingest]", "[ingset]")
    with pytest.raises(StudyError) as info:
        load_config(root / "thematic.toml")
    msg = str(info.value)
    assert "[E004]" in msg and "Did you mean 'ingest'?" in msg
    root2 = _study(tmp_path / "b", "[ingest]", "[zzzz]")
    with pytest.raises(StudyError) as info2:
        load_config(root2 / "thematic.toml")
    assert "Known: code, ingest, limits, report, study." in str(info2.value)
