"""Build the two coders' sheets of the example study from ``tests/gold/two-coders.jsonl``.

The example study ships the codings of two fictional researchers, HT and SO, who each coded 120
participant turns and survey answers blind. This script turns that file into the spreadsheets a
second coder would send back: on a temporary copy of the study it ingests ``data/raw``, exports
each coder's blind sheet with the library's ``export_sheet`` (the format of ``thematic export
sheet``), ticks that coder's codes on the rows of the units they coded (every other row stays
blank), and saves ``data/coded/sheets/coder-HT.xlsx`` and ``coder-SO.xlsx``. It then imports each
saved sheet into another fresh copy, as ``thematic import sheet FILE --coder HT`` would, and fails
if any row is unknown, changed or unreadable, or if a code did not come back.

Units are matched to segments by their text with whitespace collapsed (never by id; see
``tests/gold/README.md``). Ingest pseudonymises names inside the text, so a unit whose text is not
found exactly is matched to the single segment it is at least 90% similar to. Run it again
whenever ingest or the raw data changes the segments:

    python scripts/make_coder_sheets.py            # writes data/coded/sheets/coder-*.xlsx
    python scripts/make_coder_sheets.py --check    # only verifies the shipped sheets import cleanly
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

import thematic

ROOT = Path(__file__).resolve().parents[1]
UNITS = Path("tests/gold/two-coders.jsonl")
OUT = Path("data/coded/sheets")
CODERS = ("HT", "SO")
MIN_SIMILARITY = 0.9


@dataclass(frozen=True)
class Match:
    """A unit of the two-coders file and the segment it was found in."""

    unit_id: str
    segment_id: str
    document_id: str
    similarity: float


def copy_study(root: Path, dest: Path, *, sheets: bool = False) -> Path:
    """Copy what a study needs to be rebuilt (config, codebooks, raw data; the sheets if asked) into ``dest``."""
    shutil.copy2(root / "thematic.toml", dest / "thematic.toml")
    shutil.copytree(root / "codebooks", dest / "codebooks")
    shutil.copytree(root / "data" / "raw", dest / "data" / "raw")
    if sheets and (root / OUT).is_dir():
        shutil.copytree(root / OUT, dest / OUT)
    return dest


def read_units(path: Path) -> list[dict[str, Any]]:
    """The coded units, one JSON object per line: ``{"id", "text", "coder_HT": [...], "coder_SO": [...]}``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def _position(unit_id: str) -> int | None:
    tail = unit_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def match_units(units: Iterable[dict[str, Any]], segments: pd.DataFrame) -> list[Match]:
    """Find each unit's segment by text; raise ValueError naming every unit that has none.

    Identical texts (two speakers saying "There's no ladder.") are told apart by the unit's turn
    position, which the README only offers as a tie-break.
    """
    by_text: dict[str, list[Any]] = {}
    for s in segments.itertuples():
        by_text.setdefault(_norm(s.text), []).append(s)
    flat = [(s, _norm(s.text)) for s in segments.itertuples()]
    matches, missing = [], []
    for unit in units:
        text, pos = _norm(unit["text"]), _position(unit["id"])
        found = by_text.get(text, [])
        if found:
            best = next((s for s in found if s.index == pos), found[0])
            matches.append(Match(unit["id"], best.segment_id, best.document_id, 1.0))
            continue
        scored = sorted(((difflib.SequenceMatcher(None, text, t, autojunk=False).ratio(), s) for s, t in flat),
                        key=lambda x: -x[0])
        if scored and scored[0][0] >= MIN_SIMILARITY and (len(scored) < 2 or scored[1][0] < MIN_SIMILARITY):
            ratio, s = scored[0]
            matches.append(Match(unit["id"], s.segment_id, s.document_id, round(ratio, 3)))
        else:
            missing.append(unit["id"])
    if missing:
        raise ValueError(f"{len(missing)} unit(s) match no segment: {', '.join(missing)}")
    return matches


def fill_sheet(path: Path, ticks: dict[str, list[str]]) -> int:
    """Tick ``ticks[segment_id]`` codes on an exported sheet, as a coder would in Excel; returns ticks made."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["coding"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header) if name}
    seen, made = set(), 0
    for row in range(2, ws.max_row + 1):
        sid = ws.cell(row=row, column=col["segment_id"]).value
        for code in ticks.get(sid, []):
            if code not in col:
                raise ValueError(f"{path.name}: code '{code}' has no column in the sheet")
            ws.cell(row=row, column=col[code]).value = 1
            made += 1
        seen.add(sid)
    absent = sorted(set(ticks) - seen)
    if absent:
        raise ValueError(f"{path.name}: no row for segment(s) {', '.join(absent)}")
    wb.save(path)
    return made


def build_sheets(root: Path, out: Path) -> dict[str, dict[str, Any]]:
    """Ingest a temporary copy, export and fill each coder's sheet, write them to ``out``; a summary per coder."""
    units = read_units(root / UNITS)
    summary: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="thematic-sheets-") as tmp:
        study = thematic.Study.open(copy_study(root, Path(tmp)))
        study.ingest()
        matches = match_units(units, study.segments(include_interviewer=False))
        docs = sorted({m.document_id for m in matches})
        out.mkdir(parents=True, exist_ok=True)
        for coder in CODERS:
            ticks: dict[str, list[str]] = {}
            for unit, m in zip(units, matches):
                ticks.setdefault(m.segment_id, []).extend(unit[f"coder_{coder}"])
            sheet = study.export_sheet(out / f"coder-{coder}.xlsx", coder=coder, document=docs)
            made = fill_sheet(sheet.path, ticks)
            sheet.path.chmod(0o644)  # export_sheet writes through mkstemp, which leaves the file private (0600)
            summary[coder] = {"rows": sheet.rows, "documents": len(docs), "units": len(matches), "ticks": made,
                              "fuzzy": sum(m.similarity < 1 for m in matches)}
        study.close()
    return summary


def check_sheets(root: Path, sheets: Path) -> dict[str, Any]:
    """Import each coder's sheet into a fresh copy of the study; raise if any row has a problem."""
    units = read_units(root / UNITS)
    reports = {}
    with tempfile.TemporaryDirectory(prefix="thematic-sheets-check-") as tmp:
        study = thematic.Study.open(copy_study(root, Path(tmp)))
        study.ingest()
        for coder in CODERS:
            report = study.import_sheet(sheets / f"coder-{coder}.xlsx", coder=coder)
            expected = sum(len(u[f"coder_{coder}"]) for u in units)
            if not report.ok or report.added != expected:
                problems = "\n  ".join(str(p) for p in report.problems()[:20])
                raise ValueError(f"coder-{coder}.xlsx: {report.added} codings added, {expected} expected; "
                                 f"{len(report.problems())} problem(s)\n  {problems}")
            reports[coder] = report
        study.close()
    return reports


def main(argv: list[str] | None = None) -> int:
    """Command line: build (default) or only check the example study's coder sheets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--study", type=Path, default=ROOT, help="the example study's root (default: this repo)")
    parser.add_argument("--check", action="store_true", help="only import the existing sheets and report")
    args = parser.parse_args(argv)
    root = args.study.resolve()
    if not args.check:
        for coder, s in build_sheets(root, root / OUT).items():
            print(f"coder-{coder}.xlsx: {s['rows']} rows from {s['documents']} documents; "
                  f"{s['ticks']} ticks on {s['units']} units ({s['fuzzy']} matched despite pseudonymised names)")
    try:
        reports = check_sheets(root, root / OUT)
    except ValueError as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return 1
    for coder, r in reports.items():
        print(f"import {coder}: {r.rows} rows read, {r.added} codings added, {r.removed} removed, "
              f"{len(r.problems())} problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
