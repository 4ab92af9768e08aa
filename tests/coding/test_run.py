"""`code()`: incremental suggestion runs with provenance, no duplicates, model skipping, ingest first."""

from __future__ import annotations

import json

import pytest

from coding.assisted_support import code_document, interview, training_interviews, write_codebook
from thematic.coding import uncertainty_order
from thematic.coding.run import code, suggest_frame
from thematic.errors import StudyError

ANSWERS = ["The vetting took months before I got in.", "The funding ran out last spring.",
           "We talked about the weather."]


@pytest.fixture
def coded_study(study):  # noqa: ANN001, ANN201 - a thematic.Study with two interviews and the codebook
    write_codebook(study)
    study.store.save_document(interview("int-01", ANSWERS))
    study.store.save_document(interview("int-02", ["I have been there myself, same boat."]))
    return study


def test_run_stores_suggestions_with_provenance_in_one_batch(coded_study) -> None:  # noqa: ANN001
    report = code(coded_study, suggesters=["rules"], ingest=False)
    cods = coded_study.store.codings(status="suggested")
    assert report.added == len(cods) == 3 and report.batch_id is not None
    assert set(cods["batch_id"]) == {report.batch_id}
    assert set(zip(cods["segment_id"], cods["code_id"])) == {
        ("int-01:1", "security_vetting"), ("int-01:3", "funding"), ("int-02:1", "shared_experience")}
    row = cods.iloc[0]
    params = json.loads(row["params"])
    assert row["coder"] == row["suggester"] == "thematic.rules.v1" and row["source"] == "suggester"
    assert row["codebook_version"] == params["codebook_version"] == "2.0.0"
    assert params["min_confidence"] == 0.3 and params["threshold"] == 0.3 and "batch_size" not in params
    assert 0.3 <= float(row["confidence"]) <= 0.95 and "'vetting'" in row["memo"]


def test_run_never_codes_interviewer_turns(coded_study) -> None:  # noqa: ANN001
    code(coded_study, suggesters=["rules"], ingest=False)  # the questions mention vetting and funding
    segs = set(coded_study.store.codings()["segment_id"])
    assert not any(int(s.split(":")[1]) % 2 == 0 for s in segs)


def test_run_twice_does_nothing_the_second_time(coded_study) -> None:  # noqa: ANN001
    code(coded_study, suggesters=["rules"], ingest=False)
    again = code(coded_study, suggesters=["rules"], ingest=False)
    assert again.nothing_changed and again.added == 0 and again.batch_id is None
    assert again.runs[0].status == "up to date"
    assert len(coded_study.store.batches()) == 1


def test_run_only_codes_new_or_changed_documents(coded_study) -> None:  # noqa: ANN001
    code(coded_study, suggesters=["rules"], ingest=False)
    coded_study.store.save_document(interview("int-02", ["The grant was cut, no funding at all."]))
    coded_study.store.save_document(interview("int-03", ["Security clearance again."]))
    report = code(coded_study, suggesters=["rules"], ingest=False)
    run = report.runs[0]
    assert (run.status, run.documents, run.added) == ("ran", 2, 2)
    new = coded_study.store.codings(batch=report.batch_id)
    assert set(new["document_id"]) == {"int-02", "int-03"}


def test_run_after_a_codebook_change_reruns_all_without_duplicates(coded_study) -> None:  # noqa: ANN001
    code(coded_study, suggesters=["rules"], ingest=False)
    first = coded_study.store.codings(status="suggested")
    rejected = first.loc[first["code_id"] == "funding", "coding_id"].tolist()
    coded_study.store.set_status(rejected, "rejected", actor="AB")
    write_codebook(coded_study, version="2.1.0")
    report = code(coded_study, suggesters=["rules"], ingest=False)
    assert report.runs[0].status == "ran" and report.runs[0].documents == 2
    assert report.added == 0  # same spans, codes and suggester: nothing new, the rejected one not re-added
    cods = coded_study.store.codings()
    assert len(cods) == len(first)
    assert cods.loc[cods["coding_id"].isin(rejected), "status"].tolist() == ["rejected"]


def test_run_skips_codes_a_human_already_decided(coded_study) -> None:  # noqa: ANN001
    doc = coded_study.store.document("int-01")
    code_document(coded_study.store, doc, {1: "security_vetting"}, coder="AB")
    report = code(coded_study, suggesters=["rules"], ingest=False)
    assert report.runs[0].already == 1
    sugg = coded_study.store.codings(status="suggested")
    assert ("int-01:1", "security_vetting") not in set(zip(sugg["segment_id"], sugg["code_id"]))


def test_run_skips_the_model_with_a_reason_until_there_is_training_data(coded_study) -> None:  # noqa: ANN001
    report = code(coded_study, suggesters=["rules", "model"], ingest=False)
    model = report.runs[1]
    assert model.status == "skipped" and "E376" in (model.reason or "")
    assert report.runs[0].status == "ran"
    again = code(coded_study, suggesters=["rules", "model"], ingest=False)
    assert again.nothing_changed and again.runs[1].status == "skipped"


def test_run_trains_the_model_on_manual_codings_and_suggests(coded_study) -> None:  # noqa: ANN001
    for doc, codes in training_interviews():
        coded_study.store.save_document(doc)
        code_document(coded_study.store, doc, codes)
    report = code(coded_study, suggesters=["model"], ingest=False)
    run = report.runs[0]
    assert run.status == "ran" and run.added > 0 and run.fit_seconds > 0
    model_rows = coded_study.store.codings(coder="thematic.model.v1")
    assert "training_hash" in json.loads(model_rows["params"].iloc[0])
    assert list((coded_study.paths.coded / "models").glob("model-*.npz"))
    assert set(model_rows["document_id"]) <= {"int-01", "int-02"}  # coded documents are not re-suggested
    assert ("int-01:1", "security_vetting") in set(zip(model_rows["segment_id"], model_rows["code_id"]))


def test_run_ingests_changed_files_first(study) -> None:  # noqa: ANN001
    write_codebook(study)
    raw = study.paths.raw / "int-09.txt"
    raw.write_text("Interviewer: How was it?\nDan: The vetting took months.\n", encoding="utf-8")
    report = code(study, suggesters=["rules"])
    assert report.ingest is not None and len(report.ingest.changed_documents) == 1
    assert report.added == 1
    raw.write_text("Interviewer: How was it?\nDan: The vetting took months. No funding either.\n", encoding="utf-8")
    again = code(study, suggesters=["rules"])
    assert again.runs[0].documents == 1 and again.added == 1
    assert code(study, suggesters=["rules"]).nothing_changed


def test_run_without_a_codebook_is_a_coded_error(study) -> None:  # noqa: ANN001
    with pytest.raises(StudyError, match="E373"):
        code(study, suggesters=["rules"], ingest=False)


def test_run_suggest_frame_does_not_store(coded_study) -> None:  # noqa: ANN001
    out = suggest_frame(coded_study, suggester="rules")
    assert len(out) == 3 and coded_study.store.codings().empty


def test_run_suggestions_can_be_ordered_most_uncertain_first(coded_study) -> None:  # noqa: ANN001
    code(coded_study, suggesters=["rules"], ingest=False)
    queue = uncertainty_order(coded_study.store.codings(status="suggested"))
    gaps = (queue["confidence"].astype(float) - 0.3).abs().tolist()
    assert gaps == sorted(gaps)


def test_run_bulk_add_keeps_the_rules_and_events_of_add_codings(tmp_path) -> None:  # noqa: ANN001
    from dataclasses import replace

    from thematic.models import Coding
    from thematic.store import Store

    doc = interview("int-01", ANSWERS)
    seg = doc.segments[1]
    items = [Coding(doc.id, seg.start, seg.end, c, "thematic.rules.v1", status="suggested", text=seg.text,
                    segment_id=seg.id, confidence=0.5) for c in ("funding", "security_vetting", "funding")]
    frames = []
    for method in ("add_codings", "add_codings_bulk"):
        with Store(tmp_path / f"{method}.db") as st:
            st.save_document(doc)
            st.add_codings([replace(items[1], status="rejected")])
            batch = st.new_batch("suggest:test", actor="AB")
            assert getattr(st, method)(items, batch_id=batch, actor="AB") == (1, 2)
            cods = st.codings().drop(columns=["batch_id", "created_at", "updated_at"])
            events = st.events()[["coding_id", "kind", "actor"]]
            frames.append((cods, events, len(st.replay_events())))
    assert frames[0][0].equals(frames[1][0]) and frames[0][1].equals(frames[1][1])
    assert frames[0][2] == frames[1][2] == 2


def test_run_parallel_workers_give_the_same_codings_in_the_same_order(monkeypatch) -> None:  # noqa: ANN001
    from thematic.coding.execute import executors as _batch
    from thematic.coding.suggest import RulesSuggester
    from coding.assisted_support import TURNS, codebook, segments_frame

    texts = {f"s{i}": t for i, t in enumerate([t for ts in TURNS.values() for t in ts] * 3)}
    segs = segments_frame(texts)
    s = RulesSuggester().fit(None, None, codebook())
    monkeypatch.setattr(_batch, "CHUNK", 10)
    monkeypatch.setattr(_batch, "PARALLEL_MIN", 20)
    seen: list[int] = []
    one, n1 = _batch.run_suggester(s, segs, codebook(), {}, n_workers=1)
    two, n2 = _batch.run_suggester(s, segs, codebook(), {"s0": {"security_vetting"}},
                                   progress=lambda done, total: seen.append(done), n_workers=2)
    assert [c.id for c in one if c.segment_id != "s0"] == [c.id for c in two] and n2 == n1 + 1
    assert seen == list(range(10, len(segs), 10)) + [len(segs)]


def test_run_study_facade_runs_suggests_and_evaluates(coded_study) -> None:  # noqa: ANN001
    frame = coded_study.suggest(suggester="rules", min_confidence=0.5)
    assert set(frame["code_id"]) == {"security_vetting", "shared_experience"}  # a lone "funding" is 0.4
    report = coded_study.run_code(suggesters=["rules"], ingest=False)
    assert report.added == 3 and coded_study.run_code(suggesters=["rules"], ingest=False).nothing_changed
    doc = coded_study.store.document("int-01")
    code_document(coded_study.store, doc, {1: "security_vetting", 3: "funding"})
    result = coded_study.evaluate(suggesters=["rules"])
    assert result["suggesters"]["thematic.rules.v1"]["micro"]["recall"] == 1.0
