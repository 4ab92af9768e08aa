"""Re-anchoring on long transcripts (ingest review, defects 1 and 4).

The turn aligner gave up on a stretch of changed turns longer than ~200 (its difflib cut-off): a
re-export that turned every straight apostrophe curly and added one turn at the top became one big
gap, and codings, seen records and sample rows on repeated short turns ("Yeah.") went silently to
the nearest "Yeah." by offset: another turn, with no flag and no warning.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thematic.models import FLAG_AMBIGUOUS
from thematic.study import Study

from .unlike_example import write_study

PREAMBLE = "Interviewer: Before we start, let me read the consent statement once more for the tape."


def _transcript(rounds: int, answer: str, *, curly: bool = False, preamble: bool = False) -> str:
    """``rounds`` rounds of (Ana's long answer, "Go on.", Ana's "Yeah."); ``answer`` is formatted with the round."""
    lines = [PREAMBLE] if preamble else []
    for i in range(rounds):
        text = answer.format(i=i)
        lines += [f"Ana: {text.replace(chr(39), chr(0x2019)) if curly else text}", "Interviewer: Go on.", "Ana: Yeah."]
    return "\n".join(lines) + "\n"


def _order(study: Study) -> list[str]:
    return [str(s) for s in study.segments("talk")["segment_id"]]


def _coded_study(tmp_path: Path, rounds: int, answer: str, every: int) -> tuple[Path, Study, dict[str, int], str]:
    """A study of one long transcript; HT codes and has seen every ``every``-th "Yeah." (old id -> old position);
    SO has a sample. Returns (root, study, coded, sample id)."""
    root = write_study(tmp_path / "s", {"talk.txt": _transcript(rounds, answer)})
    study = Study(root)
    study.ingest()
    segs = study.segments("talk")
    order = [str(s) for s in segs["segment_id"]]
    yeah = [k for k, t in enumerate(segs["text"]) if t == "Yeah."]
    assert len(yeah) == rounds
    coded = {order[k]: k for k in yeah[3::every]}
    for sid in coded:
        study.code(sid, "time_pressure", coder="HT")
    study.mark_seen(list(coded), coder="HT")
    sample = study.sample(coder="SO", n=40, seed=5)
    return root, study, coded, sample.sample_id


def test_a_global_apostrophe_change_and_a_new_first_turn_keep_every_record_on_its_turn(tmp_path: Path) -> None:
    root, study, coded, sample_id = _coded_study(tmp_path, 500, "Round {i}, I don't know, it's hard.", every=10)
    old_order = _order(study)
    position = {sid: k for k, sid in enumerate(old_order)}
    sampled = [position[str(s)] for s in study.store.sample_segments(sample_id)["segment_id"]]
    # SO codes three whole answers and a few words of a fourth: their text is re-spelt below
    answers = {old_order[3 * r]: 3 * r for r in (7, 240, 480)}
    for sid in answers:
        study.code(sid, "time_pressure", coder="SO")
    text = study.store.document_text("talk")
    at = text.index("don't know", study.store.segment(old_order[3 * 123]).start)
    study.code(("talk", at, at + len("don't know")), "time_pressure", coder="SO")
    (root / "data" / "raw" / "talk.txt").write_text(_transcript(500, "Round {i}, I don't know, it's hard.",
                                                                curly=True, preamble=True), encoding="utf-8")
    report = study.ingest()
    row = report.rows[0]
    assert row.status == "changed"
    new_order = _order(study)
    assert len(new_order) == len(old_order) + 1
    # each old turn k is new turn k + 1 (one turn added at the top): nothing may land on another turn
    own = {sid: new_order[k + 1] for sid, k in coded.items()}
    codings = study.store.codings(coder="HT")
    assert len(codings) == len(coded)
    assert codings["flag"].isna().all() and row.flagged == 0
    assert sorted(codings["segment_id"]) == sorted(own.values())
    texts = dict(zip(_order(study), study.segments("talk")["text"]))
    assert {texts[s] for s in codings["segment_id"]} == {"Yeah."}
    assert set(study.store.coverage("HT")["segment_id"]) == set(own.values())
    assert sorted(study.store.sample_segments(sample_id)["segment_id"].astype(str)) == sorted(
        new_order[k + 1] for k in sampled)
    # the re-spelt answers keep their codings, now quoting the curly text
    so = study.store.codings(coder="SO")
    assert so["flag"].isna().all()
    assert sorted(so["segment_id"]) == sorted([new_order[k + 1] for k in answers.values()] + [new_order[3 * 123 + 1]])
    new_text = study.store.document_text("talk")
    assert all(new_text[int(r["start"]):int(r["end"])] == r["text"] for r in so.to_dict("records"))
    assert "don\u2019t know" in set(so["text"]) and texts[new_order[3 * 7 + 1]] in set(so["text"])
    assert not any(w.startswith(("[W117]", "[W170]", "[W106]")) for w in row.warnings)


def test_a_word_edit_in_every_long_turn_keeps_the_short_turns_on_their_own(tmp_path: Path) -> None:
    # no turn is equal, even ignoring quote marks, on both sides: the order of the short turns decides
    root, study, coded, _ = _coded_study(tmp_path, 300, "Round {i}, I had no time.", every=7)
    old_order = _order(study)
    (root / "data" / "raw" / "talk.txt").write_text(
        _transcript(300, "Round {i}, I had no time at all.", preamble=True), encoding="utf-8")
    report = study.ingest()
    new_order = _order(study)
    assert len(new_order) == len(old_order) + 1
    codings = study.store.codings(coder="HT")
    assert codings["flag"].isna().all() and report.rows[0].flagged == 0
    assert sorted(codings["segment_id"]) == sorted(new_order[k + 1] for k in coded.values())
    assert set(study.store.coverage("HT")["segment_id"]) == {new_order[k + 1] for k in coded.values()}


def test_when_the_turns_cannot_be_aligned_a_repeated_turn_is_flagged_not_moved_to_its_neighbour(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from thematic.ingest import align

    # an aligner that gives up on every long stretch without equal turns: the changed stretch is one gap
    monkeypatch.setattr(align, "_DIFF_BUDGET", 0, raising=False)
    root, study, coded, _ = _coded_study(tmp_path, 120, "Round {i}, I had no time.", every=20)
    old_order = _order(study)
    (root / "data" / "raw" / "talk.txt").write_text(
        _transcript(120, "Round {i}, I had no time at all.", preamble=True), encoding="utf-8")
    report = study.ingest()
    new_order = _order(study)
    codings = study.store.codings(coder="HT")
    assert len(codings) == len(coded)
    for sid, flag in zip(codings["segment_id"], codings["flag"]):
        # never another turn's "Yeah.": on its own, or flagged (several places fit) with no turn
        assert (not pd.isna(sid) and pd.isna(flag) and new_order.index(str(sid)) - 1 in coded.values()) or (
            pd.isna(sid) and str(flag) == FLAG_AMBIGUOUS)
    assert (codings["flag"].astype(str) == FLAG_AMBIGUOUS).any()
    assert any(w.startswith("[W170]") for w in report.rows[0].warnings)
    own = {old_order[k]: new_order[k + 1] for k in coded.values()}
    assert set(study.store.coverage("HT")["segment_id"]) <= set(own.values())  # dropped (W117), never moved


def test_long_lists_of_turns_are_matched_in_order_when_every_long_turn_changed_its_quote_marks() -> None:
    from thematic.ingest.align import opcodes

    old = [t for i in range(700) for t in (f"Round {i}, I don't know, it's hard.", "Go on.", "Yeah.")]
    new = ["A new first turn."] + [t.replace("'", "\u2019") for t in old]
    paired = {a + k: b + k for tag, a, a2, b, _ in opcodes(old, new) if tag == "equal" for k in range(a2 - a)}
    assert paired == {k: k + 1 for k in range(len(old)) if k % 3}  # every short turn to itself, none to another


def test_a_quote_that_fits_several_changed_turns_is_flagged_not_put_on_the_nearest(tmp_path: Path) -> None:
    talk = "Interviewer: Was it hard?\nAna: Yeah. Sure, it was.\nInterviewer: Why?\n"
    root = write_study(tmp_path / "s", {"talk.txt": talk})
    study = Study(root)
    study.ingest()
    turn = str(study.segments("talk")["segment_id"].iloc[1])
    at = study.store.segment(turn).start
    assert study.store.document_text("talk")[at:at + 5] == "Yeah."
    study.code(("talk", at, at + 5), "time_pressure", coder="HT")
    (root / "data" / "raw" / "talk.txt").write_text(
        "Interviewer: Was it hard, then?\nAna: Sure, it was.\nInterviewer: Go on.\nAna: Yeah. The money.\n"
        "Interviewer: And?\nAna: Yeah. The time.\nInterviewer: Why, do you think?\n", encoding="utf-8")
    report = study.ingest()
    row = study.store.codings(coder="HT").iloc[0]
    assert str(row["flag"]) == FLAG_AMBIGUOUS and pd.isna(row["segment_id"])  # two of Ana's turns fit
    assert any(w.startswith("[W170]") and "2 places" in w for w in report.rows[0].warnings)
