"""D2: a passage the server says is longer than its context is skipped with W653; the run goes on.

Before, llama.cpp's clear HTTP 400 ``context_length_exceeded`` answer was thrown away: thematic tried
all four answer formats, then stopped the whole run with "[E654] ... HTTP 400 ... check that the model
is pulled/loaded and the API key (environment variable none set) is right". Here the study's
context_tokens (32768) is larger than the real llama.cpp server's context (4096), so the estimate
lets a long passage through and the server refuses it. Other servers word the refusal differently
(llama.cpp's own server, vLLM): a fake OpenAI-compatible server gives those answers over real HTTP.
"""

from __future__ import annotations

import json

import pytest

from coding.assisted_support import codebook, interview, segments_frame, write_codebook
from coding.llm_support import MODEL_ALIAS, CountingProxy, FakeChatServer, chat_answer
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester
from thematic.study import Study

SHORT = "The vetting took five months before I could go on the wing."
LONG = ("The funding stopped after a year and the group closed, so we met in the cafe instead and kept going. "
        * 250)  # about 5,000 real tokens: more than the server's 4,096


@pytest.fixture
def proxy(llm_server: str):  # noqa: ANN201
    p = CountingProxy(llm_server)
    yield p
    p.close()


@pytest.mark.slow
def test_llm_server_context_overflow_skips_that_passage_and_the_run_goes_on(study, proxy) -> None:  # noqa: ANN001
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{proxy.base_url}"\nmodel = "{MODEL_ALIAS}"\nmax_tokens = 64\n'
                "few_shot = 0\nmax_concurrency = 1\ntimeout = 900\ncontext_tokens = 32768\n")
    root = study.root
    study.close()
    s = Study.open(root)
    try:
        s.store.save_document(interview("int-01", [SHORT, LONG]))
        rules, llm = code(s, suggesters=["rules", "llm"], ingest=False).runs
        assert rules.status == "ran" and rules.added >= 1 and llm.status == "ran"
        long_asks = [c for c in proxy.chats() if LONG[:200] in c["json"]["messages"][-1]["content"]]
        assert len(long_asks) == 1 and long_asks[0]["status"] == 400  # no other answer format tried
        assert len(proxy.answered()) == 1  # the short passage
        w653 = [n for n in llm.notes if n.startswith("[W653]")]
        assert len(w653) == 1 and "int-01:3" in w653[0] and "context_tokens = 32768" in w653[0]
        assert "context_length_exceeded" in w653[0] and "maximum context length is 4096 tokens" in w653[0]
        assert not any("E654" in n for n in llm.notes)
        assert s.store.codings(status="suggested")["coder"].eq("thematic.llm.v1").sum() == llm.added
    finally:
        s.close()


OTHER_SERVERS = {
    "llama.cpp server": (400, {"error": {"code": 400, "type": "exceed_context_size_error", "n_prompt_tokens": 9000,
                                         "n_ctx": 4096, "message": "the request exceeds the available context size, "
                                                                   "try increasing it"}}),
    "vLLM": (400, {"object": "error", "type": "BadRequestError", "code": 400,
                   "message": "This model's maximum context length is 4096 tokens. However, you requested 9000 "
                              "tokens (8900 in the messages, 100 in the completion)."}),
    "a proxy's 413": (413, {"error": "request entity too large"}),
}


@pytest.mark.parametrize("server_name", sorted(OTHER_SERVERS))
def test_llm_other_servers_context_refusals_skip_the_passage(server_name: str, tmp_path) -> None:  # noqa: ANN001
    def answer(body: dict) -> tuple[int, dict]:
        if "kept going" in body["messages"][-1]["content"]:
            return OTHER_SERVERS[server_name]
        return chat_answer(json.dumps({"codes": [{"code": "security_vetting", "evidence": "took five months",
                                                  "confidence": 0.8}]}))

    server = FakeChatServer(answer)
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, context_tokens=32768,
                         max_concurrency=1, cache_dir=str(tmp_path)).fit(None, None, codebook())
        out = s.suggest(segments_frame({"short": SHORT, "long": LONG}))
        assert list(out["segment_id"]) == ["short"] and len(server.chats) == 2
        note = next(n for n in s.run_notes() if n.startswith("[W653]"))
        assert "not coded by it: long (about " in note
    finally:
        server.close()
