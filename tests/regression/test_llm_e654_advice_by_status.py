"""E654 told the user to check the model and the API key for every HTTP error, 429 and 500 included.

A 429 (too many requests) now says to lower max_concurrency or wait; a 5xx says the server itself
failed and to check its log. Other refusals keep the model/API-key advice. A fake OpenAI-compatible
server (real HTTP on 127.0.0.1) answers each chat with the status under test.
"""

from __future__ import annotations

import pytest

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import FakeChatServer
from thematic.coding.suggest import LLMSuggester
from thematic.errors import ServiceError


def _e654(status: int, tmp_path) -> str:  # noqa: ANN001
    server = FakeChatServer(lambda body: (status, {"error": {"message": f"fake error {status}"}}))
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1).fit(None, None, codebook())
        with pytest.raises(ServiceError) as info:
            s.suggest(segments_frame({"a": "The vetting took five months before I could go on the wing."}))
        return str(info.value)
    finally:
        server.close()


def test_llm_e654_for_429_says_lower_max_concurrency_or_wait(tmp_path) -> None:  # noqa: ANN001
    msg = _e654(429, tmp_path)
    assert msg.startswith("[E654]") and "HTTP 429" in msg and "fake error 429" in msg
    assert "max_concurrency" in msg and "wait" in msg
    assert "pulled/loaded" not in msg and "API key" not in msg


@pytest.mark.parametrize("status", [500, 502])
def test_llm_e654_for_5xx_says_the_server_failed_and_to_check_its_log(status, tmp_path) -> None:  # noqa: ANN001
    msg = _e654(status, tmp_path)
    assert msg.startswith("[E654]") and f"HTTP {status}" in msg
    assert "server itself failed" in msg and "log" in msg
    assert "pulled/loaded" not in msg and "API key" not in msg


def test_llm_e654_for_403_keeps_the_model_and_key_advice(tmp_path) -> None:  # noqa: ANN001
    msg = _e654(403, tmp_path)
    assert "pulled/loaded" in msg and "API key" in msg
