"""A speaker label followed by a full-width colon (``李明：``, as Chinese and Japanese transcripts write it) is a turn.

Only the ASCII colon, followed by a space, opened a turn, so a Chinese transcript written the usual way
(``访谈者：你好`` / ``李明：我找到了工作``) was one turn of nobody's, and the speaker's name stayed in the
stored text. The full-width colon ``：`` now ends a label too, with or without a space after it; the rule that
a label in a script without capitals must open two turns or more still holds, so a phrase once is text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.config import IngestSettings
from thematic.ingest import read_transcript


def test_full_width_colon_opens_turns_and_the_name_is_replaced(write: Callable[..., Path]) -> None:
    text = ("Interviewer：你最近怎么样？\n李明：找工作很难，中心让我一直等。\n"
            "Interviewer： 后来呢？\n李明： 后来我找到了一个导师。\n")
    doc = read_transcript(write("talk.txt", text), settings=IngestSettings(pseudonymise=True))
    assert [s.text for s in doc.segments] == ["你最近怎么样？", "找工作很难，中心让我一直等。", "后来呢？",
                                              "后来我找到了一个导师。"]
    assert [s.is_interviewer for s in doc.segments] == [True, False, True, False]
    assert doc.segments[1].speaker == doc.segments[3].speaker
    assert "李明" not in doc.text


def test_a_full_width_colon_said_once_is_text(write: Callable[..., Path]) -> None:
    text = "Interviewer: What did the mentor say?\nP01: She wrote it down for me.\n她说：不要放弃。\n"
    doc = read_transcript(write("note.txt", text), settings=IngestSettings(pseudonymise=True))
    assert [s.speaker for s in doc.segments] == ["Interviewer", "P01"]
    assert "她说：不要放弃。" in doc.segments[1].text
