"""A server that cut the connection mid-answer (http.client.IncompleteRead) gave a traceback.

The client caught only OSError/ValueError, and IncompleteRead (like BadStatusLine) is an
http.client.HTTPException. It is now the coded server failure E654, naming the server and saying
what to do. A tiny server (real HTTP on 127.0.0.1) promises 1000 bytes, sends 19 and closes.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import HandlerServer, send_json
from thematic.coding.suggest import LLMSuggester
from thematic.errors import ServiceError, ServiceUnavailableError


class CuttingServer(HandlerServer):
    """Lists one model, then cuts every answer short; ``cut_models`` cuts the model list too."""

    def __init__(self, cut_models: bool = False) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _cut(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b'{"choices": [{"mess')
                self.wfile.flush()
                self.close_connection = True

            def do_GET(self) -> None:
                if cut_models:
                    return self._cut()
                send_json(self, 200, json.dumps({"data": [{"id": "fake-model"}]}).encode())

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._cut()

        super().__init__(Handler)


def test_llm_answer_cut_mid_body_is_a_coded_error(tmp_path) -> None:  # noqa: ANN001
    server = CuttingServer()
    try:
        s = LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1).fit(None, None, codebook())
        with pytest.raises(ServiceError) as info:
            s.suggest(segments_frame({"a": "The vetting took five months before I could go on the wing."}))
        msg = str(info.value)
        assert msg.startswith(f"[E654] The language-model server at {server.base_url} failed: ")
        assert "cut" in msg and "19 bytes" in msg and "log" in msg
    finally:
        server.close()


def test_llm_model_list_cut_mid_body_skips_the_llm_with_a_coded_error(tmp_path) -> None:  # noqa: ANN001
    server = CuttingServer(cut_models=True)
    try:
        s = LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0, cache_dir=str(tmp_path))
        with pytest.raises(ServiceUnavailableError) as info:
            s.fit(None, None, codebook())
        assert str(info.value).startswith(f"[E654] The language-model server at {server.base_url} failed: ")
        assert "cut" in str(info.value)
    finally:
        server.close()
