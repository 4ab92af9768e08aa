"""data/raw/participants.csv (or .xlsx) that is a symlink out of the study was read and stored; it is refused
unopened with E030, as a transcript is, unless --allow-outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.errors import InputError


@pytest.mark.parametrize("name", ["participants.csv", "participants.xlsx"])
def test_roster_symlinked_out_of_the_study_is_refused(study, tmp_path: Path, name: str) -> None:  # noqa: ANN001
    outside = tmp_path / "elsewhere" / "roster.csv"
    outside.parent.mkdir()
    outside.write_text("participant_id,role\nP01,outside-attribute\n", encoding="utf-8")
    (study.paths.raw / name).symlink_to(outside)
    (study.paths.raw / "p01.txt").write_text("P01: hello there\nInterviewer: hi\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^\[E030\].*{name}.*elsewhere") as err:
        study.ingest()
    assert "outside-attribute" not in str(err.value)
    assert study.store.participants().empty


def test_roster_outside_is_read_with_allow_outside(study, tmp_path: Path) -> None:  # noqa: ANN001
    outside = tmp_path / "elsewhere" / "roster.csv"
    outside.parent.mkdir()
    outside.write_text("participant_id,role\nP01,nurse\n", encoding="utf-8")
    (study.paths.raw / "participants.csv").symlink_to(outside)
    (study.paths.raw / "p01.txt").write_text("P01: hello there\nInterviewer: hi\n", encoding="utf-8")
    report = study.ingest(allow_outside=True)
    assert report.participants == 1


def test_roster_inside_the_study_via_symlink_is_read(study) -> None:  # noqa: ANN001
    real = study.root / "meta" / "roster.csv"
    real.parent.mkdir()
    real.write_text("participant_id,role\nP01,nurse\n", encoding="utf-8")
    (study.paths.raw / "participants.csv").symlink_to(real)
    (study.paths.raw / "p01.txt").write_text("P01: hello there\nInterviewer: hi\n", encoding="utf-8")
    assert study.ingest().participants == 1
