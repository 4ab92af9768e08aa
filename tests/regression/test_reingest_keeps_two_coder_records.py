"""Re-ingesting a corrected transcript re-keys what coders saw, samples and consensus with the codings.

Segment ids are positions (``doc:index``): inserting a question near the top shifted every later
turn, while only codings were re-anchored. Seen records, a double-coding sample and the consensus's
settled segments then pointed at other turns, and agreement and tables changed silently.
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .unlike_example import ANA_INSERTED, TRANSCRIPTS, write_study

TEXT, INSERTED = TRANSCRIPTS["ana.txt"], ANA_INSERTED


def _turn(study: Study, words: str) -> str:
    segs = study.segments()
    return str(segs.loc[segs["text"].str.contains(words, regex=False)].iloc[0]["segment_id"])


def test_seen_records_samples_and_consensus_follow_their_turns(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"ana.txt": TEXT})
    study = Study(root)
    study.ingest()
    time_turn, family_turn = _turn(study, "never enough time"), _turn(study, "Family life")
    study.code(time_turn, "time_pressure", coder="HT")
    study.code(time_turn, "funding_resources", coder="SO")
    study.mark_seen([time_turn, family_turn], coder="HT")
    study.mark_seen([time_turn], coder="SO")
    sample = study.sample(coder="SO", n=2, seed=1)
    sampled_text = set(study.segments().set_index("segment_id").loc[list(sample.segments["segment_id"]), "text"])
    before = study.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    study.store.add_decisions([{"consensus": "consensus", "coders": "HT,SO", "segment_id": time_turn,
                                "document_id": time_turn.split(":")[0], "code_id": "time_pressure", "applied": True,
                                "memo": "HT was right", "decided_by": "HT", "route": "terminal"}])

    (root / "data" / "raw" / "ana.txt").write_text(INSERTED, encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].status == "changed"
    new_time, new_family = _turn(study, "never enough time"), _turn(study, "Family life")
    assert new_time != time_turn  # the insertion shifted the ids
    seen = study.store.coverage()
    assert set(seen.loc[seen["coder"] == "HT", "segment_id"]) == {new_time, new_family}
    assert set(seen.loc[seen["coder"] == "SO", "segment_id"]) == {new_time}
    resampled = study.store.sample_segments(sample.sample_id)
    texts = study.segments().set_index("segment_id").loc[list(resampled["segment_id"]), "text"]
    assert set(texts) == sampled_text
    assert list(study.store.decisions()["segment_id"]) == [new_time]
    after = study.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    assert after["n_shared"].equals(before["n_shared"])


def test_a_turn_whose_text_changed_is_no_longer_seen_and_ingest_says_so(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"ana.txt": TEXT})
    study = Study(root)
    study.ingest()
    time_turn = _turn(study, "never enough time")
    study.mark_seen([time_turn, _turn(study, "Family life")], coder="SO")
    (root / "data" / "raw" / "ana.txt").write_text(
        INSERTED.replace("never enough time", "hardly ever enough time"), encoding="utf-8")
    report = study.ingest()
    assert any("W117" in w for w in report.rows[0].warnings)
    assert set(study.store.coverage("SO")["segment_id"]) == {_turn(study, "Family life")}
