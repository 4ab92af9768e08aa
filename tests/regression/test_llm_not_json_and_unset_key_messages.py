"""E650 said the server "did not answer ... Start it" when it had answered with HTML or broken JSON,
and wrapped E658 the same way when api_key_env named an unset variable.

A server that answers, but not with JSON (a login page of a proxy, a web server on that port), now
gets E654 saying so and quoting the first bytes; an unset key variable is E658 on its own, raised
before any request. A tiny server (real HTTP on 127.0.0.1) answers HTML and counts requests.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import HandlerServer
from thematic.coding.suggest import LLMSuggester
from thematic.errors import InputError, ServiceError, ServiceUnavailableError

HTML = b"<html><head><title>Sign in</title></head><body>Please sign in</body></html>"


class HtmlServer(HandlerServer):
    """Answers every request with HTTP 200 and ``HTML`` (the model list too, unless ``models_ok``)."""

    def __init__(self, models_ok: bool = False) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, data: bytes, kind: str) -> None:
                outer.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if models_ok and self.path.endswith("/models"):
                    return self._answer(json.dumps({"data": [{"id": "fake-model"}]}).encode(), "application/json")
                self._answer(HTML, "text/html")

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer(HTML, "text/html")

        super().__init__(Handler)


def _says_not_json(msg: str, url: str) -> None:
    assert msg.startswith(f"[E654] The language-model server at {url} failed: ")
    assert "not JSON" in msg and "<html><head><title>Sign in" in msg
    assert "did not answer" not in msg and "Start it" not in msg


def test_llm_model_list_that_is_not_json_says_so(tmp_path) -> None:  # noqa: ANN001
    server = HtmlServer()
    try:
        with pytest.raises(ServiceUnavailableError) as info:
            LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0,
                         cache_dir=str(tmp_path)).fit(None, None, codebook())
        _says_not_json(str(info.value), server.base_url)
    finally:
        server.close()


def test_llm_chat_answer_that_is_not_json_says_so(tmp_path) -> None:  # noqa: ANN001
    server = HtmlServer(models_ok=True)
    try:
        s = LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1).fit(None, None, codebook())
        with pytest.raises(ServiceError) as info:
            s.suggest(segments_frame({"a": "The vetting took five months before I could go on the wing."}))
        _says_not_json(str(info.value), server.base_url)
    finally:
        server.close()


def test_llm_unset_api_key_variable_is_e658_before_any_request(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("THEMATIC_NOPE_KEY", raising=False)
    server = HtmlServer(models_ok=True)
    try:
        s = LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0, cache_dir=str(tmp_path),
                         api_key_env="THEMATIC_NOPE_KEY")
        with pytest.raises(InputError) as info:
            s.fit(None, None, codebook())
        assert str(info.value).startswith("[E658] [code.llm] api_key_env names the environment variable "
                                          "'THEMATIC_NOPE_KEY'")
        assert "E650" not in str(info.value) and server.requests == []
    finally:
        server.close()
