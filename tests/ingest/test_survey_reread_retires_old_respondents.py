"""Respondents an older store held under ids the re-read no longer gives stayed on as ghost participants.

A store made before participants' sources were kept (schema 3 and earlier) held a survey's respondents as
plain participant rows. When today's reader re-reads the survey under other ids (a Microsoft Forms numeric
ID column, ``1`` and ``2``, becomes ``forms-survey-R1`` and ``-R2``), the old rows ``1`` and ``2`` were never
dropped: status said "2 counted; 4 on record" and the REFI export wrote 4 cases, two of them with the old
reader's stale attributes.

Now a re-read drops what the old store said of a participant who was a speaker of that document and whom no
segment names any more: only the respondents the file now names stay on record. An old participant that no
re-read document named (a case from an older REFI import) keeps its attributes.
"""

from __future__ import annotations

import sqlite3
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import Workbook

from regression.tiny_study import CODEBOOK, study_with
from thematic.store.schema import migrate
from thematic.study import Study, status

QUESTION = "What helped you most after release?"
ID_SETTING = '\n[ingest.survey."forms-survey.xlsx"]\nid_column = "ID"\n'
TABLES = ("documents", "segments", "participants", "codings", "coding_events")


def _survey(root: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Site", QUESTION])
    sheet.append([1, "North", "My mentor had been there, she knew the score."])
    sheet.append([2, "South", "Getting a job despite the funding cuts took ages."])
    book.save(root / "data" / "raw" / "forms-survey.xlsx")


def _ingest(study: Study) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    assert not any(r.status == "failed" for r in report.rows), report.rows


def _as_schema_3(db: Path) -> None:
    """Rewrite the store as schema 3 held it (participants as plain rows, no sources), plus an older REFI case."""
    old = db.with_name("old.db")
    conn = sqlite3.connect(old, isolation_level=None)
    migrate(conn, target=3)
    conn.execute("ATTACH DATABASE ? AS cur", (str(db),))
    for table in TABLES:
        conn.execute(f"INSERT INTO {table} SELECT * FROM cur.{table}")
    conn.execute("INSERT INTO participants VALUES ('Case 9', '{\"Site\": \"West\"}')")
    conn.execute("DETACH DATABASE cur")
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    old.rename(db)


def _cases(qdpx: Path) -> list[str]:
    with zipfile.ZipFile(qdpx) as z:
        root = ElementTree.fromstring(z.read("project.qde"))
    return sorted(e.get("name") for e in root.iter() if e.tag.endswith("}Case"))


def test_survey_reread_under_new_ids_leaves_no_ghost_respondents(tmp_path: Path) -> None:
    root = study_with(tmp_path / "study", CODEBOOK, toml=ID_SETTING)
    _survey(root)
    study = Study.open(root)
    _ingest(study)
    assert sorted(study.store.participants()["participant_id"]) == ["1", "2"]
    [seg] = [s for s in study.store.document("forms-survey").segments if "mentor" in s.text]
    study.code(seg.id, "money", coder="HT")
    study.close()
    _as_schema_3(root / "data" / "coded" / "thematic.db")
    (root / "thematic.toml").write_text(
        (root / "thematic.toml").read_text(encoding="utf-8").replace(ID_SETTING, ""), encoding="utf-8")

    study = Study.open(root)
    assert sorted(study.store.participants()["participant_id"]) == ["1", "2", "Case 9"]
    _ingest(study)  # the settings changed: the survey is re-read, its respondents now numbered by the file
    people = study.store.participants().set_index("participant_id")
    assert sorted(people.index) == ["Case 9", "forms-survey-R1", "forms-survey-R2"]
    assert people.loc["Case 9", "Site"] == "West"  # no re-read file named it: kept as the old store had it
    info = status(study)
    assert info["participants"] == 2 and info["roster"] == 3
    [coding] = study.codings().itertuples()
    assert coding.segment_id == seg.id and not isinstance(coding.flag, str)  # the coding followed its answer
    study.export_refi(tmp_path / "study.qdpx")
    assert _cases(tmp_path / "study.qdpx") == ["Case 9", "forms-survey-R1", "forms-survey-R2"]
    study.close()
