"""Coding by hand the exact span of a coding whose quote a re-ingest lost stored nothing.

When a corrected transcript put words of the same length where a coded quote was, the lost coding's old
offsets were exactly the new turn's span. Coding that turn again by hand (`code add`, `study.code`, a
widget tick) said "Coded" but found the flagged coding as a duplicate and returned it, still flagged and
counted nowhere. Now that hand coding re-anchors it: the coding quotes the words there now, its flag is
cleared, it counts in the tables, and the event log records the re-anchoring by the coder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regression.tiny_study import CODEBOOK, cli, study_with

from thematic.models import FLAG_NOT_FOUND
from thematic.study import Study

BEFORE = "Interviewer: Q.\nAnna: The funding ran out.\n"
AFTER = "Interviewer: Q.\nAnna: The vetting ran out.\n"


def lost_study(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": BEFORE})
    cli(root, "ingest")
    cli(root, "code", "add", "int:1", "money", "--coder", "HT")
    (root / "data" / "raw" / "int.txt").write_text(AFTER, encoding="utf-8")
    cli(root, "ingest")
    with Study(root) as s:
        (lost,) = s.store.codings().to_dict("records")
        assert lost["flag"] == FLAG_NOT_FOUND
        seg = s.store.segment("int:1")
        assert (lost["start"], lost["end"]) == (seg.start, seg.end)
    return root


def test_code_add_on_the_lost_span_re_anchors_the_coding(tmp_path: Path) -> None:
    root = lost_study(tmp_path)
    cli(root, "code", "add", "int:1", "money", "--coder", "HT")
    with Study(root) as s:
        (row,) = s.store.codings().to_dict("records")
        assert pd.isna(row["flag"])
        assert row["text"] == "The vetting ran out."
        freq = s.frequencies(level="code")
        assert int(freq.set_index("code_id").loc["money", "n_segments"]) == 1
        events = s.store.events(coding_id=row["coding_id"])
        last = events.iloc[-1]
        assert (last["kind"], last["actor"]) == ("reanchor", "HT")
        replayed = s.store.replay_events().set_index("coding_id")
        assert pd.isna(replayed.loc[row["coding_id"], "flag"])
        assert replayed.loc[row["coding_id"], "text"] == "The vetting ran out."


def test_study_code_on_the_lost_span_re_anchors_it(tmp_path: Path) -> None:
    root = lost_study(tmp_path)
    with Study(root) as s:
        s.code("int:1", "money", coder="HT")
        assert s.store.codings(flagged=True).empty
        (row,) = s.store.codings().to_dict("records")
        assert row["text"] == "The vetting ran out."
