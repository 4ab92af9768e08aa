"""A real name with an invisible character inside it (a soft hyphen from Word's optional hyphenation, or a
zero-width space or joiner from text copied out of a web page or a chat) was not replaced: ``Mar\\u00adgaret``
is ``Margaret`` to every reader, but not to the name matcher, so it reached the stored text and every export.
Such characters are now ignored inside a name; text without them matches as before."""

from __future__ import annotations

import pytest

from thematic.ingest.pseudonymise import replace_names
from thematic.study import Study

STRICT = ("speaker",)
TABLE = {"Margaret Okafor": ("P01", "speaker"), "Okafor": ("P01", "speaker"), "St Mary's Trust": ("[Term 1]", "term")}


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_an_invisible_character_inside_a_name_does_not_hide_it(hidden: str) -> None:
    text = f"Mar{hidden}garet Oka{hidden}for came, and Oka{hidden}for left St Ma{hidden}ry's Trust."
    out = replace_names(text, TABLE, case_sensitive_kinds=STRICT)
    assert out.text == "P01 came, and P01 left [Term 1].", out.text
    assert [text[s:e].replace(hidden, "") for s, e, _, _ in out.spans] == ["Margaret Okafor", "Okafor",
                                                                           "St Mary's Trust"]


def test_invisible_characters_around_a_name_stay_and_words_are_not_joined() -> None:
    out = replace_names("\u00adOkafor\u00ad and Okafor\u200bian", TABLE, case_sensitive_kinds=STRICT)
    assert out.text == "\u00adP01\u00ad and P01\u200bian"


def test_ingest_replaces_a_soft_hyphenated_name(study: Study) -> None:
    (study.paths.raw / "participants.csv").write_text("participant_id,name,role\nP02,Margaret Okafor,staff\n",
                                                       encoding="utf-8")
    (study.paths.raw / "int-02.txt").write_text(
        "Interviewer: Hello.\nMargaret Okafor: I am Mar\u00adgaret Oka\u00adfor, and my sister calls me Margaret.\n",
        encoding="utf-8")
    study.ingest()
    text = study.store.document_text("int-02")
    assert "garet" not in text and "Oka" not in text, text
