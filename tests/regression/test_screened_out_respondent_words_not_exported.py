"""A survey respondent screened out after coding (``exclude = {R2 = "withdrew consent"}``): their coded words
leave the codings (no export shows them), and ``--prune --purge`` erases them from the event log too, the
events staying, redacted, as for a whole file."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from thematic.models import Coding
from thematic.study import Study

SURVEY = """respondent_id,site,what_helped
R1,Leeds,"My PhD supervisor helped me a lot with qualitative methods and interviews."
R2,York,"SECRETR2 my thesis survey methods were taught by a friend, which was good."
R3,Leeds,"Nothing much helped with the PhD, honestly, it was a long lonely slog."
"""


def _code_answer_of(study: Study, respondent: str, coder: str = "HT") -> None:
    segs = study.segments()
    seg = segs[segs["participant_id"] == respondent].iloc[0]
    study.store.add_codings([Coding(str(seg["document_id"]), int(seg["start"]), int(seg["end"]), "methods", coder,
                                    text=str(seg["text"]), segment_id=str(seg["segment_id"]))])


def _exclude(study: Study) -> Study:
    root = study.root
    with (root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write('\n[ingest.survey."survey.csv"]\nexclude = { R2 = "withdrew consent" }\n')
    study.close()
    return Study.open(root)


def _holds(path: Path, words: bytes) -> bool:
    if path.suffix in {".xlsx", ".docx"}:
        with zipfile.ZipFile(path) as z:
            return any(words in z.read(n) for n in z.namelist())
    return words in path.read_bytes()


def test_screened_out_respondents_codings_leave_exports_and_purge_erases_their_words(study: Study,
                                                                                    tmp_path: Path) -> None:
    (study.paths.raw / "survey.csv").write_text(SURVEY, encoding="utf-8")
    study.ingest()
    _code_answer_of(study, "R2")
    _code_answer_of(study, "R1")
    study = _exclude(study)
    try:
        report = study.ingest()
        warnings = [w for r in report.rows for w in r.warnings]
        assert any("[W388]" in w and "R2" in w for w in warnings), report.rows
        assert not any("[W106]" in w for w in warnings)
        assert list(study.store.codings()["text"]).count(
            "My PhD supervisor helped me a lot with qualitative methods and interviews.") == 1
        assert not study.store.codings()["text"].str.contains("SECRETR2").any()
        codings_csv = study.export_codings(tmp_path / "codings.csv")
        workbook = study.report_workbook(tmp_path / "tables.xlsx")
        assert not _holds(codings_csv, b"SECRETR2") and not _holds(workbook, b"SECRETR2")
        events = study.store.events()
        assert events["payload"].str.contains("SECRETR2").any()  # the log keeps them until a purge

        report = study.ingest(prune=True, purge=True)
        assert report.purged_respondents == ("survey: R2",) and report.purged_codings == 1
        events = study.store.events()
        assert not events["payload"].str.contains("SECRETR2").any()
        removed = events[events["note"].fillna("").str.startswith("screened out")]
        assert len(removed) == 1  # the events stay, redacted
        assert json.loads(removed["payload"].iloc[0])["text"] is None
        assert len(study.store.codings()) == 1
        again = study.ingest(prune=True, purge=True)
        assert again.purged_respondents == ()  # nothing left to erase
    finally:
        study.close()
    con = sqlite3.connect(study.paths.db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    assert not _holds(study.paths.db, b"SECRETR2")
