"""Undoing a batch after a codebook merge never removes a coding the merge folded into one of the batch's.

Before, a merge that made two codings identical kept the one already on the target code (here from a
search batch) and removed the hand-made one; undoing the search then removed the survivor, and the hand
coding and its memo were gone (only the event log held them). Now the merge keeps the coding with the
strongest provenance (no batch over a batch's, older over newer), and an undo that removes a coding
puts back, logged, any coding a merge had folded into it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.study import Study

from .unlike_example import CODEBOOK, write_study

#: Ana's answer that mentions both time and funding.
BOTH = "never enough time, and the funding"
MERGED = CODEBOOK.replace("version: 1.0.0", "version: 1.1.0\nchanges:\n"
                          "- {version: 1.1.0, merge: {from: [time_pressure, funding_resources], "
                          "into: funding_resources}}").replace(
    "- id: time_pressure\n  label: Time pressure\n  parent: work_life\n"
    "  definition: Not enough time for work, study or family.\n  keywords: [time, busy]\n", "")


def _study(tmp_path: Path) -> tuple[Path, str]:
    root = write_study(tmp_path / "s")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        sid = str(segs.loc[segs["text"].str.contains(BOTH, regex=False), "segment_id"].iloc[0])
    return root, sid


def _release_merge(root: Path) -> None:
    """Write codebook 1.1.0 (time_pressure merged into funding_resources) and migrate."""
    assert "time_pressure" not in MERGED.split("codes:")[1]
    (root / "codebooks" / "small-study.yaml").write_text(MERGED, encoding="utf-8")
    with Study(root) as study:
        report = study.migrate_codebook(actor="HT")
        assert report.removed >= 1 and report.count_after == report.count_before - report.removed


def test_undoing_a_search_after_a_merge_keeps_the_hand_coding_and_its_memo(tmp_path: Path) -> None:
    root, sid = _study(tmp_path)
    with Study(root) as study:
        hand = study.code(sid, "time_pressure", coder="HT", memo="HT's careful reading")
        batch = study.code_hits(study.search("funding"), "funding_resources", coder="HT", scope="segment").batch_id
        assert sid in set(study.store.codings(batch=batch)["segment_id"])
    _release_merge(root)
    with Study(root) as study:
        study.undo(batch, actor="HT")
        left = study.codings(document=sid.split(":")[0])
        left = left[left["segment_id"] == sid]
        assert len(left) == 1, left
        row = left.iloc[0]
        assert (row["coding_id"], row["code_id"], row["coder"]) == (hand.id, "funding_resources", "HT")
        assert "HT's careful reading" in str(row["memo"])
        replay = study.store.replay_events()
        assert sorted(replay["coding_id"]) == sorted(study.store.codings()["coding_id"])


@pytest.mark.parametrize("undone", ["first", "second"])
def test_undoing_either_of_two_folded_batches_keeps_the_other_ones_coding(tmp_path: Path, undone: str) -> None:
    root, sid = _study(tmp_path)
    with Study(root) as study:
        first = study.code_hits(study.search("time"), "time_pressure", coder="HT", scope="segment").batch_id
        second = study.code_hits(study.search("funding"), "funding_resources", coder="HT", scope="segment").batch_id
        ids = {b: str(study.store.codings(batch=b).set_index("segment_id").loc[sid, "coding_id"]) for b in (first, second)}
    _release_merge(root)
    gone, kept = (first, second) if undone == "first" else (second, first)
    with Study(root) as study:
        done = study.store.batches().set_index("batch_id")
        assert done.loc[gone, "undone_at"] is None
        from thematic.coding.undo import undo_batch

        result = undo_batch(study, gone, actor="HT")
        events = study.store.events(coding_id=ids[kept])
        back = events[(events["kind"] == "add") & (events["batch_id"] == gone)]
        if undone == "first":  # the older batch's coding was kept by the merge: the undo puts the other back
            assert result.unfolded == 1 and len(back) == 1
            assert "folded it into " + ids[first] in back["note"].iloc[0]
        else:  # the merge removed this batch's coding, so its undo has nothing to put back
            assert result.unfolded == 0 and back.empty
        left = study.codings()
        left = left[left["segment_id"] == sid]
        assert list(left["coding_id"]) == [ids[kept]], left
        assert list(left["code_id"]) == ["funding_resources"]
        assert left["batch_id"].iloc[0] == kept  # the other batch can still be undone as a whole
        replay = study.store.replay_events().set_index("coding_id")
        assert replay.loc[ids[kept], "code_id"] == "funding_resources"
        assert sorted(replay.index) == sorted(study.store.codings()["coding_id"])
        undo_batch(study, kept, actor="HT")  # undoing the other batch too leaves nothing of either
        left = study.codings()
        assert sid not in set(left["segment_id"])


def test_the_undo_command_says_what_it_put_back(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from thematic.cli.main import app

    root, sid = _study(tmp_path)
    with Study(root) as study:
        first = study.code_hits(study.search("time"), "time_pressure", coder="HT", scope="segment").batch_id
        study.code_hits(study.search("funding"), "funding_resources", coder="HT", scope="segment")
    _release_merge(root)
    result = CliRunner().invoke(app, ["undo", first, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "1 coding(s) of another batch that a codebook merge had folded into removed ones put back" in flat
