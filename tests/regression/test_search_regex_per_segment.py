"""`search --regex` matches each segment's own text: a match attempt that began before a turn is retried
inside it, `^` and `$` match at a turn's start and end, and `--code` codes every hit.

Before, the pattern ran over the whole document and a match that crossed a segment boundary was
dropped, taking with it the hit the pattern would have found inside the segment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .tiny_study import methods_study

runner = CliRunner()

TALK = ("Interviewer: Hello?\nP02: We taught online. Then we met online again!\n"
        "Interviewer: And then?\nP02: Then covid came.\n")


@pytest.fixture
def rx_study(tmp_path: Path) -> Path:
    root = methods_study(tmp_path / "study", {"talk.txt": TALK})
    with Study(root) as s:
        s.ingest()
    return root


def _per_segment(root: Path, pattern: str) -> list[tuple[str, str]]:
    """(segment id, match) of ``pattern`` applied to each stored segment's text, the way a reader would."""
    rx = re.compile(pattern, re.IGNORECASE)
    with Study(root) as s:
        segs = s.store.segments()
    return [(str(r.segment_id), m.group()) for r in segs.itertuples() for m in rx.finditer(str(r.text)) if m.group()]


@pytest.mark.parametrize("pattern", [r"[^.?!]*online[^.?!]*", r"^then", r"came\.$", r"(?s)covid.*", r"^\w+"])
def test_regex_hits_are_the_pattern_applied_to_each_segment(rx_study: Path, pattern: str) -> None:
    with Study(rx_study) as s:
        hits = s.search(pattern, mode="regex")
        text = s.store.document_text("talk")
    expected = _per_segment(rx_study, pattern)
    assert expected  # every pattern here does occur in some turn
    assert list(zip(hits["segment_id"], hits["match"])) == expected
    for r in hits.itertuples():
        assert text[r.start:r.end] == r.match  # offsets are the document's


def test_regex_hit_that_began_before_the_turn_is_found_and_coded(rx_study: Path) -> None:
    s = ["--study", str(rx_study)]
    r = runner.invoke(app, ["search", "--regex", r"[^.?!]*online[^.?!]*", "--limit", "0", *s])
    assert r.exit_code == 0, r.output
    assert "2 hit(s) in 1 segment(s)" in " ".join(r.output.split())
    r = runner.invoke(app, ["search", "--regex", r"[^.?!]*online[^.?!]*", "--code", "online", "--coder", "HT", *s])
    assert r.exit_code == 0, r.output
    with Study(rx_study) as study:
        codings = study.store.codings(code="online")
    assert sorted(codings["text"]) == [" Then we met online again", "We taught online"]


def test_words_phrase_and_wildcard_modes_still_find_what_they_did(rx_study: Path) -> None:
    with Study(rx_study) as s:
        assert s.search("online")["match"].tolist() == ["online", "online"]
        assert s.search("then")["segment_id"].tolist() == ["talk:1", "talk:2", "talk:3"]
        assert s.search("we online")["segment_id"].tolist() == ["talk:1"] * 4
        assert s.search("met online", mode="phrase")["match"].tolist() == ["met online"]
        assert s.search("onl*")["match"].tolist() == ["online", "online"]
        assert s.search("came hello", mode="phrase").empty
