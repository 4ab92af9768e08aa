"""A tool-metadata column whose every value is a date or time is never suggested as open text (no W028).

Google Forms' ``Timestamp`` (``2024/05/01 9:00:00 AM GMT+1``) is long and has four "words", so it passed for
free text and every Google Forms CSV got W028: "these columns hold answers that read like open text … if they
are questions, list them with text_columns". A column of dates and times is tool metadata by its content as
well as its title: W028 now leaves it out, and still names a metadata-titled column of real sentences.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

FORM = (
    "Timestamp,What helped you most while you were with the service?,Which site did you attend?\n"
    '2024/05/01 9:00:00 AM GMT+1,"Honestly, the staff always remembered my kids and asked after them.",North\n'
    '2024/05/01 10:12:44 AM GMT+1,"The mentor sorted my housing out quickly, within a week or so.",South\n'
    "2024/05/02 3:40:02 PM GMT+1,The weekly group where you could talk to people in the same situation.,North\n"
)


def _warnings(path: Path) -> tuple[str, ...]:
    ctx = FileContext(path, path.name, path.name, "form", {}, {})
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey()).document.warnings


def test_a_google_forms_timestamp_is_not_named_as_open_text(tmp_path: Path) -> None:
    path = tmp_path / "Feedback (Responses) - Form responses 1.csv"
    path.write_text(FORM, encoding="utf-8")
    assert not [w for w in _warnings(path) if w.startswith("[W028]")]


def test_a_metadata_title_over_sentences_is_still_named(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    text = FORM.replace("Timestamp,", "Status,")
    for stamp, said in (("2024/05/01 9:00:00 AM GMT+1", "It was all fine until the last week or so"),
                        ("2024/05/01 10:12:44 AM GMT+1", "Waiting for a call back from the housing team"),
                        ("2024/05/02 3:40:02 PM GMT+1", "Moved away in the spring but still in touch")):
        text = text.replace(stamp, said)
    path.write_text(text, encoding="utf-8")
    (note,) = [w for w in _warnings(path) if w.startswith("[W028]")]
    assert "'Status'" in note
