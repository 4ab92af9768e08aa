"""D4: a model's "evidence" must be a real quote of the passage, not a letter or a piece of a word.

A weak or unconstrained model answered ``{"code": ..., "evidence": "a"}`` for every passage and the
check (a plain substring test) stored it as a suggestion with memo "a". Now a quote must sit on word
boundaries and be two words or 12 characters long, or a whole sentence/clause, or the whole passage;
anything else is dropped and counted under W651. A fake OpenAI-compatible server (real HTTP) gives
the answers a real model cannot be made to give.
"""

from __future__ import annotations

import json

import pytest

from coding.assisted_support import codebook, interview, segments_frame, write_codebook
from coding.llm_support import FakeChatServer, chat_answer
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester
from thematic.coding.suggest.llm.answer import evidence_in, parse_answer
from thematic.coding.suggest.llm.prompt import quotable
from thematic.study import Study

YEAR = "It was a hard year. The vetting took five months before I could go on the wing."


@pytest.mark.parametrize("quote", ["a", "i", "ear", "year", "hard ye", "s one of us", "t was a", "wing."])
def test_llm_evidence_a_letter_or_part_of_a_word_is_not_a_quote(quote: str) -> None:
    text = YEAR + " He's one of us."
    assert not evidence_in(quote, text)


@pytest.mark.parametrize("quote", ["hard year", "It was", "the vetting took five months", "“It was a hard year.”",
                                   "before I could go on the wing", "He's one"])
def test_llm_evidence_whole_words_of_two_or_more_are_a_quote(quote: str) -> None:
    assert evidence_in(quote, YEAR + " He's one of us.")


def test_llm_evidence_one_word_counts_when_long_a_whole_clause_or_the_whole_passage() -> None:
    assert evidence_in("imprisonment", "The imprisonment was long and hard.")  # 12 characters
    assert not evidence_in("prison", "The prison was long and hard.")
    assert evidence_in("Yes", 'Really?! "Yes." So you wait.') and evidence_in("Really?!", 'Really?! "Yes." So you wait.')
    assert evidence_in("yes", "'Yes,' she said.")  # single quotes around a word are quotation marks, not a word
    assert evidence_in("Okay", "Okay.") and evidence_in("I", "I.")  # the whole passage, however short
    cjk = "我在监狱里待了很多年，现在我是同伴导师。"
    assert evidence_in("现在我是同伴导师", cjk) and evidence_in("监狱里待了", cjk)  # no spaces between words there
    assert not evidence_in("监", cjk)


def test_llm_quotable_pieces_offered_to_the_server_are_all_quotes() -> None:
    text = 'He said "a" and then left. Really?! "Yes." ' + "no punctuation at all " * 30
    pieces = quotable(text)
    assert pieces and all(evidence_in(p, text) for p in pieces) and "a" not in pieces
    assert "Yes" in pieces and pieces[-1].count(" ") >= 1  # a lone short last word is given its neighbour


def test_llm_one_letter_evidence_is_dropped_and_counted_not_stored(study) -> None:  # noqa: ANN001
    def answer(body: dict) -> tuple[int, dict]:
        return chat_answer(json.dumps({"codes": [{"code": "security_vetting", "evidence": "a", "confidence": 0.9},
                                                 {"code": "funding", "evidence": "i", "confidence": 0.8},
                                                 {"code": "staff_distance", "evidence": "ear", "confidence": 0.8}]}))

    server = FakeChatServer(answer)
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{server.base_url}"\nmodel = "{server.MODEL}"\nfew_shot = 0\n'
                "max_concurrency = 1\n")
    root = study.root
    study.close()
    s = Study.open(root)
    try:
        s.store.save_document(interview("int-01", ["It was a hard year and I was waiting.",
                                                   "I think the funding stopped after a year."]))
        run = code(s, suggesters=["llm"], ingest=False).runs[0]
        assert run.status == "ran" and len(server.chats) == 2
        assert s.store.codings().empty
        assert any(n.startswith("[W651] 6 language-model suggestion(s) dropped: 6 with evidence") for n in run.notes)
    finally:
        s.close()
        server.close()


def test_llm_parse_answer_keeps_a_real_quote_beside_a_fabricated_one() -> None:
    text = json.dumps({"codes": [{"code": "funding", "evidence": "a", "confidence": 0.9},
                                 {"code": "security_vetting", "evidence": "took five months", "confidence": 0.6}]})
    got = parse_answer(text, YEAR, {"funding", "security_vetting"})
    assert got.ok and got.codes == {"security_vetting": (0.6, "took five months")} and got.bad_evidence == 1


def test_llm_suggester_over_http_drops_part_of_a_word(tmp_path) -> None:  # noqa: ANN001
    server = FakeChatServer(lambda body: chat_answer(json.dumps(
        {"codes": [{"code": "funding", "evidence": "ear", "confidence": 0.9}]})))
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path))
        out = s.fit(None, None, codebook()).suggest(segments_frame({"a": "It was a hard year."}))
        assert out.empty and s.stats_["bad_evidence"] == 1
    finally:
        server.close()
