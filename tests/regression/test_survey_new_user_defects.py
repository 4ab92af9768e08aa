"""Survey files as a new user brings them (Google Forms, Microsoft Forms, LimeSurvey, Qualtrics,
SurveyMonkey): what is a question, an attribute, tool metadata or a respondent id.

Hand-written fictional survey files, ingested into a real study.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

from thematic.study import Study

from .unlike_example import write_study


def _xlsx(path: Path, rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)


def _ingest(root: Path):  # type: ignore[no-untyped-def]
    with Study(root) as study:
        report = study.ingest()
        return report, study.store.segments(), study.store.participants()


PII = ("respondent_id,Phone number,Contact email,Date of birth,Home address,Postcode,Name,site,What got in the way?\n"
       "R1,07700 900111,ann@x.org,1990-01-02,1 High St,LS1 4AB,Ann Fictional,Leeds,"
       "The bus fare every week was more than I could manage on my wages.\n"
       "R2,07700 900222,bob@x.org,1985-03-04,2 Low Rd,YO1 7HH,Bob Madeup,York,"
       "Nobody to look after the children while I was at the sessions.\n")


def test_personal_contact_columns_never_become_attributes(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"s.csv": PII})
    report, segs, people = _ingest(root)
    assert report.ok
    assert set(segs["participant_id"]) == {"R1", "R2"}
    assert "site" in people.columns
    for column in ("Phone number", "Contact email", "Date of birth", "Home address", "Postcode", "Name"):
        assert column not in people.columns, column
    assert "07700" not in people.to_csv()


def test_a_question_that_mentions_an_address_is_still_a_question(tmp_path: Path) -> None:
    q = "What did you make of the address the minister gave at the opening?"
    root = write_study(tmp_path / "study", {"s.csv": f"respondent_id,Home address,{q}\n"
                                            "R1,1 High Street Leeds LS1 4AB,It was far too long and said nothing about funding.\n"
                                            "R2,2 Low Road York YO1 7HH,I liked that she talked about the volunteers by name.\n"})
    _, segs, people = _ingest(root)
    assert set(segs.loc[segs["document_id"] == "s", "question"]) == {q}
    assert list(people.columns) == ["participant_id"]


def test_refi_cases_leave_out_personal_columns_of_participants_csv(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study")
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,name,Phone number,Date of birth,site\nP1,Ana,07700 900111,1990-01-02,Leeds\n"
        "P2,David,07700 900222,1985-03-04,York\n", encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        study.export_refi(tmp_path / "study.qdpx")
    with zipfile.ZipFile(tmp_path / "study.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
    assert "site" in qde
    assert "Phone number" not in qde and "07700" not in qde and "Date of birth" not in qde and "1990-01-02" not in qde


GOOGLE = ("Timestamp,Email Address,Participant ID,What services did you use?,What made it hard to take part?\n"
          "2024/05/01 9:00:00 AM GMT+1,a@b.com,P01,\"Housing advice, Benefits advice\","
          "Getting there on two buses with a pram was exhausting every time.\n"
          "2024/05/01 9:05:00 AM GMT+1,c@d.com,P02,Benefits advice,\"Nothing really, it was fine for me.\"\n"
          "2024/05/01 9:10:00 AM GMT+1,e@f.com,P03,,\n")


def test_google_forms_timestamp_is_metadata_not_a_question(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"responses.csv": GOOGLE})
    report, segs, people = _ingest(root)
    assert report.ok
    assert "Timestamp" not in set(segs["question"])
    assert "P03" not in set(segs["participant_id"])  # answered nothing: not in N
    assert "Timestamp" not in people.columns


def test_date_time_columns_are_metadata_by_content(tmp_path: Path) -> None:
    from datetime import datetime

    root = write_study(tmp_path / "study", {})
    _xlsx(root / "data" / "raw" / "tool.xlsx", [
        ["Submitted", "Visit day", "Respondent", "site", "What would you change?"],
        [datetime(2024, 5, 1, 9, 0, 13), "01/05/2024", "A1", "Leeds", "Longer opening hours in the evenings for people who work."],
        [datetime(2024, 5, 1, 9, 7, 44), "02/05/2024", "A2", "York", "A crèche so parents can actually come to the sessions."],
        [datetime(2024, 5, 2, 14, 2, 1), "03/05/2024", "A3", "York", ""],
    ])
    report, segs, people = _ingest(root)
    assert report.ok
    assert set(segs.loc[segs["document_id"] == "tool", "question"]) == {"What would you change?"}
    assert "Submitted" not in people.columns and "Visit day" not in people.columns
    assert "site" in people.columns


MISSING = ("respondent_id,What got in the way?,What would you change?\n"
           "R1,The bus fare every week was more than I could manage on my wages.,Evening sessions after work please.\n"
           "R2,N/A,n/a\n"
           "R3,-,none\n"
           "R4,.,None\n"
           "R5,Nobody to look after the children while I was at the sessions.,-\n")


def test_missing_value_markers_are_no_answer(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"s.csv": MISSING})
    report, segs, _ = _ingest(root)
    assert report.ok
    answers = segs.loc[segs["document_id"] == "s"]
    assert set(answers["participant_id"]) == {"R1", "R5"}
    assert not {"N/A", "n/a", "-", "none", "None", "."} & set(answers["text"])


def _ms_forms(path: Path, sites: list[str], answers: list[str]) -> None:
    from datetime import datetime

    rows: list[list[object]] = [["ID", "Start time", "Completion time", "Email", "Name", "Which site?", "What gets in the way?"]]
    for n, (site, answer) in enumerate(zip(sites, answers), start=1):
        rows.append([n, datetime(2024, 5, 1, 9, n), datetime(2024, 5, 1, 9, n + 5), "anonymous", None, site, answer])
    _xlsx(path, rows)


def test_ms_forms_row_numbers_are_scoped_to_their_file(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {})
    raw = root / "data" / "raw"
    _ms_forms(raw / "staff-survey.xlsx", ["Leeds", "York"],
              ["The rota is the main barrier: we never have enough cover for sessions.",
               "Paperwork takes up time that should go on clients, every single day."])
    _ms_forms(raw / "client-survey.xlsx", ["Hull", "Leeds"],
              ["I could not afford the bus to get to the centre more than once a month.",
               "Nobody told me what the sessions were for until I had been going for weeks."])
    report, segs, people = _ingest(root)
    assert report.ok and not [w for w in report.study_warnings if w.startswith("[W025]")]
    answers = segs.loc[segs["question"] == "What gets in the way?"]
    assert len(set(answers["participant_id"])) == 4
    sites = dict(zip(people["participant_id"], people["Which site?"]))
    assert sites["staff-survey-R1"] == "Leeds" and sites["client-survey-R1"] == "Hull"


def test_an_id_column_named_in_the_settings_keeps_its_numbers(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {})
    _ms_forms(root / "data" / "raw" / "staff.xlsx", ["Leeds", "York"],
              ["The rota is the main barrier: we never have enough cover for sessions.",
               "Paperwork takes up time that should go on clients, every single day."])
    with (root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write('\n[ingest.survey."staff.xlsx"]\nid_column = "ID"\n')
    _, segs, _ = _ingest(root)
    assert set(segs.loc[segs["document_id"] == "staff", "participant_id"]) == {"1", "2"}


def test_real_respondent_ids_are_shared_across_files(tmp_path: Path) -> None:
    wave = "respondent_id,site,What got in the way?\nP01,Leeds,{a}\nP02,York,{b}\n"
    root = write_study(tmp_path / "study", {
        "wave1.csv": wave.format(a="The bus fare every week was more than I could manage.",
                                 b="Nobody to look after the children during the sessions."),
        "wave2.csv": wave.format(a="The fare went up again and I stopped going in the end.",
                                 b="My mother helps with the children now, so it is easier."),
    })
    _, segs, _ = _ingest(root)
    answers = segs.loc[segs["question"] == "What got in the way?"]
    assert set(answers["participant_id"]) == {"P01", "P02"} and len(answers) == 4


LIME = ("id,submitdate,lastpage,startlanguage,seed,token,startdate,datestamp,refurl,ipaddr,site,"
        "What got in the way?\n"
        "1,2024-05-01 09:10:00,3,en,1234567,tk1,2024-05-01 09:00:00,2024-05-01 09:10:00,https://example.org/s,"
        "10.0.0.1,Leeds,The bus fare every week was more than I could manage on my wages.\n"
        "2,2024-05-01 10:10:00,3,de,7654321,tk2,2024-05-01 10:00:00,2024-05-01 10:10:00,https://example.org/s,"
        "10.0.0.2,York,Nobody to look after the children while I was at the sessions.\n")
QUALTRICS_LABELS = ("Response ID,Recorded Date,Response Type,Progress,Duration (in seconds),Finished,"
                    "Distribution Channel,User Language,Q_RecaptchaScore,site,What got in the way?\n"
                    "R_a1,2024-03-01 10:10:01,IP Address,100,600,True,anonymous,EN,0.9,Leeds,"
                    "The bus fare every week was more than I could manage on my wages.\n"
                    "R_b2,2024-03-02 10:10:01,IP Address,100,431,True,anonymous,EN,1,York,"
                    "Nobody to look after the children while I was at the sessions.\n")
MS_FORMS = ("ID,Start time,Completion time,Last modified time,Which site?,What got in the way?\n"
            "1,5/1/24 9:00:00,5/1/24 9:10:00,,Leeds,The bus fare every week was more than I could manage on my wages.\n"
            "2,5/1/24 9:05:00,5/1/24 9:12:00,5/2/24 8:00:00,York,"
            "Nobody to look after the children while I was at the sessions.\n")


def test_tool_metadata_columns_are_not_attributes(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"lime.csv": LIME, "qualtrics.csv": QUALTRICS_LABELS, "forms.csv": MS_FORMS})
    report, segs, people = _ingest(root)
    assert report.ok
    assert set(people.columns) == {"participant_id", "site", "Which site?"}, list(people.columns)
    assert set(segs.loc[segs["document_id"] == "qualtrics", "participant_id"]) == {"R_a1", "R_b2"}


def test_qualtrics_label_header_layout_is_screened(tmp_path: Path) -> None:
    text = ('Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,Recorded Date,'
            'Response ID,What is your role?,What got in the way of using the service?\n'
            + ",".join(f'"{{""ImportId"": ""{i}""}}"' for i in ("startDate", "endDate", "status", "ipAddress",
                                                             "progress", "duration", "finished", "recordedDate",
                                                             "_recordId", "QID1", "QID2_TEXT")) + "\n"
            "2024-03-01 10:00:00,2024-03-01 10:10:00,IP Address,1.1.1.1,100,600,True,2024-03-01,R_a1,Staff,"
            "The rota is the main barrier: we never have enough cover for the sessions.\n"
            "2024-03-01 10:00:00,2024-03-01 10:10:00,Survey Preview,,100,60,True,2024-03-01,R_p1,Staff,"
            "Testing testing this is a preview response from the research team.\n"
            "2024-03-01 10:00:00,2024-03-01 10:10:00,IP Address,1.1.1.2,100,600,True,2024-03-01,R_b2,Client,"
            "Nobody told me what the sessions were for until I had been going for weeks.\n")
    root = write_study(tmp_path / "study", {"qt.csv": text, "no-import-ids.csv": "\n".join(
        line for n, line in enumerate(text.splitlines()) if n != 1).replace("R_", "S_") + "\n"})
    with Study(root) as study:
        report = study.ingest()
        segs = study.store.segments()
        people = study.store.participants()
        excluded = study.store.exclusions()
    assert report.ok
    assert set(segs.loc[segs["document_id"] == "qt", "participant_id"]) == {"R_a1", "R_b2"}
    assert set(segs.loc[segs["document_id"] == "no-import-ids", "participant_id"]) == {"S_a1", "S_b2"}
    assert "R_p1" not in set(people["participant_id"]) and "S_p1" not in set(people["participant_id"])
    assert {"R_p1", "S_p1"} <= set(excluded.astype(str).stack())
    assert "Recorded Date" not in people.columns and "Response Type" not in people.columns


def test_qualtrics_questions_with_the_same_text_are_told_apart(tmp_path: Path) -> None:
    text = ("ResponseId,Q1,Q2,Q3,Q4\n"
            "Response ID,Did the service help? - Selected Choice,Please explain your answer.,"
            "Would you recommend it? - Selected Choice,Please explain your answer.\n"
            "R_a1,Yes,They listened to me and helped me sort out my housing benefit claim quickly.,Yes,"
            "Because the staff treat you like a person and not like a case number.\n"
            "R_c3,Yes,Good advice about debts and a referral to the food bank when I needed it.,Yes,"
            "My friend went and it helped her too so I would say go for it.\n")
    root = write_study(tmp_path / "study", {"qx.csv": text})
    _, segs, _ = _ingest(root)
    answers = segs.loc[segs["document_id"] == "qx"]
    by_question = dict(zip(answers["text"], answers["question"]))
    first = by_question["They listened to me and helped me sort out my housing benefit claim quickly."]
    second = by_question["Because the staff treat you like a person and not like a case number."]
    assert first != second
    assert second == "Please explain your answer. (Q4)"
    assert answers["question"].nunique() == 2


SURVEYMONKEY = (
    "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,"
    "Which region are you in?,Which supports did you receive?,,,What would improve the support you got?\n"
    ",,,,,,,,,Response,Mentoring,Training,Other (please specify),Open-Ended Response\n"
    "11800000001,400000001,05/01/2024 09:00:00 AM,05/01/2024 09:10:00 AM,1.2.3.4,,,,,North,Mentoring,,,"
    "More contact with my mentor outside office hours would be good.\n"
    "11800000002,400000001,05/01/2024 09:00:00 AM,05/01/2024 09:10:00 AM,1.2.3.5,,,,,South,Mentoring,Training,"
    "Help with CV,Training that is actually relevant to the jobs that exist around here.\n"
    "11800000003,400000001,05/01/2024 09:00:00 AM,05/01/2024 09:10:00 AM,1.2.3.6,,,,,North,,Training,,"
    "\"Nothing, the support was excellent from start to finish honestly.\"\n")


def test_surveymonkey_options_in_the_second_header_row(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"sm.csv": SURVEYMONKEY})
    report, segs, people = _ingest(root)
    assert report.ok
    q = "Which supports did you receive?"
    assert {f"{q} - Mentoring", f"{q} - Training", "Which region are you in?"} <= set(people.columns)
    assert q not in people.columns and not [c for c in people.columns if c.startswith("column ")]
    row = people.set_index("participant_id").loc["11800000002"]
    assert row[f"{q} - Mentoring"] == "Mentoring" and row[f"{q} - Training"] == "Training"
    answers = segs.loc[segs["document_id"] == "sm"]
    other = answers.loc[answers["question"] == f"{q} - Other (please specify)"]
    assert list(other["text"]) == ["Help with CV"] and list(other["participant_id"]) == ["11800000002"]
    assert len(answers.loc[answers["question"] == "What would improve the support you got?"]) == 3


SHORT = ("respondent_id,site,What one thing would help?,What would you change?,Timestamp\n"
         "R1,Leeds,Better signs.,The bus fare every week was more than I could manage on my wages.,2024-05-01 09:00\n"
         "R2,York,Nothing.,Nobody to look after the children while I was at the sessions.,2024-05-01 09:05\n"
         "R3,Leeds,More staff.,My shifts changed every week so I could never plan to come along.,2024-05-01 09:07\n")


def test_ingest_says_which_columns_became_questions_and_attributes(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"short.csv": SHORT})
    with Study(root) as study:
        report = study.ingest()
        doc = study.store.document("short")
    row = next(r for r in report.rows if r.path.endswith("short.csv"))
    notes = [w for w in row.warnings if w.startswith("[W119]")]
    assert len(notes) == 1
    assert "'What one thing would help?'" in notes[0] and "Timestamp" in notes[0] and "text_columns" in notes[0]
    columns = doc.attributes["columns"]
    assert columns == {"id": "respondent_id", "questions": ["What would you change?"],
                       "attributes": ["site", "What one thing would help?"], "metadata": ["Timestamp"]}
    with Study(root) as study:
        again = study.ingest()
    assert not [w for r in again.rows for w in r.warnings if w.startswith("[W119]")]  # said once, not every run
