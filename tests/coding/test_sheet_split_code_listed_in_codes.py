"""A coder's own coding of a code split away (the file no longer defines it), listed in a new sheet's `codes`.

A sheet exported after a release that split `barriers` away lists the coder's stored (flagged) `barriers`
coding in the row's `codes` cell, as there is no column for it. Sent back unchanged, the row was skipped as
an "unknown code" (W340), so it was not recorded as seen and agreement compared the coders over fewer
segments; the manual says such a listing, which only shows the coder's own coding, skips nothing. Now it
skips nothing, under the sheet's release and after a later one, and the stored coding is kept; typing the
split-away id on a row where the coder has no such coding is still refused.
"""

from __future__ import annotations

from pathlib import Path

from coding.sheet_release_support import codes_of, fill, make_study, release
from thematic.study import Study

SPLIT = ["{version: 1.1.0, split: {from: barriers, into: [paperwork, delays]}}"]
NEW_CODES = ("- id: paperwork\n  label: Paperwork\n  parent: work\n  definition: Forms.\n"
             "- id: delays\n  label: Delays\n  parent: work\n  definition: Waiting.\n")
BARRIERS = "- id: barriers\n  label: Barriers\n  parent: work\n  definition: Barriers to work.\n"


def _study(tmp_path: Path) -> tuple[Path, Path]:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:5", "barriers", coder="SO")
        study.code("alpha:1", "money", coder="SO")
    release(root, SPLIT, {BARRIERS: NEW_CODES})
    with Study(root) as study:
        sheet = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    return root, sheet


def _seen(study: Study, coder: str) -> set[str]:
    cov = study.store.coverage()
    return set(cov.loc[cov["coder"] == coder, "segment_id"].astype(str))


def test_a_split_away_code_listed_in_codes_skips_nothing(tmp_path: Path) -> None:
    root, sheet = _study(tmp_path)
    with Study(root) as study:
        report = study.import_sheet(sheet, coder="SO")
        assert not report.unknown_codes, [p.message for p in report.unknown_codes]
        assert "alpha:5" in _seen(study, "SO")
        assert codes_of(study, "SO") == {("alpha:5", "barriers"), ("alpha:1", "money")}


def test_after_a_later_release_too(tmp_path: Path) -> None:
    root, sheet = _study(tmp_path)
    path = root / "codebooks" / "cb.yaml"
    text = path.read_text(encoding="utf-8").replace("- {version: 1.1.0, split",
                                                    "- {version: 1.2.0, retire: {code: family}}\n- {version: 1.1.0, split")
    path.write_text(text, encoding="utf-8")
    with Study(root) as study:
        assert study.release_codebook("minor").version == "1.2.0"
        study.migrate_codebook(actor="HT")
        report = study.import_sheet(sheet, coder="SO")
        assert not [p for p in report.unknown_codes if "'codes'" in p.message]
        assert "alpha:5" in _seen(study, "SO")


def test_typing_the_split_away_id_where_the_coder_has_none_is_refused(tmp_path: Path) -> None:
    root, sheet = _study(tmp_path)
    filled = fill(sheet, tmp_path / "SO-filled.xlsx", {("beta:3", "codes"): "barriers"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="SO")
        assert [p for p in report.unknown_codes if "'codes'" in p.message]
        assert "beta:3" not in _seen(study, "SO")
        assert ("beta:3", "barriers") not in codes_of(study, "SO")
