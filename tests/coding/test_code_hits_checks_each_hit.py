"""``study.code_hits`` stored whatever a hits frame said, unchecked.

Hits kept in a notebook variable across a re-ingest coded the wrong text at the old offsets; a hand-built
frame with offsets outside the document, an empty or reversed span, or a segment id that disagrees with
its offsets was stored as given (and then counted); a segment id that no longer exists was a raw KeyError.
Now each hit is checked against the stored document before anything is written, as ``study.code`` checks
a span: outside the document is E014, start >= end is E342, an unknown segment is E015, a segment id that
does not hold the offsets, or a ``match`` that is no longer the stored text there, is E344 (the document
changed since the search). One refused hit stores nothing of the batch.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import ThematicError
from thematic.study import Study, init_study

CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- {id: money, label: Money, definition: Talk about money.}
codes:
- {id: funding, label: Funding, parent: money, definition: Funding of services.}
"""
TRANSCRIPT = "Moderator: Hello.\nAnn: I mentor people.\nBen: Funding is always short.\nCat: We love our work.\n"


@pytest.fixture
def study(tmp_path: Path):
    s = init_study(tmp_path / "study")
    (s.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    (s.root / "data" / "raw" / "groupchat.txt").write_text(TRANSCRIPT, encoding="utf-8")
    s.close()
    with Study.open(tmp_path / "study") as opened:
        opened.ingest()
        yield opened


def _refused(call, code: str) -> ThematicError:
    with pytest.raises(ThematicError) as err:
        call()
    assert err.value.code == code, str(err.value)
    return err.value


def _hit(document: str, segment: str, start: int, end: int, **extra) -> pd.DataFrame:
    return pd.DataFrame([{"document_id": document, "segment_id": segment, "start": start, "end": end, **extra}])


def test_stale_hits_after_a_reingest_are_refused_and_nothing_is_stored(study) -> None:
    hits = study.search("funding", include_interviewer=False)
    assert list(hits["match"]) == ["Funding"]
    raw = study.root / "data" / "raw" / "groupchat.txt"
    raw.write_text(TRANSCRIPT.replace("Hello.", "Hello and welcome, everyone, thanks for coming."), encoding="utf-8")
    study.ingest()
    fresh = study.search("short", include_interviewer=False)
    both = pd.concat([fresh, hits], ignore_index=True)  # one good hit and one stale one: all or nothing
    err = _refused(lambda: study.code_hits(both, "funding", coder="AB", query="funding"), "E344")
    assert "groupchat" in str(err) and "'Funding'" in str(err) and "search" in str(err)
    assert study.codings().empty
    again = study.search("funding", include_interviewer=False)  # searching again codes the right words
    assert study.code_hits(again, "funding", coder="AB").added == 1
    assert list(study.codings(coder="AB")["text"]) == ["Funding"]


@pytest.mark.parametrize(("start", "end", "code"), [(-5, 10, "E014"), (10, 10**6, "E014"), (20, 20, "E342"),
                                                    (30, 25, "E342")])
def test_impossible_offsets_get_the_errors_study_code_gives(study, start: int, end: int, code: str) -> None:
    frame = _hit("groupchat", "groupchat:1", start, end)
    err = _refused(lambda: study.code_hits(frame, "funding", coder="CD"), code)
    assert f"{start}:{end}" in str(err) and "row 0" in str(err)
    _refused(lambda: study.code(("groupchat", start, end), "funding", coder="CD"), code)
    assert study.codings().empty


def test_a_segment_id_that_does_not_hold_the_offsets_is_refused(study) -> None:
    seg = study.store.segment("groupchat:2")  # Ben's turn; the frame names Ann's
    frame = _hit("groupchat", "groupchat:1", seg.start, seg.start + 7)
    err = _refused(lambda: study.code_hits(frame, "funding", coder="AB"), "E344")
    assert "groupchat:1" in str(err)
    other = _hit("groupchat", "elsewhere:1", seg.start, seg.start + 7)
    _refused(lambda: study.code_hits(other, "funding", coder="AB"), "E015")
    assert study.codings().empty


def test_a_vanished_segment_id_is_e015_in_either_scope(study) -> None:
    frame = _hit("groupchat", "groupchat:9", 0, 3)
    for scope in ("hit", "segment"):
        err = _refused(lambda: study.code_hits(frame, "funding", coder="AB", scope=scope), "E015")
        assert "groupchat:9" in str(err)
    assert study.codings().empty


def test_a_checked_hand_built_frame_is_still_coded(study) -> None:
    seg = study.store.segment("groupchat:2")
    frame = _hit("groupchat", "groupchat:2", seg.start, seg.start + 7, match="Funding")
    result = study.code_hits(frame, "funding", coder="AB", query="by hand")
    assert result.added == 1
    row = study.codings(coder="AB").iloc[0]
    assert (row["segment_id"], row["text"]) == ("groupchat:2", "Funding")
