"""A suggestion the consensus coder accepted is the consensus coding, not another coder's superseded one.

``prefer_consensus`` split the consensus from the others on the raw ``coder`` column, which for an accepted
suggestion is the suggester, so on a segment the consensus coder settled in review the accepted coding was
marked superseded and the tables counted it for nobody (0 of 1). It now reads ownership as ``coding.owner``
does: an accepted suggestion is its reviewer's.
"""

from __future__ import annotations

from coding.manual_support import fill_study
from thematic.analysis.consensus import prefer_consensus
from thematic.models import Coding, Provenance


def _suggest(store, seg_id: str, code_id: str) -> str:  # noqa: ANN001
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, "thematic.rules.v1", status="suggested",
               text=seg.text, segment_id=seg.id, confidence=0.6,
               provenance=Provenance("suggester", "thematic.rules.v1"), memo=f"keyword '{code_id}'")
    store.add_codings([c])
    return c.id


def test_the_consensus_coders_accepted_suggestion_counts(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:3", "generativity", coder="CD")          # CD's coding, settled away by the consensus
    kept = _suggest(study.store, "int-01:3", "funding")
    dropped = _suggest(study.store, "int-01:3", "generativity")
    study.decide(kept, "accept", reviewer="consensus")
    study.decide(dropped, "reject", reviewer="consensus")       # the segment is now seen by the consensus
    assert "int-01:3" in set(study.seen("consensus")["segment_id"])

    freq = study.frequencies(level="code").set_index("code_id")
    assert int(freq.loc["funding", "n_segments"]) == 1
    assert int(freq.loc["generativity", "n_segments"]) == 0     # CD's coding is superseded there

    f = study.frames()
    marked, settled = prefer_consensus(study.store.codings(), f.segments, f.coverage, "consensus")
    assert settled == 1
    row = marked.set_index("coding_id")
    assert not bool(row.loc[kept, "superseded"])
    cd = marked.loc[(marked["coder"] == "CD"), "superseded"]
    assert cd.tolist() == [True]
