"""Answers received before a failure (E652 timeout, E654, Ctrl-C) were lost instead of cached.

The suggester wrote a chunk's answers only after the whole chunk finished; when one request
failed, the answers that had arrived (or were still arriving) beside it were dropped, although
E652 says "answers already received are cached". Each answer is now cached as soon as it arrives,
and on a failure the requests already under way are let finish and their answers cached.
A fake OpenAI-compatible server (real HTTP on 127.0.0.1) answers one passage and refuses another.
"""

from __future__ import annotations

import json
import time

import pytest

from coding.assisted_support import codebook, segments_frame
from coding.llm_support import FakeChatServer, chat_answer, codes_asked, passage_of
from thematic.coding.suggest import LLMSuggester
from thematic.errors import ServiceError

GOOD = "The vetting took five months before I could go on the wing."
BAD = "The funding stopped after a year and the group closed."


def _answer(body: dict) -> tuple[int, dict]:
    passage = passage_of(body)
    if passage == BAD:
        time.sleep(0.3)  # the good passage's request is under way by now
        return 429, {"error": {"message": "too many requests"}}
    time.sleep(1.0)  # it arrives after the failure
    words = " ".join(passage.split()[:4])
    return chat_answer(json.dumps({"codes": [{"code": codes_asked(body)[0], "evidence": words, "confidence": 0.7}]}))


def test_llm_answer_received_beside_a_failed_request_is_cached(tmp_path) -> None:  # noqa: ANN001
    server = FakeChatServer(_answer)
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=2).fit(None, None, codebook())
        with pytest.raises(ServiceError, match=r"^\[E654\]"):
            s.suggest(segments_frame({"bad": BAD, "good": GOOD}))
        cached = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "llm").glob("*/*.json")]
        assert len(cached) == 1 and "The vetting took five" in cached[0]["replies"][-1]
        n = len(server.chats)
        server.answer = lambda body: (500, {"error": {"message": "must not be asked"}})
        again = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path),
                             max_concurrency=2).fit(None, None, codebook())
        out = again.suggest(segments_frame({"good": GOOD}))
        assert len(server.chats) == n and len(out) == 1  # the next run takes it from the cache
    finally:
        server.close()


def test_llm_answers_received_before_a_timeout_are_cached(tmp_path) -> None:  # noqa: ANN001
    slow = "The panel asked for three more forms and then went quiet."

    def answer(body: dict) -> tuple[int, dict]:
        if passage_of(body) == slow:
            time.sleep(4)  # past the 1 s timeout
        words = " ".join(passage_of(body).split()[:4])
        return chat_answer(json.dumps({"codes": [{"code": codes_asked(body)[0], "evidence": words,
                                                  "confidence": 0.7}]}))

    server = FakeChatServer(answer)
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path),
                         max_concurrency=1, timeout=1).fit(None, None, codebook())
        with pytest.raises(ServiceError, match=r"^\[E652\]"):
            s.suggest(segments_frame({"a": GOOD, "b": BAD, "c": slow}))
        assert len(list((tmp_path / "llm").glob("*/*.json"))) == 2  # a and b, answered before c timed out
    finally:
        server.close()
