"""`thematic code add|remove SEGMENT CODE --start S --end E` silently dropped the span: `add` coded the whole turn,
and `remove` took off every coding of that code in the turn, including ones the coder did not name. A span is given
in the document's offsets with `--document`; with a segment id, `--start`/`--end` are now an error (E353) that
says so, and nothing is stored or removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from regression.tiny_study import ENV, cli, runner, study_with, CODEBOOK
from store_support import coding_count
from thematic.cli.main import app

TEXT = "Interviewer: What happened?\nAnna: The funding was cut and then the staff left.\n"


def _study(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": TEXT})
    cli(root, "ingest")
    return root


@pytest.mark.parametrize("verb", ["add", "remove"])
@pytest.mark.parametrize("span", [["--start", "34", "--end", "41"], ["--start", "34"], ["--end", "41"]])
def test_a_span_with_a_segment_id_is_refused(tmp_path: Path, verb: str, span: list[str]) -> None:
    root = _study(tmp_path)
    text = TEXT
    start = text.index("funding")
    cli(root, "code", "add", "--document", "int", "--start", str(start), "--end", str(start + 7), "money",
        "--coder", "HT")
    staff = text.index("staff")
    cli(root, "code", "add", "--document", "int", "--start", str(staff), "--end", str(staff + 5), "money",
        "--coder", "HT")
    before = coding_count(root / "data" / "coded" / "thematic.db")
    res = runner.invoke(app, ["code", verb, "int:1", "money", *span, "--coder", "HT", "--study", str(root)], env=ENV)
    assert res.exit_code == 1, res.output
    out = " ".join(res.output.split())
    assert "[E353]" in out and "--document" in out
    assert coding_count(root / "data" / "coded" / "thematic.db") == before


def test_a_span_with_document_still_codes_the_span(tmp_path: Path) -> None:
    from thematic.study import Study

    root = _study(tmp_path)
    with Study.open(root) as study:
        start = study.store.document_text("int").index("funding")
    out = cli(root, "code", "add", "--document", "int", "--start", str(start), "--end", str(start + 7), "money",
              "--coder", "HT")
    assert "funding" in out and "staff" not in out
