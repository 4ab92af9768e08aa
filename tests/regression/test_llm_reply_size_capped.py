"""A server's reply had no size limit: a 100 MB answer was read whole, parsed again and again and cached.

A real answer is at most max_tokens tokens (256 by default: a few KB). A reply longer than the cap
(1 MB, or 64 bytes a token of max_tokens when that is more) is now cut off unread and counted as an
answer without a usable reply (W652), never cached. A fake OpenAI-compatible server (real HTTP on
127.0.0.1) answers with a well-formed reply whose evidence is 1.5 MB long.
"""

from __future__ import annotations

import json

import pytest

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import FakeChatServer, HandlerServer, chat_answer, codes_asked, send_json
from thematic.coding.suggest import LLMSuggester
from thematic.errors import ServiceUnavailableError

HUGE = "word " * 300_000  # 1.5 MB


def test_llm_reply_over_the_cap_is_a_failed_answer_and_not_cached(tmp_path) -> None:  # noqa: ANN001
    server = FakeChatServer(lambda body: chat_answer(json.dumps(
        {"codes": [{"code": codes_asked(body)[0], "evidence": HUGE, "confidence": 0.7}]})))
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1).fit(None, None, codebook())
        out = s.suggest(segments_frame({"a": "The vetting took five months before I could go on the wing."}))
        assert out.empty
        assert not list((tmp_path / "llm").glob("*/*.json"))  # nothing cached
        notes = s.run_notes()
        assert any(n.startswith("[W652] 1 passage(s)") for n in notes), notes
        assert not any(n.startswith("[W651]") for n in notes)  # not parsed as an answer at all
    finally:
        server.close()


def test_llm_model_list_over_the_cap_skips_the_llm(tmp_path) -> None:  # noqa: ANN001
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            try:
                send_json(self, 200, json.dumps({"data": [{"id": "fake-model", "pad": HUGE}]}).encode())
            except OSError:
                pass  # the client stops reading at the cap

    server = HandlerServer(Handler)
    base = server.base_url
    try:
        with pytest.raises(ServiceUnavailableError) as info:
            LLMSuggester(base_url=base, model="fake-model", few_shot=0,
                         cache_dir=str(tmp_path)).fit(None, None, codebook())
        assert str(info.value).startswith(f"[E654] The language-model server at {base} failed: ")
        assert "longer than" in str(info.value)
    finally:
        server.close()
