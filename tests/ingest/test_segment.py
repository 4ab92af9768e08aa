"""Segmentation levels and the vectorised sentence rule against spaCy's own Sentencizer."""

from __future__ import annotations

import pytest

from thematic.errors import InputError
from thematic.ingest.parsed import Turn
from thematic.ingest.segment import paragraph_spans, sentence_spans, sentencizer, split_turns, trim

TEXT = "Ann: First line. Second sentence!\nStill Ann, new line.\nBo: \"Quoted?\" Yes. Dr. Smith came at 3 p.m. today."


def _turns() -> list[Turn]:
    a = TEXT.index("First")
    b = TEXT.index("\nBo:")
    return [Turn(a, b, "Ann"), Turn(TEXT.index('"Quoted'), len(TEXT), "Bo")]


def test_segment_turn_unit_keeps_turns() -> None:
    spans = split_turns(TEXT, _turns(), "turn")
    assert [TEXT[s:e] for s, e, _, _ in spans] == ["First line. Second sentence!\nStill Ann, new line.",
                                                   '"Quoted?" Yes. Dr. Smith came at 3 p.m. today.']


def test_segment_paragraphs_split_turns_at_line_breaks() -> None:
    spans = split_turns(TEXT, _turns(), "paragraph")
    assert [(TEXT[s:e], t, kind) for s, e, t, kind in spans] == [
        ("First line. Second sentence!", 0, "paragraph"), ("Still Ann, new line.", 0, "paragraph"),
        ('"Quoted?" Yes. Dr. Smith came at 3 p.m. today.', 1, "paragraph")]


def test_segment_paragraphs_use_blank_lines_when_the_document_has_them() -> None:
    text = "one\ncontinued\n\n  two  \n\n\nthree"
    assert [text[s:e] for s, e in paragraph_spans(text, 0, len(text), blank_lines=True)] == [
        "one\ncontinued", "two", "three"]
    turns = [Turn(0, len(text), "X")]
    assert [text[s:e] for s, e, _, _ in split_turns(text, turns, "paragraph")] == ["one\ncontinued", "two", "three"]


def test_segment_sentences_respect_abbreviations_and_quotes() -> None:
    spans = split_turns(TEXT, _turns(), "sentence")
    assert [TEXT[s:e] for s, e, _, _ in spans] == [
        "First line.", "Second sentence!", "Still Ann, new line.", '"Quoted?"', "Yes.",
        "Dr. Smith came at 3 p.m. today."]
    assert {kind for *_, kind in spans} == {"sentence"}


def test_segment_answers_are_never_split() -> None:
    text = "R1\nQ\nOne. Two.\n"
    turn = Turn(5, 14, "R1", kind="answer")
    assert split_turns(text, [turn], "sentence") == [(5, 14, 0, "answer")]


@pytest.mark.parametrize("paragraph", [
    'He said "Stop!" and left... Then?? (Yes.) ok. "Why?" she asked.',
    "No punctuation at all here",
    "...!?",
    "Mr. and Mrs. Okoro met at 10 a.m. on Jan. 5. It rained.",
    "«Oui.» Encore? Non!",
])
def test_segment_sentence_rule_matches_spacy_sentencizer(paragraph: str) -> None:
    text = f"Zed: {paragraph}\nYan: {paragraph} Extra words.\n"
    spans = [(5, 5 + len(paragraph)), (text.index("Yan: ") + 5, len(text) - 1)]
    ours = sentence_spans(text, spans)
    nlp = sentencizer()
    for (s, e), got in zip(spans, ours):
        expected = [trim(text, s + x.start_char, s + x.end_char) for x in nlp(text[s:e]).sents]
        assert got == [se for se in expected if se[0] < se[1]]


def test_segment_unknown_unit_is_e112() -> None:
    with pytest.raises(InputError, match=r"^\[E112\] Unknown unit 'word'"):
        split_turns(TEXT, _turns(), "word")
