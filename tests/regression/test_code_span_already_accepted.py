"""Hand-coding a span whose suggestion of that code the coder accepted does not double the coding.

The accepted suggestion is already the coder's coding (see ``coding.owner``); ``Study.code`` on the
same span and code used to add a manual twin, so the coder owned two codings of one passage and
``code_usage`` counted two. It now returns the accepted coding; the memo goes beside the suggester's
evidence (the accepted suggestion's memo), which is kept: "<evidence>\nAB: <memo>".
"""

from __future__ import annotations

import pytest

from coding.assisted_support import interview, write_codebook
from thematic.coding.run import code

SID = "int-01:1"


@pytest.fixture
def accepted(study):  # noqa: ANN001, ANN201 - a thematic.Study whose rules suggestion AB accepted
    write_codebook(study)
    study.store.save_document(interview("int-01", ["The vetting took months before I got in.",
                                                    "The funding ran out last spring."]))
    code(study, suggesters=["rules"], ingest=False)
    queue = study.review_queue()
    cid = str(queue.loc[queue["code_id"] == "security_vetting", "coding_id"].iloc[0])
    study.decide(cid, "accept", reviewer="AB")
    study.accepted_id = cid
    return study


def test_coding_an_accepted_span_returns_the_accepted_coding(accepted) -> None:  # noqa: ANN001
    evidence = accepted.store.coding(accepted.accepted_id)["memo"]
    assert evidence  # the rules suggester's reason, e.g. "pattern 'vetting'"
    got = accepted.code(SID, "security_vetting", coder="AB", memo="clear case")
    assert got.id == accepted.accepted_id
    counted = accepted.codings(counted=True)
    assert len(counted) == 1 and counted["memo"].iloc[0] == f"{evidence}\nAB: clear case"
    accepted.code(SID, "security_vetting", coder="AB", memo="clearer case")  # a new memo replaces the note only
    assert accepted.store.coding(accepted.accepted_id)["memo"] == f"{evidence}\nAB: clearer case"
    accepted.code(SID, "security_vetting", coder="AB")  # no memo given: nothing changes
    assert accepted.store.coding(accepted.accepted_id)["memo"] == f"{evidence}\nAB: clearer case"
    assert counted["reviewer"].iloc[0] == "AB" and counted["status"].iloc[0] == "accepted"
    usage = accepted.code_usage().set_index("code_id")
    assert usage.loc["security_vetting", "codings"] == 1
    assert accepted.store.coding(accepted.accepted_id)["status"] == "accepted"


def test_another_coder_still_gets_their_own_coding(accepted) -> None:  # noqa: ANN001
    accepted.code(SID, "security_vetting", coder="SO")
    counted = accepted.codings(counted=True)
    assert sorted(counted["status"]) == ["accepted", "manual"]
    assert counted.loc[counted["status"] == "manual", "coder"].tolist() == ["SO"]
