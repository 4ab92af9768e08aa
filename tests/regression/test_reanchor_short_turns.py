"""Re-anchoring follows a turn, not the nearest equal words (two-coder report, defect 1).

When the text before a short turn grew on re-ingest, a coding on "Yeah." jumped to the nearest
"Yeah." by absolute offset, often the end of a neighbouring long turn, and seen records and sample
rows followed it there; ingest reported it as "moved with their quote".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thematic.models import FLAG_AMBIGUOUS
from thematic.study import Study

from .unlike_example import write_study

ROUNDS = 6


def _transcript(preamble: str = "") -> str:
    lines = [preamble] if preamble else []
    lines.append("Interviewer: Hello, thanks for coming. Tell me about your research.")
    for i in range(ROUNDS):
        lines += [f"Ana: I ran interviews in round {i}, and there was never enough time. Yeah.",
                  "Interviewer: Go on.", "Ana: Yeah.", "Interviewer: And then?"]
    return "\n".join(lines) + "\n"


def _yeah_turns(study: Study) -> list[str]:
    segs = study.segments("talk")
    return [str(s) for s, t in zip(segs["segment_id"], segs["text"]) if t == "Yeah."]


def _texts(study: Study) -> dict[str, str]:
    segs = study.segments("talk")
    return dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))


def _coded(tmp_path: Path) -> tuple[Path, Study, list[str]]:
    root = write_study(tmp_path / "s", {"talk.txt": _transcript()})
    study = Study(root)
    study.ingest()
    yeah = _yeah_turns(study)
    assert len(yeah) == ROUNDS
    for sid in yeah:
        study.code(sid, "time_pressure", coder="HT")
    study.code(yeah[2], "time_pressure", coder="SO")
    study.mark_seen(yeah, coder="HT")
    study.mark_seen(yeah, coder="SO")
    return root, study, yeah


def test_codings_and_records_on_short_turns_stay_on_their_turn_when_text_before_grows(tmp_path: Path) -> None:
    root, study, yeah = _coded(tmp_path)
    sample = study.sample(coder="SO", n=ROUNDS, seed=3)
    before = _texts(study)
    sampled_before = sorted((before[s], s in yeah) for s in sample.segments["segment_id"])
    (root / "data" / "raw" / "talk.txt").write_text(_transcript(
        "Interviewer: Before we start, a long note for the record about consent, recording and the study."),
        encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].status == "changed" and report.rows[0].flagged == 0
    texts, yeah = _texts(study), _yeah_turns(study)
    coded = study.store.codings(coder="HT")
    assert sorted(coded["segment_id"]) == sorted(yeah)  # every "Yeah." turn, none of the long ones
    assert all(texts[s] == "Yeah." for s in coded["segment_id"]) and set(coded["text"]) == {"Yeah."}
    assert coded["flag"].isna().all()
    so = study.store.codings(coder="SO")
    assert list(so["segment_id"]) == [yeah[2]]  # the third "Yeah." turn, not any other
    seen = study.store.coverage()
    assert set(seen.loc[seen["coder"] == "HT", "segment_id"]) == set(yeah)
    assert set(seen.loc[seen["coder"] == "SO", "segment_id"]) == set(yeah)
    assert not any("W117" in w for w in report.rows[0].warnings)
    sampled = study.store.sample_segments(sample.sample_id)["segment_id"]
    assert sorted((texts[s], s in yeah) for s in sampled) == sampled_before


def test_an_edited_turn_keeps_its_partial_coding_and_an_unchanged_short_turn_keeps_its_own(tmp_path: Path) -> None:
    root, study, yeah = _coded(tmp_path)
    long_turn = next(s for s, t in _texts(study).items() if "round 1," in t)
    text = study.store.document_text("talk")
    start = text.index("never enough time", study.store.segment(long_turn).start)
    study.code(("talk", start, start + len("never enough time")), "time_pressure", coder="SO")
    (root / "data" / "raw" / "talk.txt").write_text(
        _transcript().replace("in round 1, and there", "in round 1 (a long and very busy round), and honestly there"),
        encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].flagged == 0
    texts = _texts(study)
    partial = study.store.codings(coder="SO").set_index("text").loc["never enough time"]
    assert "round 1 (a long" in texts[partial["segment_id"]]
    new = study.store.document_text("talk")
    assert new[int(partial["start"]):int(partial["end"])] == "never enough time"
    assert sorted(study.store.codings(coder="HT")["segment_id"]) == sorted(_yeah_turns(study))


def test_a_short_turn_that_is_gone_is_flagged_when_several_turns_could_be_it(tmp_path: Path) -> None:
    talk = "Interviewer: Was it hard?\nAna: Yeah.\nInterviewer: And the funding?\nAna: Fine, in the end.\n"
    root = write_study(tmp_path / "s", {"talk.txt": talk})
    study = Study(root)
    study.ingest()
    [yeah] = _yeah_turns(study)
    study.code(yeah, "time_pressure", coder="HT")
    (root / "data" / "raw" / "talk.txt").write_text(
        talk.replace("Ana: Yeah.", "Ana: Yes, it was hard.")
        + "Interviewer: Time?\nAna: Yeah.\nInterviewer: Money?\nAna: Yeah.\n", encoding="utf-8")
    report = study.ingest()
    row = study.store.codings(coder="HT").iloc[0]
    assert str(row["flag"]) == FLAG_AMBIGUOUS and pd.isna(row["segment_id"])  # not guessed onto one of the two
    assert report.rows[0].flagged == 1
    freq = study.frequencies().set_index("code_id")              # not counted until a person re-codes it
    assert "time_pressure" not in freq.index or freq.loc["time_pressure", "n_participants"] == 0
    assert study.store.codings(coder="HT").iloc[0]["flag"] == FLAG_AMBIGUOUS
    [note] = [w for w in report.rows[0].warnings if w.startswith("[W170]")]
    assert yeah in note and "talk" in note
    assert not any(w.startswith("[W106]") for w in report.rows[0].warnings)


def test_a_moved_turn_is_followed_where_only_one_place_fits(tmp_path: Path) -> None:
    talk = ("Interviewer: Was it hard?\nAna: There was never enough time for the family.\n"
            "Interviewer: And the funding?\nAna: Fine, in the end.\n")
    root = write_study(tmp_path / "s", {"talk.txt": talk})
    study = Study(root)
    study.ingest()
    turn = next(s for s, t in _texts(study).items() if "family" in t)
    study.code(turn, "time_pressure", coder="HT")
    study.mark_seen([turn], coder="HT")
    moved = ("Interviewer: And the funding?\nAna: Fine, in the end.\n"
             "Interviewer: Was it hard?\nAna: There was never enough time for the family.\n")
    (root / "data" / "raw" / "talk.txt").write_text(moved, encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].flagged == 0
    now = next(s for s, t in _texts(study).items() if "family" in t)
    assert list(study.store.codings(coder="HT")["segment_id"]) == [now]
    assert list(study.store.coverage("HT")["segment_id"]) == [now]


def test_turns_are_matched_in_order_even_among_many_repeated_short_ones() -> None:
    from thematic.ingest.align import opcodes

    old = [t for i in range(400) for t in (f"Long answer number {i}.", "Yeah.", "Go on.")]
    new = ["A new first question?"] + [t.replace("number 7.", "number seven.") for t in old[:150]] + old[153:]
    ops = opcodes(old, new)
    i = j = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j) and (tag != "equal" or old[i1:i2] == new[j1:j2])
        i, j = i2, j2
    assert (i, j) == (len(old), len(new))
    paired = {a + k: b + k for tag, a, a2, b, _ in ops if tag == "equal" for k in range(a2 - a)}
    # every turn still there is matched to itself: the k-th "Yeah." after the edit is still the k-th
    assert paired[1] == 2 and paired[22] == 23 and paired[154] == 152
    assert all(old[k] == new[v] for k, v in paired.items()) and len(paired) == len(old) - 4
