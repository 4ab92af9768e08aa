"""A survey column in neither ``text_columns`` nor ``attribute_columns`` vanished without a word.

With both lists set (as W119 advises), an open question added in wave 2 was no segment and no attribute, the
ingest report showed no warning, and the document's split filed it under ``metadata`` (which the docs define
as tool metadata, names, contacts and the screening column). Now such a column is still left out (the settings
decide) but W122 names the file and the column, with its number of answers, and says to add it to
text_columns or attribute_columns; so does a short-answer column left out by ``attribute_columns`` alone. The
documented left-out kinds (an all-date column, names and contacts, the screening column) and a column without
answers get no such note.
"""

from __future__ import annotations

from pathlib import Path

from ingest.helpers import make_xlsx
from thematic.study import Study

HELPED = "What helped you most?"
CHANGE = "What would you change about the service?"
SETTINGS = f"""
[ingest.survey."survey.xlsx"]
id_column = "respondent_id"
text_columns = ["{HELPED}"]
attribute_columns = ["site"]
"""
WAVE1 = [
    ["respondent_id", "site", HELPED],
    ["R1", "North", "My key worker rang every week."],
    ["R2", "South", "The peer group on Tuesdays."],
    ["R3", "North", "Bus fares paid up front."],
]
CHANGES = ["Evening sessions for people who work days.", "Shorter waiting lists, three months is too long.",
           "A creche so I can bring my kids along."]


def _study(study: Study) -> Study:
    with open(study.root / "thematic.toml", "a", encoding="utf-8") as f:
        f.write(SETTINGS)
    return Study(study.root)


def _raw(study: Study) -> Path:
    return study.root / "data" / "raw" / "survey.xlsx"


def test_a_wave_two_question_in_neither_list_is_named_with_how_to_include_it(study: Study) -> None:
    study = _study(study)
    make_xlsx(_raw(study), WAVE1)
    assert not [w for w in study.ingest().rows[0].warnings if w.startswith("[W122]")]
    make_xlsx(_raw(study), [[*WAVE1[0], CHANGE], *([*r, a] for r, a in zip(WAVE1[1:], CHANGES))])
    row = study.ingest().rows[0]
    (note,) = [w for w in row.warnings if w.startswith("[W122]")]
    assert "survey.xlsx" in note and f"'{CHANGE}' (3 answers)" in note
    assert "text_columns" in note and "attribute_columns" in note
    assert study.store.document("survey").attributes["columns"]["metadata"] == [CHANGE]

    toml = study.root / "thematic.toml"  # done as the note says
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'["{HELPED}"]', f'["{HELPED}", "{CHANGE}"]'),
                    encoding="utf-8")
    study = Study(study.root)
    row = study.ingest().rows[0]
    assert not [w for w in row.warnings if w.startswith("[W122]")]
    assert sorted(study.segments()["question"].unique()) == sorted([HELPED, CHANGE])


def test_documented_left_out_columns_and_empty_ones_are_not_named(study: Study) -> None:
    study = _study(study)
    speech = "What did you make of the address the minister gave?"  # a question that mentions a contact word
    header = [*WAVE1[0], "Timestamp", "Email", "screening", "Submitted", "Notes", "Staff comments", speech]
    rows = [[*r, f"2024-05-0{i} 09:00", f"r{i}@example.org", "", f"2024-05-0{i}", "", "Rang twice, no answer.",
             "Too long, and nothing new in it for us."] for i, r in enumerate(WAVE1[1:], start=1)]
    make_xlsx(_raw(study), [header, *rows])
    row = study.ingest().rows[0]
    (note,) = [w for w in row.warnings if w.startswith("[W122]")]
    assert "'Staff comments' (3 answers)" in note and f"'{speech}' (3 answers)" in note
    for quiet in ("Timestamp", "Email", "screening", "Submitted", "Notes"):
        assert f"'{quiet}'" not in note


def test_attribute_columns_alone_names_a_short_column_it_leaves_out(study: Study) -> None:
    with open(study.root / "thematic.toml", "a", encoding="utf-8") as f:
        f.write('\n[ingest.survey."survey.xlsx"]\nid_column = "respondent_id"\nattribute_columns = ["site"]\n')
    study = Study(study.root)
    make_xlsx(_raw(study), [[*WAVE1[0], "Age band", CHANGE],
                            *([*r, band, a] for r, band, a in zip(WAVE1[1:], ["18-24", "25-34", "18-24"], CHANGES))])
    row = study.ingest().rows[0]
    (note,) = [w for w in row.warnings if w.startswith("[W122]")]
    assert "'Age band' (3 answers)" in note and CHANGE not in note  # an open question is still guessed
    assert CHANGE in study.segments()["question"].unique()
