""""n of N" on a study without participants.csv: the people found in the transcripts are counted.

Before, every table of such a study read "0 of 0" (a smoke run on ../shared/samples transcripts): no
speaker was mapped to a participant, while W022 said N "counts the speakers found in the transcripts".
"""

from __future__ import annotations

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import TRANSCRIPTS, code_by_words, write_study

runner = CliRunner()
TEXTS = {
    **TRANSCRIPTS,  # ana.txt, david.txt: "Interviewer" and a named speaker (Ana, David)
    "respondent.txt": "Interviewer: What takes your time?\nRespondent: Marking takes all my time.\n",
    "diary.txt": "No speakers here, one person's diary.\n\nMy time goes on meetings.\n",
    "group.txt": ("Facilitator: Time first?\nP07: Time is the problem.\nP08: Funding more than time.\n"
                  "Facilitator: Anything else?\nP07: Not really.\n"),
}


def _ingested(tmp_path):
    root = write_study(tmp_path / "study", TEXTS)
    study = Study(root)
    report = study.ingest()
    return study, report


def _code_time(study):
    """Code every participant turn that mentions time; the segments."""
    return code_by_words(study, {"time_pressure": ("time",)})


def test_each_speaker_found_is_a_participant_and_never_under_a_real_name(tmp_path):
    study, report = _ingested(tmp_path)
    with study:
        segs = study.store.segments()
        speaking = segs.loc[~segs["is_interviewer"].astype(bool)]
        who = dict(zip(speaking["document_id"] + "|" + speaking["speaker"].fillna("-"), speaking["participant_id"]))
        key = (tmp_path / "study" / "private" / "pseudonym-key.csv").read_text(encoding="utf-8")
        ana, david = (line.split(",")[2] for line in key.splitlines() if line.split(",")[1] in ("Ana", "David"))
        cases = {line.split(",")[1]: line.split(",")[2] for line in key.splitlines() if line.startswith("case,")}
        assert set(cases) == {"respondent / Respondent", "diary / (no speaker label)"}
        assert set(cases.values()) == {"Case 1", "Case 2"}  # not the file's name: files are often named after people
        assert who == {f"ana|{ana}": ana, f"david|{david}": david, "group|P07": "P07", "group|P08": "P08",
                       "respondent|Respondent": cases["respondent / Respondent"],
                       "diary|-": cases["diary / (no speaker label)"]}
        assert not {"Ana", "David", "ana", "david", "respondent", "diary"} & set(speaking["participant_id"])
        assert segs.loc[segs["is_interviewer"].astype(bool), "participant_id"].isna().all()
    text = "\n".join(report.study_warnings)
    assert "[W021]" not in text
    assert "[W022]" in text and "pseudonym" in text


def test_tables_count_the_people_found(tmp_path):
    study, _ = _ingested(tmp_path)
    with study:
        _code_time(study)
        freq = study.frequencies()
        time = freq.loc[freq["code_id"] == "time_pressure"].set_index("source")["n_of_N"].to_dict()
    # Ana, the respondent and the diarist mention time, David does not; in the focus group P07 and P08 do
    assert time == {"interviewees": "3 of 4", "focus-group members": "2 of 2"}
    r = runner.invoke(app, ["tables", "frequency", "--study", str(tmp_path / "study")])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "0 of 0" not in out and "N: 4 interviewees and 2 focus-group members" in out


def test_with_participants_csv_an_unmapped_speaker_still_does_not_count(tmp_path):
    root = write_study(tmp_path / "study", TEXTS)
    (root / "data" / "raw" / "participants.csv").write_text("participant_id,transcript\nA1,ana\n", encoding="utf-8")
    with Study(root) as study:
        report = study.ingest()
        segs = study.store.segments()
        speaking = segs.loc[~segs["is_interviewer"].astype(bool)]
        assert set(speaking["participant_id"].dropna()) == {"A1"}
    assert any("[W021]" in w for w in report.study_warnings)


def test_adding_participants_csv_later_re_reads_the_transcripts(tmp_path):
    study, _ = _ingested(tmp_path)
    with study:
        (tmp_path / "study" / "data" / "raw" / "participants.csv").write_text(
            "participant_id,role\nP07,mentor\nP08,mentor\n", encoding="utf-8")  # no name or transcript column
        report = study.ingest()
        segs = study.store.segments()
        speaking = segs.loc[~segs["is_interviewer"].astype(bool)]
        # the found speakers' ids are gone; labels that are participants.csv ids map to them
        assert set(speaking["participant_id"].dropna()) == {"P07", "P08"}
    assert any("[W021]" in w and "ana" in w for w in report.study_warnings)


def test_refi_round_trip_keeps_the_people_found_as_cases(tmp_path):
    from thematic.refi import import_refi

    study, _ = _ingested(tmp_path)
    with study:
        segs = _code_time(study)
        before = study.frequencies()[["code_id", "source", "n_of_N"]].sort_values(["code_id", "source"])
        found = set(segs["participant_id"].dropna())
        study.export_refi(tmp_path / "study.qdpx")
    import zipfile

    project = zipfile.ZipFile(tmp_path / "study.qdpx").read("project.qde").decode("utf-8")
    assert all(f'name="{pid}"' in project for pid in found)  # each person found is a case
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        after = copy.frequencies()[["code_id", "source", "n_of_N"]].sort_values(["code_id", "source"])
        assert set(copy.store.segments()["participant_id"].dropna()) == found
    assert after.reset_index(drop=True).equals(before.reset_index(drop=True))


def test_without_pseudonymisation_the_document_stands_for_its_unnamed_speaker(tmp_path):
    root = write_study(tmp_path / "study", TEXTS)
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        speaking = segs.loc[~segs["is_interviewer"].astype(bool)]
        who = dict(zip(speaking["document_id"], speaking["participant_id"]))
    assert who["respondent"] == "respondent" and who["diary"] == "diary" and who["ana"] == "Ana"
