"""Runner processes: a suggester fitted and run in a forked process, streamed back chunk by chunk."""

from __future__ import annotations

import os
import sys

import pandas as pd
import pytest

from coding.assisted_support import TURNS, codebook, segments_frame, training_frames
from thematic.coding.execute import executors as _batch
from thematic.coding.execute.runner import Runner, RunnerFailed, RunnerSkipped, hidden_modules
from thematic.coding.suggest import ModelSuggester, RulesSuggester

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="runner processes need fork (Linux)")


class _Broken(RulesSuggester):
    """Fails while suggesting (a bug in a suggester)."""

    def suggest(self, segments: pd.DataFrame) -> pd.DataFrame:
        raise ValueError("broken on purpose")


class _Dies(RulesSuggester):
    """Its process ends abruptly while suggesting (killed, out of memory)."""

    def suggest(self, segments: pd.DataFrame) -> pd.DataFrame:
        os._exit(3)


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Load spaCy here once, so each forked runner inherits it instead of loading it again."""
    RulesSuggester().warm_up()


def _segments(copies: int = 2) -> pd.DataFrame:
    texts = [t for ts in TURNS.values() for t in ts] * copies
    return segments_frame({f"s{i}": t for i, t in enumerate(texts)})


def _collect(runner: Runner, fit_args: tuple, segs: pd.DataFrame, chunk: int, spool=None) -> list:  # noqa: ANN001
    try:
        runner.start(fit_args, segs, chunk, spool=spool)
        return list(runner.results())
    finally:
        runner.close()


def test_runner_streams_the_same_suggestions_as_in_process(tmp_path) -> None:  # noqa: ANN001
    segs = _segments()
    expected = RulesSuggester().fit(None, None, codebook()).suggest(segs)
    chunks = _collect(Runner(RulesSuggester()), (None, None, codebook()), segs, 10, spool=tmp_path)
    assert [done for done, _ in chunks] == list(range(10, len(segs), 10)) + [len(segs)]
    got = pd.concat([frame for _, frame in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)
    assert list(tmp_path.iterdir()) == []  # the spooled work file is gone


def test_runner_sends_back_what_the_model_learned(tmp_path) -> None:  # noqa: ANN001
    segs, cods = training_frames()
    fitted = ModelSuggester(cv=3, model_dir=str(tmp_path)).fit(segs, cods, codebook())  # saved: the runner loads it
    runner = Runner(ModelSuggester(cv=3, model_dir=str(tmp_path)))
    chunks = _collect(runner, (segs, cods, codebook()), segs, 100)
    assert runner.learned["training_hash_"] == fitted.training_hash_ and runner.learned["skipped_codes_"] == {}
    pd.testing.assert_frame_equal(chunks[0][1], fitted.suggest(segs))


def test_runner_reraises_a_suggester_error_in_the_parent() -> None:
    with pytest.raises(ValueError, match="broken on purpose"):
        _collect(Runner(_Broken()), (None, None, codebook()), _segments(1), 10)


def test_runner_reports_a_fit_that_cannot_run_as_a_skip() -> None:
    with pytest.raises(RunnerSkipped, match="E378"):
        _collect(Runner(RulesSuggester()), (None, None, None), _segments(1), 10)


def test_runner_that_dies_is_a_runner_failure() -> None:
    with pytest.raises(RunnerFailed):
        _collect(Runner(_Dies()), (None, None, codebook()), _segments(1), 10)


def test_hidden_modules_cannot_be_imported_inside_and_can_after() -> None:
    name = "thematic_never_installed_module"
    with hidden_modules([name, "json"]):
        with pytest.raises(ImportError):
            __import__(name)
        import json  # already imported: never hidden

        assert json.dumps([1]) == "[1]"
    assert name not in sys.modules


class _Cold(RulesSuggester):
    warm_modules = ("thematic_never_installed_module",)


def test_small_jobs_use_a_runner_once_while_imports_are_not_loaded(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("THEMATIC_WORKERS", "2")
    monkeypatch.setattr(_batch, "_COLD_RUNS", set())
    cold, warm = _Cold(), RulesSuggester()
    warm.warm_up()
    assert _batch.wants_runner(cold, 10) and not _batch.wants_runner(warm, 10)
    _batch.runner_used(cold, 10)
    assert not _batch.wants_runner(cold, 10)  # the next small job loads the imports in this process
    assert _batch.wants_runner(cold, _batch.PARALLEL_MIN) and _batch.wants_runner(warm, _batch.PARALLEL_MIN)
    monkeypatch.setenv("THEMATIC_WORKERS", "1")
    assert not _batch.wants_runner(cold, _batch.PARALLEL_MIN)


def _coded_study(root, models=None):  # noqa: ANN001, ANN202 - a thematic.Study with training data and more
    import shutil

    from coding.assisted_support import code_document, interview, training_interviews, write_codebook
    from thematic.study import init_study

    study = init_study(root, name="runner test")
    write_codebook(study)
    for doc, codes in training_interviews():
        study.store.save_document(doc)
        code_document(study.store, doc, codes)
    for d in range(4):
        study.store.save_document(interview(f"int-{d}", [t for ts in TURNS.values() for t in ts][d::2]))
    if models is not None:  # a model trained on the same data: loaded, not trained again
        shutil.copytree(models, study.paths.coded / "models", dirs_exist_ok=True)
    return study


def _written(study) -> tuple[list, list]:  # noqa: ANN001
    cods = study.store.codings(status="suggested")
    rows = sorted(cods.drop(columns=["batch_id", "created_at", "updated_at"]).itertuples(index=False))
    order = study.store.events()["coding_id"].tolist()
    return rows, order


def test_code_writes_the_same_rows_in_the_same_order_with_or_without_runners(
        tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from thematic.coding.execute import runner as _runner
    from thematic.coding.run import code

    from thematic.coding.suggest import _dense

    monkeypatch.setattr(_dense, "embeddings_installed", lambda: False)  # a model with embeddings is not forked
    monkeypatch.setattr(_batch, "RUNNER_CHUNK", 7)  # several pieces per suggester, written in turn
    monkeypatch.setenv("THEMATIC_WORKERS", "1")
    alone = _coded_study(tmp_path / "alone")
    code(alone, suggesters=["rules", "model"], ingest=False)
    expected = _written(alone)
    models = alone.paths.coded / "models"

    monkeypatch.setenv("THEMATIC_WORKERS", "2")
    monkeypatch.setattr(_batch, "PARALLEL_MIN", 1)
    started = []
    real_start = _runner.start_runner
    monkeypatch.setattr(_runner, "start_runner", lambda s: started.append(s.name) or real_start(s))
    forked = _coded_study(tmp_path / "forked", models)
    report = code(forked, suggesters=["rules", "model"], ingest=False)
    assert started == ["thematic.rules.v1", "thematic.model.v1"] and report.added == len(expected[0])
    assert _written(forked) == expected
    assert [r.status for r in report.runs] == ["ran", "ran"] and "training_hash" in forked.store.codings(
        coder="thematic.model.v1")["params"].iloc[0]

    real_results = _runner.Runner.results

    def fails_after_one_chunk(self):  # noqa: ANN001, ANN202 - the process dies after its first chunk
        for i, item in enumerate(real_results(self)):
            if i == 1:
                raise RunnerFailed("gone")
            yield item

    monkeypatch.setattr(_runner.Runner, "results", fails_after_one_chunk)
    rescued = _coded_study(tmp_path / "rescued", models)
    code(rescued, suggesters=["rules", "model"], ingest=False)
    assert _written(rescued) == expected
    for s in (alone, forked, rescued):
        s.close()


def test_no_forked_pool_for_a_suggester_that_may_use_torch_once_torch_is_loaded() -> None:
    """A forked child using PyTorch's thread pool, once the parent used it, hangs: such suggesters stay in-process."""
    import sys

    from thematic.coding.execute.executors import fork_safe
    from thematic.coding.suggest import get_suggester

    with_embeddings = get_suggester("thematic.model.v1", use_embeddings=True)
    ngrams_only = get_suggester("thematic.model.v1", use_embeddings=False)
    had = sys.modules.get("torch")
    try:
        sys.modules["torch"] = had or type(sys)("torch")
        assert not with_embeddings.forkable and not fork_safe(with_embeddings)
        assert fork_safe(ngrams_only) and fork_safe(get_suggester("thematic.rules.v1"))
    finally:
        if had is None:
            del sys.modules["torch"]
