"""Real names in participant attribute values are pseudonymised at ingest, as in the text.

A survey's short "Other (please specify)" column became an attribute and kept "Advice from Maria Gomez at
the church", which `thematic tables attributes` and `thematic export segments` then showed beside the
pseudonymised answer (so R1 could be linked to Maria Gomez). The pseudonym key knew the name; only the
answers were replaced. participants.csv attribute values (a notes column) go through the same replacement.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from thematic.study import Study

from .unlike_example import write_study

PEOPLE = [("R1", "Maria Gomez"), ("R2", "Tomasz Wilk"), ("R3", "Aisha Rahman"), ("R4", "Peter Okafor")]
OTHER = "Which services did you use? - Other (please specify)"
REAL = ("Maria", "Gomez", "Tomasz", "Wilk", "Aisha", "Rahman", "Peter", "Okafor", "Zoe", "Hartley")


def _survey(root: Path) -> None:
    rows = [["respondent_id", "Full name", "site", OTHER, "What helped you most?"]]
    for i, (rid, name) in enumerate(PEOPLE):
        other = {0: f"Advice from {name} at the church", 1: "Maria sent me", 2: "Food bank"}.get(i, "")
        rows.append([rid, name, ["North", "South"][i % 2], other,
                     f"Honestly {name.split()[0]} here, the advice worker phoned me back every single time."])
    with open(root / "data" / "raw" / "survey.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _leaks(frame: pd.DataFrame) -> list[str]:
    return [v for col in frame.columns for v in frame[col].dropna().astype(str) if any(n in v for n in REAL)]


def test_names_in_survey_attribute_columns_are_replaced_like_in_the_answers(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"zoe.txt": "Interviewer: Who helped?\nZoe Hartley: Maria at the church.\n"})
    _survey(root)
    with Study(root) as study:
        study.ingest()
        people = study.store.participants().set_index("participant_id")
        assert people.loc["R1", OTHER] == "Advice from R1 at the church"
        assert people.loc["R2", OTHER] == "R1 sent me"  # another respondent's name: their id too
        assert people.loc["R3", OTHER] == "Food bank" and people.loc["R2", "site"] == "South"
        assert "Full name" not in people.columns  # left-out name columns stay left out
        assert not _leaks(study.store.participants())
        assert not _leaks(study.segments())
        tallies = study.attribute_tallies()
        assert "Advice from R1 at the church" in set(tallies["value"]) and not _leaks(tallies)
        study.export_segments(tmp_path / "segments.csv")
    exported = pd.read_csv(tmp_path / "segments.csv", encoding="utf-8-sig")
    assert "Advice from R1 at the church" in set(exported[OTHER]) and not _leaks(exported)
    key = (root / "private" / "pseudonym-key.csv").read_text(encoding="utf-8")
    assert "speaker,Maria Gomez,R1" in key


def test_names_stay_in_attributes_when_pseudonymisation_is_off(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"zoe.txt": "Interviewer: Who helped?\nZoe Hartley: My aunt.\n"})
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    _survey(root)
    with Study(root) as study:
        study.ingest()
        people = study.store.participants().set_index("participant_id")
    assert people.loc["R1", OTHER] == "Advice from Maria Gomez at the church"


def test_participants_csv_notes_are_pseudonymised_with_every_known_name(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {
        "p01.txt": "Interviewer: How did you hear of us?\nMaria Gomez: Through Zoe Hartley, my neighbour.\n",
        "p02.txt": "Interviewer: And you?\nZoe Hartley: Maria told me about it.\n"})
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,name,role,notes\n"
        "P01,Maria Gomez,volunteer,Referred by Zoe Hartley; Maria prefers mornings\n"
        "P02,,volunteer,Knows Maria Gomez from church\n", encoding="utf-8")
    with Study(root) as study:
        report = study.ingest()
        assert not [r for r in report.rows if r.status == "failed"]
        people = study.store.participants().set_index("participant_id")
        zoe = study.segments().query("text.str.contains('told me about it')", engine="python")["speaker"].iloc[0]
        assert zoe not in {"Zoe Hartley", "Zoe"} and zoe.startswith("Speaker")
        assert people.loc["P01", "notes"] == f"Referred by {zoe}; P01 prefers mornings"
        assert people.loc["P02", "notes"] == "Knows P01 from church"
        assert "name" not in people.columns
        assert not _leaks(study.store.participants())


def test_a_sheet_of_attributes_only_replaces_its_respondents_names_too(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"zoe.txt": "Interviewer: Who helped?\nZoe Hartley: My aunt.\n"})
    (root / "data" / "raw" / "cases.csv").write_text(
        "case,First name,Last name,age,notes\n"
        "C1,Aisha,Rahman,41,Came with Peter Okafor\n"
        "C2,Peter,Okafor,38,Aisha's brother\n", encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        people = study.store.participants().set_index("participant_id")
    assert people.loc["C1", "notes"] == "Came with C2"
    assert people.loc["C2", "notes"] == "C1's brother"
    assert people.loc["C2", "age"] == "38"
    assert not _leaks(people.reset_index())


def test_a_name_a_later_file_speaks_under_is_replaced_in_stored_attributes(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"ana.txt": "Interviewer: Hello.\nAna: Hello there, nice to meet you.\n"})
    _survey(root)
    with open(root / "data" / "raw" / "survey.csv", "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(["R5", "Helen Bright", "South", "Zoe Hartley at the food bank", "The food parcels."])
    with Study(root) as study:
        study.ingest()
        assert study.store.participants().set_index("participant_id").loc["R5", OTHER] == \
            "Zoe Hartley at the food bank"  # nobody knows that Zoe Hartley is a name yet
        (root / "data" / "raw" / "zoe.txt").write_text("Interviewer: Who helped?\nZoe Hartley: My aunt.\n",
                                                       encoding="utf-8")
        report = study.ingest()
        survey = next(r for r in report.rows if r.path.endswith("survey.csv"))
        assert survey.status == "changed" and any(w.startswith("[W116]") for w in survey.warnings)
        zoe = study.segments("zoe").query("not is_interviewer")["speaker"].iloc[0]
        assert study.store.participants().set_index("participant_id").loc["R5", OTHER] == \
            f"{zoe} at the food bank"
        assert not _leaks(study.store.participants())
