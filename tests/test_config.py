"""thematic.toml settings: defaults, checks with did-you-mean, syntax errors with the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.config import config_template, load_config
from thematic.errors import StudyError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "thematic.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_config_template_round_trips_to_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, config_template("S")))
    assert cfg.name == "S" and cfg.ingest.unit == "turn" and cfg.ingest.pseudonymise
    assert "interviewer" in cfg.ingest.interviewer_labels


def test_config_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match=r"E004.*'pseudonymize'.*Did you mean 'pseudonymise'"):
        load_config(write(tmp_path, "[ingest]\npseudonymize = true\n"))


def test_config_syntax_error_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match=r"E003.*thematic.toml.*line 2"):
        load_config(write(tmp_path, "[study]\nname = \n"))


def test_config_bad_unit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="unit"):
        load_config(write(tmp_path, "[ingest]\nunit = 'word'\n"))


def test_config_per_file_speaker_maps_are_kept(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[ingest.files."a.txt"]\nspeakers = { Dan = "P01" }\n'))
    assert cfg.ingest.files["a.txt"]["speakers"] == {"Dan": "P01"}
