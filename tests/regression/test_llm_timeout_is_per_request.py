"""`[code.llm] timeout` is documented as seconds per request, and E652 says the server "did not answer within
{timeout} s", but it was only the limit of each socket read: a server (or proxy) that trickled its answer a byte at
a time held one request for as long as it liked, and the run finished without E652 however slow it was. Now each
request has a deadline of `timeout` seconds from its start, whatever phase it is in (the status line, the headers
or the body); past it the request fails as any timeout does (E652). A real HTTP server on 127.0.0.1 trickles.
"""

from __future__ import annotations

import json
import socket
import time
from http.server import BaseHTTPRequestHandler

import pytest

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import HandlerServer
from thematic.coding.suggest import LLMSuggester
from thematic.errors import ServiceError

PASSAGE = "The vetting took five months before I could go on the wing."
STEP = 0.1  # seconds between two bytes: a whole answer takes far longer than the timeout of 1 s


class TricklingServer(HandlerServer):
    """Lists one model at once; answers a chat completion correctly but a byte every ``STEP`` seconds, from
    the status line on (``from_start``) or only its body."""

    def __init__(self, from_start: bool) -> None:
        self.stopped = False
        self.chats = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _raw(self, body: bytes) -> bytes:
                return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

            def do_GET(self) -> None:
                self.wfile.write(self._raw(json.dumps({"data": [{"id": "fake-model"}]}).encode()))
                self.close_connection = True

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.chats += 1
                answer = json.dumps({"codes": [{"code": "security_vetting", "evidence": "The vetting took five months",
                                                "confidence": 0.8}]})
                raw = self._raw(json.dumps({"choices": [{"message": {"content": answer}}]}).encode())
                start = 0 if from_start else raw.index(b"\r\n\r\n") + 4
                self.close_connection = True
                try:
                    self.wfile.write(raw[:start])
                    for i in range(start, len(raw)):
                        if outer.stopped:
                            return
                        self.wfile.write(raw[i:i + 1])
                        self.wfile.flush()
                        time.sleep(STEP)
                except (BrokenPipeError, ConnectionResetError, socket.timeout):
                    return  # the client gave up: what should happen

        super().__init__(Handler)

    def close(self) -> None:
        self.stopped = True
        super().close()


@pytest.mark.parametrize("from_start", [True, False], ids=["headers-and-body", "body"])
def test_llm_trickled_answer_is_e652_once_the_request_has_taken_timeout_seconds(tmp_path, from_start) -> None:  # noqa: ANN001
    server = TricklingServer(from_start)
    try:
        s = LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1, timeout=1).fit(None, None, codebook())
        with pytest.raises(ServiceError, match=r"^\[E652\] The language-model server at .* did not answer within 1 s"):
            s.suggest(segments_frame({"a": PASSAGE}))
        assert server.chats == 1  # one chat completion, failed as a timeout: not asked again
    finally:
        server.close()
