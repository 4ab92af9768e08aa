"""A codebook merge never folds two people's accepted suggestions together as one coder's duplicates.

The merge keyed codings on (document, span, code, coder), and an accepted suggestion's ``coder`` is the
suggester, so when HT accepted rules' time_pressure and SO accepted rules' funding_resources on the same
turn, merging time_pressure into funding_resources removed HT's coding as a duplicate of SO's. Now an
accepted suggestion is keyed on its reviewer (whose coding it is), in the merge and in undo's unfolding.
"""

from __future__ import annotations

from pathlib import Path

from thematic.coding.undo import undo_batch
from thematic.models import Coding, Provenance
from thematic.study import Study

from .test_undo_after_merge_keeps_human_coding import MERGED
from .unlike_example import write_study

BUSY = "so I am always busy"  # David's turn: rules suggests time_pressure and funding_resources here


def _study(tmp_path: Path) -> tuple[Path, str, dict[str, str]]:
    """A study where rules has suggested: (root, David's segment, its suggestions by code)."""
    root = write_study(tmp_path / "s")
    with Study(root) as study:
        study.ingest()
        study.run_code(suggesters=["rules"])
        segs = study.store.segments()
        sid = str(segs.loc[segs["text"].str.contains(BUSY, regex=False), "segment_id"].iloc[0])
        q = study.store.codings(status="suggested")
        ids = dict(zip(q.loc[q["segment_id"] == sid, "code_id"], q.loc[q["segment_id"] == sid, "coding_id"]))
    assert {"time_pressure", "funding_resources"} <= set(ids), ids
    return root, sid, ids


def _merge(root: Path) -> int:
    """Release 1.1.0 (time_pressure merged into funding_resources), migrate; the duplicates removed."""
    (root / "codebooks" / "small-study.yaml").write_text(MERGED, encoding="utf-8")
    with Study(root) as study:
        report = study.migrate_codebook(actor="HT")
        assert report.count_after == report.count_before - report.removed
        return report.removed


def _owners(root: Path, sid: str) -> list[tuple[str, str]]:
    with Study(root) as study:
        c = study.codings(counted=True)
        c = c[c["segment_id"] == sid]
        owner = c["reviewer"].where(c["status"] == "accepted", c["coder"])  # an accepted suggestion is its reviewer's
        return sorted(zip(owner, c["code_id"]))


def test_two_reviewers_each_keep_their_accepted_coding(tmp_path: Path) -> None:
    root, sid, ids = _study(tmp_path)
    with Study(root) as study:
        study.decide(ids["time_pressure"], "accept", reviewer="HT")
        study.decide(ids["funding_resources"], "accept", reviewer="SO")
    assert _merge(root) == 0
    assert _owners(root, sid) == [("HT", "funding_resources"), ("SO", "funding_resources")]
    with Study(root) as study:
        events = study.store.events()
        assert not events["note"].fillna("").str.contains("merge: duplicate of").any()


def test_one_reviewers_two_accepted_codings_still_fold(tmp_path: Path) -> None:
    root, sid, ids = _study(tmp_path)
    with Study(root) as study:
        study.decide(ids["time_pressure"], "accept", reviewer="HT")
        study.decide(ids["funding_resources"], "accept", reviewer="HT")
    assert _merge(root) == 1
    assert _owners(root, sid) == [("HT", "funding_resources")]


def test_undo_puts_back_a_folded_hand_coding_beside_an_accepted_suggestion(tmp_path: Path) -> None:
    """HT's accepted suggestion shares the owner, code and span of the folded coding but not its status:
    it does not take the folded coding's place, so undoing the batch kept by the merge still puts it back."""
    root, sid, ids = _study(tmp_path)
    with Study(root) as study:
        first = study.code_hits(study.search("busy"), "time_pressure", coder="HT", scope="segment").batch_id
        study.decide(ids["funding_resources"], "accept", reviewer="HT")
        # HT's hand coding beside the suggestion HT accepted (accepting now folds a hand coding made before it,
        # so the pair is written as a store from before that fold holds it)
        seg = study.store.segment(sid)
        second = study.store.new_batch("search:grant", actor="HT")
        study.store.add_codings([Coding(seg.document_id, seg.start, seg.end, "funding_resources", "HT", text=seg.text,
                                        segment_id=seg.id, provenance=Provenance("search", "search:grant"))],
                                batch_id=second, actor="HT")
        folded = str(study.store.codings(batch=second).set_index("segment_id").loc[sid, "coding_id"])
        span = study.store.coding(folded)
        accepted = study.store.coding(ids["funding_resources"])
        assert (span["start"], span["end"]) == (accepted["start"], accepted["end"])
    assert _merge(root) == 1  # the second batch's coding is folded into the first's (older)
    with Study(root) as study:
        assert undo_batch(study, first, actor="HT").unfolded == 1
        left = study.store.codings()
        left = left[left["segment_id"] == sid]
        assert folded in set(left["coding_id"])  # put back as the merge left it
        assert study.store.coding(folded)["code_id"] == "funding_resources"
        assert ids["funding_resources"] in set(left["coding_id"])


def test_a_hand_coding_and_an_accepted_suggestion_of_one_coder_are_flagged(tmp_path: Path) -> None:
    """Both are HT's codings of the merged code on one turn but in different statuses: a person keeps one."""
    root, sid, ids = _study(tmp_path)
    with Study(root) as study:
        hand = study.code(sid, "time_pressure", coder="HT").id
        study.decide(ids["funding_resources"], "accept", reviewer="HT")
    assert _merge(root) == 0
    with Study(root) as study:
        assert str(study.store.coding(hand)["flag"]).startswith(
            f"merge: duplicate of {ids['funding_resources']} (accepted; this one manual)")
    assert _owners(root, sid) == [("HT", "funding_resources"), ("HT", "funding_resources")]
