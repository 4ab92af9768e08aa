"""A turn that gained words at a re-ingest kept the coders' seen records and sample rows, with no W117.

When the old turn's text was still inside a longer new turn (a passage added to it, or two turns merged), the
seen and sample rows moved to the longer turn, so agreement counted a coder as having decided on words that
coder never read. Now seen records and sample rows follow a turn only to a new turn with the same whole text
(a turn that moved, or was respelt in quote marks or spacing alone); otherwise they are dropped with W117, as
for a typo. A span coding inside the grown turn still stays on its exact text.
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .unlike_example import write_study

ALICE = "Alice: We were happy when the money came back."
BOB = "Bob: The funding was cut."
BEFORE = f"Moderator: Tell me.\n{ALICE}\n{BOB}\nModerator: Anything else?\nBob: Yeah.\n"


def _turns(study: Study) -> dict[str, str]:
    segs = study.segments()
    return dict(zip(segs["text"].astype(str), segs["segment_id"].astype(str)))


def _seen_and_sampled(tmp_path: Path) -> tuple[Path, Study, dict[str, str], str]:
    root = write_study(tmp_path / "s", {"chat.txt": BEFORE})
    study = Study(root)
    study.ingest()
    turns = _turns(study)
    doc = study.store.documents()["document_id"].iloc[0]
    at = study.store.document(doc).text.index("the money came back")
    study.code((doc, at, at + len("the money came back")), "funding_resources", coder="HT")
    for coder in ("HT", "SO"):
        study.mark_seen([turns[t] for t in ("We were happy when the money came back.", "The funding was cut.",
                                            "Yeah.")], coder=coder)
    sample = study.sample(coder="SO", n=3, seed=0)
    return root, study, turns, sample.sample_id


def _texts_of(study: Study, ids: object) -> set[str]:
    by_id = {v: k for k, v in _turns(study).items()}
    return {by_id[str(s)] for s in ids}


def test_a_turn_that_gained_words_is_no_longer_seen_or_sampled(tmp_path: Path) -> None:
    root, study, turns, sample_id = _seen_and_sampled(tmp_path)
    grown = ALICE + " But the staff were angry."
    (root / "data" / "raw" / "chat.txt").write_text(BEFORE.replace(ALICE, grown), encoding="utf-8")
    report = study.ingest()
    assert any(w.startswith("[W117]") for w in report.rows[0].warnings), report.rows[0].warnings
    for coder in ("HT", "SO"):
        assert _texts_of(study, study.store.coverage(coder)["segment_id"]) == {"The funding was cut.", "Yeah."}
    sampled = _texts_of(study, study.store.sample_segments(sample_id)["segment_id"])
    assert "We were happy when the money came back. But the staff were angry." not in sampled
    codings = study.store.codings(coder="HT")
    (row,) = codings.to_dict("records")
    assert row["text"] == "the money came back" and (row["flag"] is None or row["flag"] != row["flag"])
    assert row["segment_id"] == _turns(study)["We were happy when the money came back. But the staff were angry."]


def test_a_turn_merged_into_another_is_no_longer_seen_or_sampled(tmp_path: Path) -> None:
    root, study, turns, sample_id = _seen_and_sampled(tmp_path)
    merged = BEFORE.replace("\nModerator: Anything else?\nBob: Yeah.\n", " Yeah.\nModerator: Anything else?\n")
    (root / "data" / "raw" / "chat.txt").write_text(merged, encoding="utf-8")
    report = study.ingest()
    assert any(w.startswith("[W117]") for w in report.rows[0].warnings), report.rows[0].warnings
    for coder in ("HT", "SO"):
        assert _texts_of(study, study.store.coverage(coder)["segment_id"]) == {
            "We were happy when the money came back."}
    sampled = _texts_of(study, study.store.sample_segments(sample_id)["segment_id"])
    assert sampled <= {"We were happy when the money came back."}


def test_a_turn_that_only_moved_or_was_respelt_keeps_its_records(tmp_path: Path) -> None:
    root, study, turns, sample_id = _seen_and_sampled(tmp_path)
    before = _texts_of(study, study.store.sample_segments(sample_id)["segment_id"])
    moved = ("Moderator: Hello.\nBob: Hi.\n" + BEFORE).replace("money came back.", "money  came back.")
    (root / "data" / "raw" / "chat.txt").write_text(moved, encoding="utf-8")
    report = study.ingest()
    assert not any(w.startswith("[W117]") for w in report.rows[0].warnings), report.rows[0].warnings
    respelt = {"We were happy when the money came back.": "We were happy when the money  came back."}
    for coder in ("HT", "SO"):
        assert _texts_of(study, study.store.coverage(coder)["segment_id"]) == {
            "We were happy when the money  came back.", "The funding was cut.", "Yeah."}
    assert _texts_of(study, study.store.sample_segments(sample_id)["segment_id"]) == {respelt.get(t, t) for t in before}
