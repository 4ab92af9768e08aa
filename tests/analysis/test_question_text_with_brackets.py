"""``--question`` with a question's exact text selects it even when the text holds square brackets.

The text was read as an fnmatch pattern, where ``[Optional]`` is a character class, so
``--question "[Optional] Anything else?"`` failed with E413 listing that very question. Now an exact match
(case aside) wins before any pattern, brackets in a pattern are literal (only ``*`` and ``?`` are
wildcards), and a document id given exactly is matched exactly too.
"""

from __future__ import annotations

import pandas as pd

from thematic.analysis.selection import filter_documents, filter_questions

ASKED = ["What helped you most?", "[Optional] Anything else?", "[Q4] What would you change?"]


def _segments() -> pd.DataFrame:
    return pd.DataFrame({"segment_id": ["s:0", "s:1", "s:2", "t:0"], "document_id": ["s", "s", "s", "s[1]"],
                         "question": [*ASKED, None]})


def test_a_question_given_by_its_exact_text_with_brackets_is_selected() -> None:
    picked = filter_questions(_segments(), "[Optional] Anything else?")
    assert list(picked["segment_id"]) == ["s:1"]
    assert list(filter_questions(_segments(), "[optional] anything ELSE?")["segment_id"]) == ["s:1"]


def test_brackets_in_a_question_pattern_are_literal() -> None:
    assert list(filter_questions(_segments(), "[Q4]*")["segment_id"]) == ["s:2"]
    assert list(filter_questions(_segments(), "What*")["segment_id"]) == ["s:0"]


def test_a_document_id_given_exactly_is_matched_exactly() -> None:
    assert list(filter_documents(_segments(), "s[1]")["segment_id"]) == ["t:0"]
