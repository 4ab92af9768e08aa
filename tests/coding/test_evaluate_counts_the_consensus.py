"""Study-mode `evaluate`, `--curve` and the model's training read the consensus where reconcile settled a turn.

After two coders reconciled, the tables count the consensus coding on the segments it settled (a code the team
decided against no longer counts), but `evaluate` took every coder's manual codings as the truth: a suggester
that did exactly what the team decided was scored as missing the rejected code (recall and kappa 0.5 instead
of 1.0), and the model and the ensemble learnt that rejected code as a positive. Now evaluate, the learning
curve and the training data take the consensus coder's codings on the segments it settled and every coder's
codings elsewhere, as the tables do, and evaluate's ``source`` says so. Naming a coder still reads that
coder's own codings.
"""

from __future__ import annotations

import pytest

from coding.assisted_support import interview, write_codebook
from thematic.coding.curve import study_curve
from thematic.coding.evaluate import evaluate, study_units
from thematic.coding.plan import training_codings
from thematic.coding.suggest._labels import labelled_segments, segment_codes
from thematic.context import context_of
from thematic.models import Coding
from thematic.reconcile import reconcile_items, settle, settle_agreed

ANSWERS = [
    "The vetting took five months before I could go on the wing.",   # both: security_vetting
    "We had no grant left for the mentoring course.",                # both: funding
    "The bus was late again this morning.",                          # HT: funding, SO: nothing; decided: none
    "Funding is always short term, you can never plan.",             # both: funding
    "Security clearance is the big wall for people like us.",        # HT only (SO never saw it): not settled
]
PAIR = ["HT", "SO"]


def _reconciled(study):  # noqa: ANN001, ANN202
    """One interview coded by HT and SO, reconciled: the team decided against HT's funding on the bus turn."""
    write_codebook(study)
    doc = interview("alpha", ANSWERS)
    study.store.save_document(doc)
    turns = [s.id for s in doc.segments if not s.is_interviewer]
    for i, code in [(0, "security_vetting"), (1, "funding"), (2, "funding"), (3, "funding"), (4, "security_vetting")]:
        study.code(turns[i], code, coder="HT")
    for i, code in [(0, "security_vetting"), (1, "funding"), (3, "funding")]:
        study.code(turns[i], code, coder="SO")
    study.mark_seen(turns, coder="HT")
    study.mark_seen(turns[:4], coder="SO")
    items = reconcile_items(study.store, coders=PAIR)
    settle_agreed(study.store, items, coders=PAIR, consensus="consensus", decided_by="HT", route="api")
    (disputed,) = [i for i in items if i.disputed]
    assert disputed.segment_id == turns[2]
    settle(study.store, disputed, [], coders=PAIR, consensus="consensus", decided_by="HT", route="api",
           memo="not about money")
    return doc, turns


def test_a_suggester_that_matches_the_consensus_scores_one(study) -> None:  # noqa: ANN001
    _, turns = _reconciled(study)
    result = evaluate(study, suggesters=["rules"])
    rules = result["suggesters"]["thematic.rules.v1"]
    per_code = {c["code_id"]: c for c in rules["per_code"]}
    assert result["n_units"] == 5
    assert result["n_human_codes"] == 4                       # 3 settled codes + HT's on the turn SO never saw
    assert per_code["funding"]["support"] == 2
    assert per_code["funding"]["recall"] == pytest.approx(1.0)
    assert per_code["funding"]["kappa"] == pytest.approx(1.0)
    assert rules["micro"]["precision"] == pytest.approx(1.0) and rules["micro"]["recall"] == pytest.approx(1.0)
    assert result["source"] == ("study manual codings: the consensus coding ('consensus') on the 4 unit(s) it "
                                "settled, every coder's codings elsewhere")
    # the learning curve scores the same units against the same truth, and says so
    curve = study_curve(study, suggester="model", sizes=[2], cv=2)
    assert curve["source"] == result["source"] and curve["n_units"] == 5


def test_units_and_training_labels_read_the_consensus_where_settled(study) -> None:  # noqa: ANN001
    _, turns = _reconciled(study)
    truth = {turns[0]: {"security_vetting"}, turns[1]: {"funding"}, turns[2]: set(), turns[3]: {"funding"},
             turns[4]: {"security_vetting"}}
    units, labels = study_units(study)
    assert labels == truth and units.attrs["settled"] == 4
    # the model and the ensemble learn from these rows (``thematic code`` passes them to ``fit``)
    rows = training_codings(context_of(study), None)
    segs = study.store.segments()
    learnt = segment_codes(segs, rows)
    assert {s: learnt.get(s, set()) for s in labelled_segments(segs, rows)} == truth
    # one coder named: that coder's own codings, the rejected code included
    ht_units, ht_labels = study_units(study, "HT")
    assert ht_labels[turns[2]] == {"funding"} and not ht_units.attrs.get("settled")
    ht_rows = training_codings(context_of(study), "HT")
    assert segment_codes(segs, ht_rows)[turns[2]] == {"funding"}
    assert evaluate(study, suggesters=["rules"], coder="HT")["source"] == "study manual codings (HT)"


def test_a_coding_over_a_settled_and_an_unsettled_turn_counts_on_the_unsettled_one(study) -> None:  # noqa: ANN001
    doc, turns = _reconciled(study)
    # a passage HT coded over the settled bus turn and the turn SO never saw (no segment recorded: a REFI import)
    bus, last = (s for s in doc.segments if s.id in (turns[2], turns[4]))
    study.store.add_codings([Coding(doc.id, bus.start, last.end, "staff_distance", "HT", status="manual")])
    _, labels = study_units(study)
    assert labels[turns[2]] == set()
    assert labels[turns[4]] == {"security_vetting", "staff_distance"}
    segs = study.store.segments()
    learnt = segment_codes(segs, training_codings(context_of(study), None))
    assert turns[2] not in learnt and learnt[turns[4]] == {"security_vetting", "staff_distance"}
