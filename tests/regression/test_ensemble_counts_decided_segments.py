"""The ensemble's and the model's thresholds count segments a person decided on, not every turn of a touched document.

Before, 8 hand codings in 3 documents of 25 turns counted as 75 "human-coded" segments: the model
trained (it needs 20), the learnt combiner started (it needs 60), W526 said "75 segment(s) are coded
by hand", and a combiner fitted on 8 positives stored a suggestion no part voted for at a bar of
0.0042. Uncoded turns of a touched document may still be negatives in training; turns a coder
recorded as seen (sheet, widget, review, mark_seen) count as decided.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.assisted_support import TURNS, codebook, segments_frame, training_frames
from thematic import schemas
from thematic.cli.main import app
from thematic.coding.plan import training_codings
from thematic.coding.suggest import EnsembleSuggester, ModelSuggester
from thematic.coding.suggest._decide import RateDecision
from thematic.context import context_of
from thematic.errors import InputError
from thematic.study import Study

from .unlike_example import write_study


def _touched_documents(n_docs: int = 3, turns: int = 25, coded: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_docs`` documents of ``turns`` participant turns, ``coded`` of them coded by hand (spread over all)."""
    segs, cods = [], []
    shared = TURNS["shared_experience"]
    k = 0
    for d in range(n_docs):
        pos = 0
        for t in range(turns):
            sid, doc = f"d{d}:{t}", f"d{d}"
            is_coded = t % 3 == 0 and (t // 3) * n_docs + d < coded
            text = shared[k % len(shared)] if is_coded else f"{TURNS[None][t % 7]} That was turn {t} of {d}."
            segs.append({"segment_id": sid, "document_id": doc, "index": t, "start": pos, "end": pos + len(text),
                         "is_interviewer": False, "text": text})
            if is_coded:
                cods.append({"coding_id": f"c{k}", "document_id": doc, "segment_id": sid, "start": pos,
                             "end": pos + len(text), "code_id": "shared_experience", "coder": "HT",
                             "status": "manual"})
                k += 1
            pos += len(text) + 1
    assert k == coded
    return (schemas.coerce_frame(pd.DataFrame(segs), schemas.SEGMENTS),
            schemas.coerce_frame(pd.DataFrame(cods), schemas.CODINGS))


def _seen(segs: pd.DataFrame, cods: pd.DataFrame, n: int) -> pd.DataFrame:
    """``cods`` plus ``n`` records (status 'seen') of a coder having read an uncoded turn."""
    free = segs[~segs["segment_id"].isin(set(cods["segment_id"]))].head(n)
    rows = pd.DataFrame({"coding_id": "seen:" + free["segment_id"], "document_id": free["document_id"],
                         "segment_id": free["segment_id"], "coder": "HT", "status": "seen"})
    return schemas.coerce_frame(pd.concat([cods, rows], ignore_index=True), schemas.CODINGS)


def test_eight_hand_codings_keep_the_fixed_rule_and_w526_says_eight() -> None:
    segs, cods = _touched_documents()
    s = EnsembleSuggester(parts=("rules", "model")).fit(segs, cods, codebook())
    assert s.combiner_ == "fixed"
    assert "model" not in s.parts_used_ and "only 8 coded segment(s)" in s.skipped_parts_["model"]
    assert s.n_coded_segments_ == 8
    w526 = [n for n in s.run_notes() if n.startswith("[W526]")]
    assert len(w526) == 1 and " 8 segment(s)" in w526[0], w526


def test_the_model_needs_twenty_decided_segments_not_twenty_turns_of_touched_documents() -> None:
    segs, cods = _touched_documents()
    with pytest.raises(InputError, match=r"E376.*only 8 coded segment\(s\)"):
        ModelSuggester().fit(segs, cods, codebook())


def test_turns_recorded_as_seen_count_as_decided() -> None:
    segs, cods = _touched_documents()
    s = EnsembleSuggester(parts=("rules", "model")).fit(segs, _seen(segs, cods, 52), codebook())
    assert s.n_coded_segments_ == 60 and "model" in s.parts_used_
    assert s.combiner_ in ("learnt", "part")  # learnt from 60 decided segments (kept or beaten by a part)


def test_a_learnt_combiner_stores_nothing_no_part_voted_for_at_a_near_zero_bar() -> None:
    segs, cods = training_frames()
    s = EnsembleSuggester(parts=("rules", "model"), min_codings=20).fit(segs, cods, codebook())
    assert s.combiner_ in ("learnt", "part")
    s.combiner_, s.chosen_part_ = "learnt", None
    s.decision_ = RateDecision.from_data({"top_bar": 0.001, "other_bar": 0.001, "code_bars": [0.0] * len(s.codes_),
                                          "human_rate": 1.0, "oof_f1": 0.0})  # as if learnt from too little
    out = s.suggest(segments_frame({"a": "I had a cup of tea this morning.", "b": "The vetting took months."}))
    assert "security_vetting" in set(out.loc[out["segment_id"] == "b", "code_id"])  # the rules voted for it
    silent = out[out["evidence"].str.startswith("no part voted")]
    assert ((silent["confidence"] >= 0.5) & (silent["threshold"] >= 0.5)).all(), silent
    assert (out["threshold"] >= 0.001).all() and (out["confidence"] >= out["threshold"]).all()


def test_the_run_counts_hand_codings_and_seen_turns_not_whole_documents(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        turns = segs[~segs["is_interviewer"].fillna(False).astype(bool)]
        ana = turns[turns["document_id"].astype(str).str.contains("ana")]
        david = turns[turns["document_id"].astype(str).str.contains("david")]
        assert len(ana) == 3 and len(david) == 2
        study.code(str(ana["segment_id"].iloc[0]), "qualitative_methods", coder="HT")
        study.mark_seen([str(david["segment_id"].iloc[0])], coder="HT", source="sheet")
        training = training_codings(context_of(study), None)
        assert set(training["status"]) == {"manual", "seen"}  # the seen turn reaches the suggesters
    out = CliRunner().invoke(app, ["code", "--study", str(root)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "[W526]" in text and " 2 segment(s)" in text, text  # 1 coded + 1 seen, not Ana's 3 turns
