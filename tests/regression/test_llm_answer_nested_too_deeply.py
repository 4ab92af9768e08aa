"""One model answer nested deeper than Python's recursion limit (a small model repeating '[' up to max_tokens:
``{"codes": [[[[...``) raised RecursionError out of the answer's reader, which stopped the whole `thematic code`
run with a misleading E035 about a file called "input" and stored nothing, the rules' suggestions included; at
temperature 0 every re-run did the same. Now such an answer is a malformed answer like any other: asked once more,
then the passage is named in W652 and the run goes on. A whole HTTP reply nested that deeply is E654, saying so.
Real HTTP servers on 127.0.0.1 give the answers.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest
from typer.testing import CliRunner

from coding.assisted_support import codebook, segments_frame, write_codebook
from coding.llm_support import FakeChatServer, HandlerServer, chat_answer, codes_asked, passage_of, send_json
from thematic.cli.main import app
from thematic.coding.suggest import LLMSuggester
from thematic.errors import ServiceError, ServiceUnavailableError
from thematic.study import Study

E654_DEEP = r"^\[E654\] The language-model server at .* failed: it answered with JSON nested too deeply to read"
DEEP = "[" * 5000 + "]" * 5000  # valid JSON, but nested far deeper than the recursion limit
VETTING = "The vetting took five months before I could go on the wing."
FUNDING = "The funding stopped after a year and the group closed."


def _passage(body: dict) -> str:
    """The passage a chat request is about (a retry ends with the request to answer again, after it)."""
    return passage_of({"messages": [m for m in body["messages"] if m["role"] == "user" and '"""\n' in m["content"]]})


def _answer(body: dict) -> tuple[int, dict]:
    """A degenerate answer for the vetting passage, a good one (first four words as evidence) for the others."""
    passage = _passage(body)
    if "vetting" in passage:
        return chat_answer('{"codes": ' + DEEP + "}")
    quote = " ".join(passage.split()[:4])
    return chat_answer(json.dumps({"codes": [{"code": codes_asked(body)[0], "evidence": quote, "confidence": 0.7}]}))


def test_llm_over_nested_answer_is_w652_and_the_run_goes_on(study) -> None:  # noqa: ANN001
    server = FakeChatServer(_answer)
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{server.base_url}"\nmodel = "{FakeChatServer.MODEL}"\nfew_shot = 0\n'
                "max_concurrency = 1\n")
    (study.root / "data" / "raw" / "int-01.txt").write_text(
        f"Interviewer: How was it?\n\nDan: {VETTING}\n\nInterviewer: And then?\n\nDan: {FUNDING}\n", encoding="utf-8")
    root = study.root
    study.close()
    try:
        result = CliRunner().invoke(app, ["code", "--suggesters", "rules,llm", "--study", str(root)])
        assert result.exit_code == 0, result.output
        out = " ".join(result.output.split())
        assert "[E035]" not in out and "[W652] 1 passage(s)" in out, out
        deep = [c for c in server.chats if "vetting" in _passage(c)]
        assert len(deep) == 2  # the answer and its one retry
        with Study.open(root) as s:
            stored = s.store.codings(status="suggested")
            rules = stored[stored["coder"] == "thematic.rules.v1"]
            llm = stored[stored["coder"] == "thematic.llm.v1"]
            assert sorted(rules["code_id"]) == ["funding", "security_vetting"]
            assert list(llm["code_id"]) == [codes_asked(server.chats[0])[0]]
            assert "funding" in llm["text"].iloc[0]
    finally:
        server.close()


class DeepReplyServer(HandlerServer):
    """Lists one model; every other request gets HTTP 200 with a body that is JSON nested far too deeply."""

    def __init__(self, models_ok: bool) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if models_ok and self.path.endswith("/models"):
                    return send_json(self, 200, json.dumps({"data": [{"id": "fake-model"}]}).encode())
                send_json(self, 200, DEEP.encode())

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                send_json(self, 200, DEEP.encode())

        super().__init__(Handler)


def test_llm_over_nested_http_reply_is_e654(tmp_path) -> None:  # noqa: ANN001
    server = DeepReplyServer(models_ok=False)
    try:
        with pytest.raises(ServiceUnavailableError, match=E654_DEEP):
            LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0,
                         cache_dir=str(tmp_path)).fit(None, None, codebook())
    finally:
        server.close()
    server = DeepReplyServer(models_ok=True)
    try:
        s = LLMSuggester(base_url=server.base_url, model="fake-model", few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1).fit(None, None, codebook())
        with pytest.raises(ServiceError, match=E654_DEEP):
            s.suggest(segments_frame({"a": VETTING}))
    finally:
        server.close()
