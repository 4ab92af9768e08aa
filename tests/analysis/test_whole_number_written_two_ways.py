"""A whole number written two ways (``34`` in a survey workbook, ``34.0`` in participants.csv) is one value.

Before, attribute tallies, crosstabs and ``--by`` groups counted ``34`` and ``34.0`` as two values (``34`` 2 of 4
and ``34.0`` 1 of 4), although ingest treats ``24`` / ``24.0`` as the same value. Now they are one value, named by
the commoner spelling as case variants are, and ingest's [W024] says so; the stored text is left as written.
Fictional files written fresh.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from thematic.analysis.selection import participant_groups
from thematic.study import Study, init_study


def _study(root: Path) -> tuple[Study, tuple[str, ...]]:
    init_study(root, name="ages").close()
    raw = root / "data" / "raw"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["respondent_id", "age", "What would you change about the service?"])
    ws.append(["R01", 34, "I would change the opening hours to include weekends"])
    ws.append(["R02", 34, "More staff would make a big difference to everyone here"])
    ws.append(["R03", 29, "Better signs in the building so people can find the rooms"])
    wb.save(raw / "survey.xlsx")
    (raw / "participants.csv").write_text("participant_id,age,site\nR03,29.0,North\nP04,34.0,South\n",
                                          encoding="utf-8")
    study = Study(root)
    report = study.ingest()
    return study, report.study_warnings


def test_tallies_crosstabs_and_groups_count_34_and_34_0_once(tmp_path: Path) -> None:
    study, warnings = _study(tmp_path / "s")
    with study:
        assert sorted(study.store.participants()["age"]) == ["29.0", "34", "34", "34.0"]  # stored as written
        tally = study.attribute_tallies("age")
        assert list(zip(tally["value"], tally["n_of_N"])) == [("29.0", "1 of 4"), ("34", "3 of 4")]
        table = study.crosstab("age", "site")
        assert list(table.index) == ["29.0", "34", "Total"]
        assert table.loc["34"].tolist() == [0, 1, 2, 3]
        groups = participant_groups(study.store.participants(), ["R01", "R02", "R03", "P04"], "age")
    assert groups.tolist() == ["34", "34", "29.0", "34"]
    assert any(w.startswith("[W024]") and "'34', '34.0'" in w and "('34')" in w for w in warnings), warnings


def test_a_group_filter_finds_either_spelling(tmp_path: Path) -> None:
    from thematic.analysis.selection import resolve_groups

    study, _ = _study(tmp_path / "s")
    with study:
        people = study.store.participants()
    assert resolve_groups(people, "age", "34.0, 29") == ["34", "29.0"]
