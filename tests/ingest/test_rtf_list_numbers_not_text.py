"""An RTF transcript whose turns are a numbered or bulleted list (Word and LibreOffice write each item's number
or bullet as a ``{\\listtext 1.\\tab}`` group) was stored with ``1.\\t`` or the bullet in front of every turn,
so no speaker label was found and the whole file became one interviewer turn. The list number is formatting,
as in the Word and OpenDocument readers: it is left out and each item's label is read."""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)
RTF = r"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}{\f1\fcharset2 Symbol;}}
{\*\listtable{\list\listtemplateid1{\listlevel\levelnfc0{\leveltext\'02\'00.;}{\levelnumbers\'01;}}\listid1}}
{\*\listoverridetable{\listoverride\listid1\ls1}}
\pard\plain Interviewer: Where did you grow up?\par
\pard\plain\ls1{\listtext\pard\plain 1.\tab}Tomasz: In the Midlands, near the canal.\par
\pard\plain\ls1{\listtext\pard\plain 2.\tab}Interviewer: And school?\par
\pard\plain\ls1{\listtext\pard\plain 3.\tab}Tomasz: It was fine, mostly.\par
\pard\plain\ls1{\listtext\pard\plain {\f1\u61623\'b7}\tab}Interviewer: Anything else?\par
\pard\plain\ls1{\listtext\pard\plain {\f1\u61623\'b7}\tab}Tomasz: No, that is all.\par
}"""


def test_numbered_and_bulleted_turns_keep_their_speakers(tmp_path: Path) -> None:
    path = tmp_path / "listed.rtf"
    path.write_text(RTF, encoding="latin-1")
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Where did you grow up?"), ("Tomasz", "In the Midlands, near the canal."),
        ("Interviewer", "And school?"), ("Tomasz", "It was fine, mostly."),
        ("Interviewer", "Anything else?"), ("Tomasz", "No, that is all.")]
    assert "1." not in doc.text and "\uf0b7" not in doc.text
