"""The llm suggester's requests went through the proxy named in http_proxy, even to a loopback base_url.

urllib's default opener reads http_proxy/https_proxy, so passages left the machine although only
127.0.0.1 was configured (and the provenance said host 127.0.0.1). The client now connects to
base_url directly, never through a proxy. Two fake servers (real HTTP on 127.0.0.1): the model
server, and a stand-in proxy that records whatever reaches it.
"""

from __future__ import annotations

import json

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import FakeChatServer, chat_answer, codes_asked, passage_of
from thematic.coding.suggest import LLMSuggester


def _answer(body: dict) -> tuple[int, dict]:
    words = " ".join(passage_of(body).split()[:4])
    return chat_answer(json.dumps({"codes": [{"code": codes_asked(body)[0], "evidence": words, "confidence": 0.7}]}))


def test_llm_requests_to_a_loopback_server_bypass_the_environment_proxy(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    server, proxy = FakeChatServer(_answer), FakeChatServer(_answer)
    proxy_url = proxy.base_url.rsplit("/v1", 1)[0]
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy_url)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path))
        s.fit(None, None, codebook())
        out = s.suggest(segments_frame({"a": "The vetting took five months before I could go on the wing."}))
        assert proxy.chats == []  # nothing went to the proxy
        assert len(server.chats) == 1 and len(out) == 1
        assert s.host_ == "127.0.0.1"
    finally:
        server.close()
        proxy.close()
