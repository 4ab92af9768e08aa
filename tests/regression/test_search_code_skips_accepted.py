"""`thematic search ... --code` skips a span the coder already owns through an accepted suggestion.

Coding search hits used to add a manual coding beside an accepted suggestion of the same code on the
same span (the store's duplicate check keys on the coding's coder, which for an accepted suggestion is
the suggester), and reported "0 already coded", although the docs say spans already coded are skipped.
"""

from __future__ import annotations

from coding.manual_support import fill_study, suggest
from thematic.coding.owner import coder_codings
from thematic.coding.search import code_hits, search


def test_an_accepted_span_is_skipped_not_doubled(study) -> None:  # noqa: ANN001
    fill_study(study)
    sid = suggest(study.store, "int-01:3", "security_vetting", 0.6)
    study.decide(sid, "accept", reviewer="AB")
    hits = search(study.store, "vetting")
    assert {"int-01:1", "int-01:3"} <= set(hits["segment_id"])
    done = code_hits(study.store, hits, "security_vetting", coder="AB", query="vetting", scope="segment")
    mine = coder_codings(study.store, "AB")
    assert done.skipped == 1
    assert len(mine.loc[mine["segment_id"] == "int-01:3"]) == 1
    assert mine.loc[mine["segment_id"] == "int-01:3", "status"].tolist() == ["accepted"]
    assert set(mine["segment_id"]) == set(hits["segment_id"])


def test_another_coder_still_codes_the_span(study) -> None:  # noqa: ANN001
    fill_study(study)
    sid = suggest(study.store, "int-01:3", "security_vetting", 0.6)
    study.decide(sid, "accept", reviewer="AB")
    hits = search(study.store, "vetting")
    done = code_hits(study.store, hits, "security_vetting", coder="SO", query="vetting", scope="segment")
    assert done.skipped == 0 and done.added == len(set(hits["segment_id"]))
