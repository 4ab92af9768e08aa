"""D5: a failed answer (W652: empty, or not the JSON asked for) is not cached, and the next run asks again.

Before, the failed reply was cached like a good one: after the server was fixed, a re-run sent no
request and repeated W652 for the same passages until data/coded/cache/llm/ was deleted by hand.
A fake OpenAI-compatible server (real HTTP) first glitches (HTTP 200 with a null message), then answers.
"""

from __future__ import annotations

import json

from coding.assisted_support import codebook, interview, segments_frame, write_codebook
from coding.llm_support import FakeChatServer, chat_answer, codes_asked, passage_of
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester
from thematic.coding.suggest.llm.cache import cache_key, passage_hash
from thematic.coding.suggest.llm.fewshot import message_for
from thematic.study import Study

ANSWERS = ["The vetting took five months before I could go on the wing.",
           "The funding stopped after a year and the group closed."]


class Glitchy:
    """Null answers while ``broken``, else the first four words of the passage as evidence for the first code."""

    def __init__(self) -> None:
        self.broken = True

    def __call__(self, body: dict) -> tuple[int, dict]:
        if self.broken:
            return chat_answer(None)
        code = codes_asked(body)[0]
        words = " ".join(passage_of(body).split()[:4])
        return chat_answer(json.dumps({"codes": [{"code": code, "evidence": words, "confidence": 0.7}]}))


def _study(study, url: str) -> Study:  # noqa: ANN001
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{url}"\nmodel = "{FakeChatServer.MODEL}"\nfew_shot = 0\n'
                "max_concurrency = 1\n")
    root = study.root
    study.close()
    s = Study.open(root)
    s.store.save_document(interview("int-01", ANSWERS))
    return s


def test_llm_failed_answers_are_asked_again_by_the_next_run_once_the_server_works(study) -> None:  # noqa: ANN001
    glitch = Glitchy()
    server = FakeChatServer(glitch)
    s = _study(study, server.base_url)
    try:
        first = code(s, suggesters=["llm"], ingest=False).runs[0]
        assert first.status == "ran" and s.store.codings().empty
        w652 = [n for n in first.notes if n.startswith("[W652]")]
        assert len(w652) == 1 and w652[0].startswith("[W652] 2 passage(s)")
        assert "int-01:1" in w652[0] and "int-01:3" in w652[0] and "asks for them again" in w652[0]
        assert not list((s.paths.coded / "cache" / "llm").glob("*/*.json"))  # nothing cached
        asked = len(server.chats)
        glitch.broken = False
        second = code(s, suggesters=["llm"], ingest=False).runs[0]
        assert second.status == "ran" and len(server.chats) == asked + 2
        assert not any(n.startswith("[W652]") for n in second.notes) and second.added == 2
        assert len(s.store.codings(status="suggested")) == 2
        third = code(s, suggesters=["llm"], ingest=False)  # all answered and cached: nothing to do
        assert third.nothing_changed and len(server.chats) == asked + 2
    finally:
        s.close()
        server.close()


def test_llm_a_failed_answer_cached_by_an_earlier_version_is_asked_again(tmp_path) -> None:  # noqa: ANN001
    glitch = Glitchy()
    glitch.broken = False
    server = FakeChatServer(glitch)
    try:
        segs = segments_frame({"a": ANSWERS[0]})
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path))
        s.fit(None, None, codebook())
        batch = s._layout(0)[0]
        key = cache_key(s.model_id_, s.model_digest_, batch.template_hash, passage_hash(message_for(
            segs.to_dict("records")[0])))
        path = tmp_path / "llm" / key[:2] / f"{key}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"replies": ["", ""], "template_hash": batch.template_hash, "requests": 2,
                                    "prompt_tokens": 0, "completion_tokens": 0}), encoding="utf-8")
        out = s.suggest(segs)
        assert len(server.chats) == 1 and len(out) == 1 and s.stats_["failed"] == 0
        assert json.loads(path.read_text(encoding="utf-8"))["replies"][-1].startswith('{"codes"')
    finally:
        server.close()
