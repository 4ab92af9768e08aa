"""Study-mode `evaluate`: a turn a coder read and left uncoded is a unit even where they coded nothing else.

The units were taken only from documents with a manual coding, so a document where the coder recorded
what they read (a sheet, the widget, mark-seen: a second coder's sample) but applied no code was left
out: those "coded nothing" decisions, where a suggester's false positives show, were dropped and precision
and kappa came out too high. Now the units are every participant turn the coder coded or recorded as
seen, in every document (plus the rest of a document coded without any record of what was seen); a turn
nobody read is still no unit, nor is one only a review's record touches.
"""

from __future__ import annotations

import pytest

from coding.assisted_support import code_document, codebook, interview, write_codebook
from thematic.coding.evaluate import evaluate, study_units
from thematic.coding.suggest import get_suggester

ALPHA = ["The vetting took five months before I could go on the wing.", "We had no grant left for the course."]
BETA = ["The vetting of the horses at the county show was fun.", "My nan gave me a grant for a new bike."]
GAMMA = ["The funding stopped after a year.", "My vetting came back refused."]


def _study(study):  # noqa: ANN001, ANN202
    write_codebook(study)
    docs = {name: interview(name, turns) for name, turns in (("alpha", ALPHA), ("beta", BETA), ("gamma", GAMMA))}
    for doc in docs.values():
        study.store.save_document(doc)
    alpha, beta, gamma = ([s.id for s in d.segments if not s.is_interviewer] for d in docs.values())
    code_document(study.store, docs["alpha"], {1: "security_vetting", 3: "funding"}, coder="ZZ")
    study.mark_seen(alpha + beta, coder="ZZ", source="sheet")  # ZZ read beta too, and decided: no code
    study.mark_seen(gamma[:1], coder="ZZ", source="review")    # a review's record alone: not what ZZ read
    return alpha, beta, gamma


def test_units_are_every_turn_the_coder_saw(study) -> None:  # noqa: ANN001
    alpha, beta, gamma = _study(study)
    for who in ("ZZ", None):
        units, labels = study_units(study, who)
        assert sorted(units["segment_id"]) == sorted(alpha + beta)
        assert labels[alpha[0]] == {"security_vetting"} and labels[alpha[1]] == {"funding"}
        assert labels[beta[0]] == labels[beta[1]] == set()


def test_figures_count_the_false_positives_on_seen_uncoded_turns(study) -> None:  # noqa: ANN001
    alpha, beta, _ = _study(study)
    result = evaluate(study, suggesters=["rules"], coder="ZZ")
    assert result["n_units"] == 4 and result["n_human_codes"] == 2
    # an independent count: the rules suggester run on the four turns ZZ decided, scored by hand
    gold = {alpha[0]: {"security_vetting"}, alpha[1]: {"funding"}, beta[0]: set(), beta[1]: set()}
    texts = dict(zip(alpha + beta, ALPHA + BETA))
    segs = study.segments()
    segs = segs[segs["segment_id"].isin(list(texts))]
    sug = get_suggester("rules").fit(None, None, codebook()).suggest(segs)
    pairs = set(zip(sug["segment_id"].astype(str), sug["code_id"].astype(str)))
    tp = sum(1 for sid, code in pairs if code in gold[sid])
    assert {sid for sid, _ in pairs} & set(beta), "the fixture needs rules to fire on a turn ZZ left uncoded"
    rules = result["suggesters"]["thematic.rules.v1"]
    assert rules["n_suggested"] == len(pairs)
    assert rules["micro"]["precision"] == pytest.approx(tp / len(pairs))
    assert rules["micro"]["precision"] < 1.0
