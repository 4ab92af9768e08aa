"""`thematic code remove SEGMENT CODE` deleted a coding whose quote a re-ingest had lost.

A coding whose quote is no longer in the corrected transcript is flagged and kept for a person to re-code;
its offsets point at whatever text lies there now. Removing a code from a segment (or an exact span) picked
codings by those stale offsets, so it deleted the flagged coding as if it had been made on that turn. Now a
removal by segment or span leaves such a coding and says so (W554, naming `thematic code remove --id` and
`thematic codebook flagged`); removing it by its id still works.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from regression.unlike_example import TRANSCRIPTS, write_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.models import FLAG_NOT_FOUND
from thematic.study import Study

CODED = "There is never enough time, and the funding for transcription ran out."
NOW = "Honestly the practical side is fine for me: the staff are kind and the whole course runs well."


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """HT coded Ana's turn ana:3 (164-234) as funding, then her words were replaced by longer
    ones and re-ingested: the new ana:3 (164-258) holds the lost coding's old span."""
    root = write_study(tmp_path / "s")
    with Study(root) as s:
        s.ingest()
        s.code("ana:3", "funding_resources", coder="HT")
        (root / "data" / "raw" / "ana.txt").write_text(TRANSCRIPTS["ana.txt"].replace(CODED, NOW),
                                                       encoding="utf-8")
        s.ingest()
        (lost,) = s.store.codings(flagged=True).to_dict("records")
        assert lost["flag"] == FLAG_NOT_FOUND and (lost["start"], lost["end"]) == (164, 234)
        seg = s.store.segment("ana:3")
        assert (seg.start, seg.end, seg.text) == (164, 258, NOW)
    return root


def _run(root: Path, *args: str):  # noqa: ANN202 - a click Result
    result = CliRunner().invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def _lost_ids(root: Path) -> list[str]:
    with Study(root) as s:
        return s.store.codings(flagged=True)["coding_id"].astype(str).tolist()


@pytest.mark.parametrize("where", [["ana:3", "funding_resources"],
                                   ["funding_resources", "--document", "ana", "--start", "164", "--end", "234"]])
def test_remove_by_segment_or_span_leaves_a_lost_quote_coding(root: Path, where: list[str]) -> None:
    (cid,) = _lost_ids(root)
    result = _run(root, "code", "remove", *where, "--coder", "HT")
    out = " ".join(result.output.split())
    assert "Nothing to remove" in out and "[W554]" in out, out
    assert "thematic code remove --id" in out and "thematic codebook flagged --coder HT" in out and cid in out
    assert _lost_ids(root) == [cid]


def test_remove_by_id_still_removes_it(root: Path) -> None:
    (cid,) = _lost_ids(root)
    out = " ".join(_run(root, "code", "remove", "--id", cid, "--coder", "HT").output.split())
    assert f"Removed coding {cid} by HT" in out
    assert _lost_ids(root) == []
