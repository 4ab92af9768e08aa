"""Acceptance (issue 19): the README's command-line tour, run as written, on a new study made from the
real samples in ../shared (interviews, surveys, and their facesheet as participants.csv). Every command
runs in its own process; none may print a traceback, and the tables must give the right N."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from .unlike_example import CODEBOOK

SAMPLES = ("transcripts/Ana.docx", "transcripts/David.docx", "transcripts/Jessica.txt", "transcripts/qualcoder_ID1.docx",
           "transcripts/qualcoder_bracket_speakers.txt", "surveys/qualcoder_survey456.csv",
           "surveys/qualcoder_survey789.xlsx", "surveys/qualcoder_cases456.xlsx")
FACESHEET = "transcripts/Interview Participant - Facesheet information.xlsx"


def _thematic(cwd: Path, *args: str, stdin: str | None = None, ok: bool = True) -> str:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "COLUMNS": "160", "THEMATIC_CODER": "HT"}
    r = subprocess.run([sys.executable, "-m", "thematic", *args], cwd=cwd, input=stdin, capture_output=True,
                       text=True, timeout=600, env=env)
    out = r.stdout + r.stderr
    assert "Traceback" not in out, out
    assert (r.returncode == 0) == ok, f"thematic {' '.join(args)} -> {r.returncode}\n{out}"
    return out


def _facesheet_as_csv(src: Path, dest: Path) -> None:
    """The facesheet saved as participants.csv, as a researcher would (File > Save as CSV)."""
    ws = openpyxl.load_workbook(src, read_only=True, data_only=True).active
    with dest.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)])


def _fill(sheet: Path, out: Path, step: int) -> None:
    """A coder ticks 'time pressure' on every ``step``-th row of the blind sheet."""
    wb = openpyxl.load_workbook(sheet)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1, step):
        ws.cell(r, cols["time_pressure"]).value = "x"
    wb.save(out)


@pytest.mark.slow
def test_readme_tour_on_the_shared_samples(shared_dir: Path, tmp_path: Path) -> None:
    samples = shared_dir / "samples"
    _thematic(tmp_path, "init", "my-study")
    study = tmp_path / "my-study"
    for rel in SAMPLES:
        shutil.copy(samples / rel, study / "data" / "raw" / Path(rel).name)
    _facesheet_as_csv(samples / FACESHEET, study / "data" / "raw" / "participants.csv")
    (study / "codebooks" / "my-codebook.yaml").write_text(CODEBOOK, encoding="utf-8")  # the user's codebook

    _thematic(study, "codebook", "validate")
    ingest = " ".join(_thematic(study, "ingest").split())
    assert "[W020]" in ingest and "[W021]" in ingest  # 12 facesheet rows without transcripts; id1-id3 unmapped
    _thematic(study, "code")
    _thematic(study, "review", "--order", "uncertain", stdin="a\n" * 15 + "r\n" * 5 + "q\n")
    # HT codes by hand too (the tour assumes a first coder's manual codings; accepting suggestions credits the suggester)
    _thematic(study, "export", "sheet", "--coder", "HT", "--out", "ht.xlsx")
    _fill(study / "ht.xlsx", study / "ht-filled.xlsx", 3)
    _thematic(study, "import", "sheet", "ht-filled.xlsx", "--coder", "HT")
    _thematic(study, "export", "sheet", "--coder", "SO", "--out", "so.xlsx")
    _fill(study / "so.xlsx", study / "so-filled.xlsx", 2)
    _thematic(study, "import", "sheet", "so-filled.xlsx", "--coder", "SO")
    _thematic(study, "agreement", "--coders", "HT,SO", "--out", "reports/disagreements.docx")
    by_role = _thematic(study, "tables", "frequency", "--by", "role", ok=False)  # the facesheet has no role column
    assert "[E402]" in by_role and "Sex" in by_role
    out = " ".join(_thematic(study, "tables", "frequency", "--by", "Sex", "--out", "freq.csv").split())
    assert "N: 3 interviewees and 6 survey respondents" in out
    _thematic(study, "report", "quotes", "--out", "reports/appendix.docx")
    _thematic(study, "refi", "export", "--out", "my-study.qdpx")

    freq = pd.read_csv(study / "freq.csv")
    sizes = freq.loc[freq["group"] == "All"].groupby("source")["N_participants"].max().to_dict()
    assert sizes == {"interviewees": 3, "survey respondents": 6}
    assert (freq["n_participants"] <= freq["N_participants"]).all()
    sexes = freq.loc[freq["source"] == "interviewees"].groupby("group")["N_participants"].max().to_dict()
    assert {g: n for g, n in sexes.items() if n} == {"All": 3, "F": 2, "M": 1}  # "(missing)": unmapped speakers, N 0
    assert (study / "reports" / "appendix.docx").stat().st_size > 10_000
