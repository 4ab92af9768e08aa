"""Talk to an OpenAI-compatible chat-completions server (Ollama, llama.cpp, vLLM, LM Studio) over HTTP.

Standard library only (``urllib``). The answer format is asked for as strictly as the server
allows: a JSON schema (``response_format: json_schema``, OpenAI/Ollama/vLLM/LM Studio), else
llama-cpp-python's ``json_object`` with a schema (a grammar), else plain JSON mode, else nothing
(the prompt still asks for JSON and the answer is validated). The first form the server accepts
is remembered for the run.

A prompt longer than the server's context is refused with a message saying so (llama.cpp, vLLM,
OpenAI: HTTP 400 ``context_length_exceeded``); that raises ``ContextOverflow`` at once, without
trying the other answer formats, so the suggester can skip that passage and go on.
"""

from __future__ import annotations

import functools
import http.client
import json
import re
import socket
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ....errors import Errors, InputError, ServiceError, ServiceUnavailableError
from .endpoint import api_key

#: The most bytes read of a server's reply (a chat answer may have 64 bytes a token of max_tokens, if more):
#: a longer one is not read on (a broken or hostile server must not fill memory or the cache).
MAX_REPLY_BYTES = 1 << 20

_FORMATS = ("json_schema", "json_object_schema", "json_object", "none")
#: What servers say when a prompt does not fit the context (llama-cpp-python, llama.cpp's server, vLLM,
#: OpenAI, LM Studio); checked only in an error answer's body.
_OVERFLOW = re.compile(
    r"context_length_exceeded|exceed_context_size|exceeds? (?:the )?(?:available |maximum )?context"
    r"|maximum context length|context (?:window|length|size) (?:of|is)|context the overflows"
    r"|prompt is too long|too many tokens|input (?:is )?too (?:long|large)", re.I)


class _Fault(Exception):
    """The server answered, but unusably (cut mid-answer, ...): ``detail`` says how, ``todo`` what to do (E654)."""

    def __init__(self, detail: str, todo: str) -> None:
        super().__init__(detail)
        self.detail, self.todo = detail, todo


_CRASHED = ("The server may have stopped or crashed: check its log, restart it if needed, and run `thematic code` "
            "again (answers already received are cached).")


_NOT_API = ("Check that base_url under [code.llm] points at the model server's OpenAI-compatible API (it usually "
            "ends in /v1), not at a web page, and that no login page or proxy answers in its place.")


def _not_json(raw: bytes, *, deep: bool = False) -> _Fault:
    """E654's detail for an answer that is not JSON (an HTML page, a body cut short) or is JSON nested too deeply
    to read (``deep``), quoting how it began."""
    head = " ".join(raw[:100].decode("utf-8", "replace").split())
    if deep:
        return _Fault(f"it answered with JSON nested too deeply to read (it began: '{head}')", _NOT_API)
    return _Fault(f"it answered with something that is not JSON (it began: '{head}')" if head
                  else "it answered with an empty body, not JSON", _NOT_API)


def _cut(exc: http.client.HTTPException) -> _Fault:
    """E654's detail for a connection cut mid-answer (or an answer that is not HTTP)."""
    if isinstance(exc, http.client.IncompleteRead):
        more = f", {exc.expected} more expected" if exc.expected is not None else ""
        return _Fault(f"the connection was cut mid-answer ({len(exc.partial)} bytes received{more})", _CRASHED)
    said = " ".join(str(exc).split())[:200]
    return _Fault(f"its answer broke off or was not HTTP ({type(exc).__name__}{': ' + said if said else ''})", _CRASHED)


class _TooLong(Exception):
    """The server's reply was longer than the cap (``limit`` bytes); it was not read on."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"its answer was longer than {limit:,} bytes")
        self.limit = limit


def _mb(n: int) -> str:
    return f"{n / (1 << 20):g} MB"


class _Watched:
    """A connection that tells its request's deadline about its socket once connected (TLS included)."""

    def __init__(self, *args: Any, deadline: "_Deadline", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._deadline.watch(self.sock)  # type: ignore[attr-defined]


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _WatchedOpen:
    """A urllib handler whose connections are watched by one request's deadline."""

    def __init__(self, deadline: "_Deadline") -> None:
        super().__init__()
        self._deadline = deadline

    def do_open(self, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> Any:
        cls = _HTTPSConnection if issubclass(http_class, http.client.HTTPSConnection) else _HTTPConnection
        return super().do_open(functools.partial(cls, deadline=self._deadline), req, **kwargs)  # type: ignore[misc]


class _HTTPHandler(_WatchedOpen, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_WatchedOpen, urllib.request.HTTPSHandler):
    pass


class _Deadline:
    """One request's time limit from its start. urllib's timeout bounds each socket read, not the request, so a
    server that trickles its answer could hold it for ever: when this passes, the request's sockets are shut down
    (the read under way ends) and the request fails with TimeoutError, like any other timeout (E652)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener whose connections this deadline watches. Requests go straight to base_url, never through a
        proxy from http_proxy/https_proxy: passages must not leave the machine by a host the study did not name
        (E651 checks base_url only)."""
        return urllib.request.build_opener(urllib.request.ProxyHandler({}), _HTTPHandler(self), _HTTPSHandler(self))

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        with self._lock:
            self._socks.append(sock)
            late = self.expired
        if late:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for sock in socks:
            _shut(sock)

    def error(self) -> TimeoutError:
        """The error of a request that ran past the deadline."""
        return TimeoutError(f"timed out: no complete answer within {self.seconds:g} s")


def _shut(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: also under a TLS socket
    except OSError:
        pass  # closed already


class ContextOverflow(Exception):
    """The model refused a prompt longer than its context; the text is what the server or llama.cpp said."""


def is_overflow(message: str) -> bool:
    """True when an error message says the prompt does not fit the model's context."""
    return bool(_OVERFLOW.search(message))


def key_advice(api_key_env: str | None) -> str:
    """The part of E654 about the API key: the variable named, or that no key is sent."""
    if api_key_env:
        return f"and that the API key in the environment variable {api_key_env} is right"
    return ("and whether the server needs an API key (none is sent: api_key_env is not set under [code.llm]; "
            "set it to the name of the environment variable that holds the key)")


def _error_text(exc: urllib.error.HTTPError) -> str:
    """The server's own message from an error answer (its JSON ``error.message``, else the text), on one line
    (read once: kept on ``exc``)."""
    said = getattr(exc, "thematic_text", None)
    if said is None:
        said = exc.thematic_text = _read_error_text(exc)  # type: ignore[attr-defined]
    return str(said)


def _read_error_text(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read(64 * 1024).decode("utf-8", "replace")
    except (OSError, ValueError, http.client.HTTPException):
        return ""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            message, code = err.get("message") or err.get("detail"), err.get("code")
            if message:
                raw = f"{code}: {message}" if isinstance(code, str) and code else str(message)
        elif isinstance(err, str) and err:
            raw = err
    text = " ".join(raw.split())
    return text if len(text) <= 300 else text[:297] + "..."


@dataclass(frozen=True, slots=True)
class Reply:
    """One chat completion: the message text and the token counts the server reported."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


def response_format(kind: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The ``response_format`` request field for one of ``_FORMATS``."""
    if kind == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "codes", "strict": True, "schema": schema}}
    if kind == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    if kind == "json_object":
        return {"type": "json_object"}
    return None


class HttpBackend:
    """Chat completions from a server at ``base_url`` (".../v1"); thread-safe, counts the requests it sends."""

    def __init__(self, base_url: str, model: str, *, timeout: float, api_key_env: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.api_key_env = api_key_env
        self.requests = 0
        self._format: str | None = None
        self._lock = threading.Lock()

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = api_key(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _request(self, url: str, body: dict[str, Any] | None, timeout: float, limit: int = MAX_REPLY_BYTES) -> Any:
        """The JSON reply to one request, which has ``timeout`` seconds in all (TimeoutError past them, however
        slowly the server sends); ``_TooLong`` when it is longer than ``limit`` bytes (not read on)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, headers=self._headers(), method="POST" if body else "GET")
        with self._lock:
            self.requests += 1
        with _Deadline(timeout) as deadline:
            try:
                raw = _fetch(deadline.opener(), req, timeout, limit)
            except (OSError, http.client.HTTPException, _Fault) as exc:
                if deadline.expired:
                    raise deadline.error() from exc
                raise
            if deadline.expired:  # the socket was shut down: what was read may be cut short
                raise deadline.error()
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            raise _not_json(raw) from exc
        except RecursionError as exc:
            raise _not_json(raw, deep=True) from exc

    def describe(self) -> dict[str, Any]:
        """The model id and digest (where the server reports one); E658 (before any request) when the key's
        variable is unset, E650/E654/E655 when the server is unusable."""
        api_key(self.api_key_env)
        try:
            listed = self._request(f"{self.base_url}/models", None, self.timeout)  # llama.cpp answers it between completions
        except urllib.error.HTTPError as exc:
            raise ServiceUnavailableError(self._http_error(exc, _error_text(exc))) from exc
        except _Fault as exc:
            raise ServiceUnavailableError(self._fault(exc)) from exc
        except _TooLong as exc:
            raise ServiceUnavailableError(self._fault(_Fault(
                f"{exc} ({_mb(exc.limit)}) when asked for its models",
                "Check that base_url under [code.llm] points at the model server's OpenAI-compatible API "
                "(it ends in /v1)."))) from exc
        except InputError:
            raise  # E658: the key's variable is unset
        except (OSError, ValueError) as exc:
            raise ServiceUnavailableError(Errors.E650.format(url=self.base_url, detail=_reason(exc))) from exc
        models = listed.get("data", []) if isinstance(listed, dict) else []
        ids = [str(m.get("id")) for m in models if isinstance(m, dict)] if isinstance(models, list) else []
        model = self.model or (ids[0] if len(ids) == 1 else "")
        if not model or (ids and model not in ids and f"{model}:latest" not in ids):
            raise ServiceUnavailableError(Errors.E655.format(url=self.base_url, model=self.model or "(none set)",
                                                             known=", ".join(ids) or "none"))
        self.model = model
        return {"model_id": model, "digest": self._ollama_digest(model)}

    def _ollama_digest(self, model: str) -> str | None:
        parts = urlsplit(self.base_url)
        root = urlunsplit((parts.scheme, parts.netloc, parts.path.rsplit("/v1", 1)[0], "", ""))
        try:
            tags = self._request(f"{root}/api/tags", None, min(self.timeout, 5.0))
        except (OSError, ValueError, _Fault, _TooLong):
            return None  # not Ollama: no digest reported
        for m in tags.get("models", []) if isinstance(tags, dict) else []:
            if isinstance(m, dict) and m.get("name") in (model, f"{model}:latest") and m.get("digest"):
                return str(m["digest"])
        return None

    def _fault(self, exc: _Fault) -> str:
        return Errors.E654.format(where=f"The language-model server at {self.base_url}", detail=exc.detail,
                                  todo=exc.todo)

    def _http_error(self, exc: urllib.error.HTTPError, said: str) -> str:
        """E654 for an HTTP error, with advice by status: busy (429), the server's own failure (5xx), else
        the model and the API key."""
        if exc.code == 429:
            todo = ("The server refuses requests as too many or too fast: lower max_concurrency under [code.llm] "
                    "(or raise the server's limit, e.g. OLLAMA_NUM_PARALLEL), or wait a while, then run `thematic "
                    "code` again (answers already received are cached).")
        elif 500 <= exc.code < 600:
            todo = ("The server itself failed (an error of its own, not of the request): check its log (the model "
                    "may have run out of memory" + ("; a 503 can also mean it is busy: lower max_concurrency"
                                                    if exc.code == 503 else "") +
                    "), restart it if needed, then run `thematic code` again (answers already received are cached).")
        else:
            todo = f"Check that the model '{self.model}' is pulled/loaded there {key_advice(self.api_key_env)}."
        return Errors.E654.format(where=f"The language-model server at {self.base_url}",
                                  detail=f"HTTP {exc.code} ({exc.reason})" + (f": {said.rstrip('.')}" if said else ""),
                                  todo=todo)

    def chat(self, messages: list[dict[str, str]], schema: dict[str, Any], *, temperature: float,
             seed: int | None, max_tokens: int) -> Reply:
        """One completion, in the strictest answer format the server accepts (E650/E652/E654 on failure;
        ``ContextOverflow`` when the server says the prompt does not fit its context)."""
        api_key(self.api_key_env)  # E658 on its own, not as a server that did not answer
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": temperature,
                                "max_tokens": max_tokens, "stream": False}
        if seed is not None:
            body["seed"] = seed
        limit = max(MAX_REPLY_BYTES, 64 * max_tokens)
        kinds = list(_FORMATS[_FORMATS.index(self._format):] if self._format else _FORMATS)
        for i, kind in enumerate(kinds):
            fmt = response_format(kind, schema)
            payload = {**body, **({"response_format": fmt} if fmt else {})}
            try:
                answer = self._request(f"{self.base_url}/chat/completions", payload, self.timeout, limit)
            except _TooLong:
                return Reply("")  # far longer than max_tokens allows: no usable answer (W652), never cached
            except urllib.error.HTTPError as exc:
                said = _error_text(exc)
                if exc.code == 413 or is_overflow(said):
                    raise ContextOverflow(said or f"HTTP {exc.code} ({exc.reason})") from exc
                if exc.code in (400, 404, 415, 422, 500, 501) and fmt is not None and i + 1 < len(kinds):
                    continue  # this server does not take that response_format: try the next one
                raise ServiceError(self._http_error(exc, said)) from exc
            except _Fault as exc:
                raise ServiceError(self._fault(exc)) from exc
            except (TimeoutError, socket.timeout) as exc:
                raise ServiceError(Errors.E652.format(url=self.base_url, timeout=self.timeout)) from exc
            except InputError:
                raise  # E658: the key's variable is unset
            except (OSError, ValueError) as exc:
                if isinstance(getattr(exc, "reason", None), (TimeoutError, socket.timeout)):
                    raise ServiceError(Errors.E652.format(url=self.base_url, timeout=self.timeout)) from exc
                raise ServiceError(Errors.E650.format(url=self.base_url, detail=_reason(exc))) from exc
            self._format = kind
            return _reply(answer)
        raise AssertionError("unreachable")  # pragma: no cover


def _fetch(opener: urllib.request.OpenerDirector, req: urllib.request.Request, timeout: float, limit: int) -> bytes:
    """The body of the reply to ``req`` (an error answer's text is read now, within the request's deadline)."""
    try:
        with opener.open(req, timeout=timeout) as resp:  # http(s) checked by endpoint; no proxy
            length = resp.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > limit:
                raise _TooLong(limit)
            raw = resp.read(limit + 1)
            if len(raw) > limit:
                raise _TooLong(limit)
            if length.strip().isdigit() and len(raw) < int(length):  # read(n) does not raise it itself
                raise http.client.IncompleteRead(raw, int(length) - len(raw))
            return bytes(raw)
    except urllib.error.HTTPError as exc:
        _error_text(exc)
        raise
    except http.client.HTTPException as exc:
        if isinstance(exc, ConnectionError):
            raise  # closed before any answer (RemoteDisconnected): E650, as for a refused connection
        raise _cut(exc) from exc


def _reply(answer: Any) -> Reply:
    try:
        text = answer["choices"][0]["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        text = ""
    usage = answer.get("usage") or {} if isinstance(answer, dict) else {}
    return Reply(str(text), int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason if reason is not None else exc) or type(exc).__name__
