"""Accepting a suggestion of a code the reviewer already applied by hand to that span makes no twin.

`decide(..., "accept")` set the suggestion accepted beside the reviewer's own manual coding of the same
code and span, so the reviewer owned two codings of one passage (exports and code usage counted two).
The accept now folds the manual coding into the accepted suggestion: the suggestion is accepted (the
suggester's record stays right), the manual coding is removed with a logged note naming the suggestion it
went into (its full record stays in the event log), and its memo is kept beside the suggester's evidence.
"""

from __future__ import annotations

from coding.manual_support import fill_study
from thematic.coding.owner import coder_codings
from thematic.models import Coding, Provenance


def _suggest(store, seg_id: str, code_id: str, suggester: str = "thematic.rules.v1") -> str:  # noqa: ANN001
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, suggester, status="suggested", text=seg.text,
               segment_id=seg.id, confidence=0.6, provenance=Provenance("suggester", suggester),
               memo="keyword 'vetting'")
    store.add_codings([c])
    return c.id


def test_accept_folds_the_reviewers_hand_coding(study) -> None:  # noqa: ANN001
    fill_study(study)
    manual = study.code("int-01:1", "security_vetting", coder="AB", memo="clearly vetting").id
    other = study.code("int-01:1", "security_vetting", coder="SO").id  # another coder's stays
    sid = _suggest(study.store, "int-01:1", "security_vetting")
    twin = _suggest(study.store, "int-01:1", "security_vetting", suggester="thematic.ensemble.v1")

    decision = study.decide(sid, "accept", reviewer="AB")
    assert decision.status == "accepted" and set(decision.coding_ids) == {sid, twin}

    ab = coder_codings(study.store, "AB")
    assert len(ab) == 2 and set(ab["status"]) == {"accepted"}  # the two suggesters' twins, no manual one
    assert study.code_usage().set_index("code_id").loc["security_vetting", "codings"] == 3  # two twins and SO's
    memo = study.store.coding(sid)["memo"]
    assert "keyword 'vetting'" in memo and "clearly vetting" in memo
    assert study.store.coding(other)["status"] == "manual"
    gone = study.store.events(coding_id=manual).iloc[-1]
    assert gone["kind"] == "remove" and gone["actor"] == "AB" and sid in str(gone["note"])
    counted = study.store.codings(status=["manual", "accepted"])
    owners = [r["reviewer"] if r["status"] == "accepted" else r["coder"] for r in counted.to_dict("records")]
    spans = {(o, r["code_id"]) for o, r in zip(owners, counted.to_dict("records"))}
    assert spans == {("AB", "security_vetting"), ("SO", "security_vetting")}


def test_accept_without_a_hand_coding_is_unchanged(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "funding", coder="AB")  # another code on that span is not a twin
    sid = _suggest(study.store, "int-01:1", "security_vetting")
    study.decide(sid, "accept", reviewer="AB")
    row = study.store.coding(sid)
    assert row["status"] == "accepted" and row["memo"] == "keyword 'vetting'"
    assert sorted(coder_codings(study.store, "AB")["code_id"]) == ["funding", "security_vetting"]
