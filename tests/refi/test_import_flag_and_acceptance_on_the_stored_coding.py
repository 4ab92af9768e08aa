"""A REFI import flags, and accepts, the coding it stored, whatever id the store gave it.

What was wrong: the import applied a coding's review flag (a quote that does not match its offsets, a
``thematic-flag:`` line) and a suggestion's acceptance (``thematic-status: accepted``) by the id it had planned for
the coding. The store gives a coding another id when it spells its coder as the study does (``ht`` is the ``HT``
thematic.toml lists) or when that id is still held by a coding a codebook migration moved onto another code. The
flag or the acceptance was then dropped without a word: the report said "1 differ (flagged for review)" while nothing
was flagged and the coding was counted, and an accepted suggestion came back open in the review queue.

What is true now: the flag and the acceptance land on the coding that was stored.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from thematic.refi import import_refi
from thematic.refi.import_plan import MISMATCH_FLAG
from thematic.study import Study

USER = "11111111-1111-4111-8111-111111111111"
SOURCE = "33333333-3333-4333-8333-333333333333"
TEXT = ("Interviewer: Tell me about money.\nP01: My wage is low.\nInterviewer: And the course?\n"
        "P01: The grant paid for my course.\n")


def _code_guid(n: int) -> str:
    return f"22222222-2222-4222-8222-{n:012d}"


def _qdpx(path: Path, user: str, codes: list[str], selections: list[tuple[str, str, str | None, str]]) -> Path:
    """A REFI project whose one user is ``user``; each selection is (passage, code, note or None, its quote)."""
    code_xml = "".join(f'<Code guid="{_code_guid(i)}" name="{c}" isCodable="true"/>' for i, c in enumerate(codes))
    sel_xml, notes = [], []
    for n, (passage, code, note, quote) in enumerate(selections):
        start = TEXT.index(passage)
        ref = ""
        if note is not None:
            ref = f'<NoteRef targetGUID="66666666-6666-4666-8666-{n:012d}"/>'
            notes.append(f'<Note guid="66666666-6666-4666-8666-{n:012d}" name="Memo"><PlainTextContent>{note}'
                         "</PlainTextContent></Note>")
        sel_xml.append(
            f'<PlainTextSelection guid="44444444-4444-4444-8444-{n:012d}" name="{quote}" startPosition="{start}" '
            f'endPosition="{start + len(passage)}" creatingUser="{USER}">'
            f'<Coding guid="55555555-5555-4555-8555-{n:012d}" creatingUser="{USER}">'
            f'<CodeRef targetGUID="{_code_guid(codes.index(code))}"/>{ref}</Coding></PlainTextSelection>')
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Breakfast" origin="ATLAS.ti 8.4.0">
<Users><User guid="{USER}" name="{user}"/></Users>
<CodeBook><Codes>{code_xml}</Codes></CodeBook>
<Sources><TextSource guid="{SOURCE}" name="interview" plainTextPath="internal://{SOURCE}.txt">
{''.join(sel_xml)}</TextSource></Sources>
<Notes>{''.join(notes)}</Notes></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{SOURCE}.txt", TEXT.encode("utf-8"))
    return path


def _study_listing_ht(root: Path) -> Path:
    """A study whose thematic.toml lists the coder HT."""
    from thematic.study import init_study

    init_study(root, name="listed").close()
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT"]', 1), encoding="utf-8")
    return root


def test_a_coder_spelt_as_the_study_spells_them_keeps_the_flags(tmp_path: Path) -> None:
    root = _study_listing_ht(tmp_path / "study")
    path = _qdpx(tmp_path / "atlas.qdpx", "ht", ["money"], [
        ("My wage is low.", "money", None, "My wage is low."),
        ("The grant paid for my course.", "money", None, "Coffee keeps me going all day"),  # the quote differs
        ("Tell me about money.", "money", "thematic-flag: split: choose pay or funding (was money, 1.1.0)",
         "Tell me about money."),
    ])
    report = import_refi(path, root)
    assert report.verified == 2 and len(report.mismatches) == 1
    with Study(root) as study:
        codings = study.store.codings()
        assert set(codings["coder"]) == {"HT"}  # the study's spelling
        flags = {text: None if pd.isna(flag) else flag for text, flag in zip(codings["text"], codings["flag"])}
        assert flags["The grant paid for my course."] == MISMATCH_FLAG
        assert flags["Tell me about money."] == "split: choose pay or funding (was money, 1.1.0)"
        assert flags["My wage is low."] is None
        assert len(study.store.codings(flagged=True)) == 2


def _released(root: Path) -> None:
    """Release 0.2.0 of the study's codebook: money renamed pay, funding renamed money (an id used again); migrate."""
    with Study(root) as study:
        path = study.codebook_path
        assert path is not None
        path.write_text(
            "name: cb\nversion: 0.2.0\nchanges:\n"
            "- {version: 0.2.0, rename: {from: money, to: pay}}\n"
            "- {version: 0.2.0, rename: {from: funding, to: money}}\n"
            "themes:\n- {id: life, label: Life, definition: Life.}\n"
            "codes:\n- {id: pay, label: Pay, parent: life, definition: Wages and pay.}\n"
            "- {id: money, label: Money, parent: life, definition: Grants and funding.}\n", encoding="utf-8")
        study.migrate_codebook(actor="HT")


ACCEPTED = "thematic-status: accepted\nthematic-suggested-by: thematic.rules.v1"


def test_flag_and_acceptance_land_on_a_coding_whose_id_a_migrated_coding_holds(tmp_path: Path) -> None:
    root = tmp_path / "study"
    before = _qdpx(tmp_path / "before.qdpx", "HT", ["money", "funding"], [
        ("My wage is low.", "money", ACCEPTED, "My wage is low."),
        ("The grant paid for my course.", "money", None, "The grant paid for my course."),
    ])
    import_refi(before, root)
    _released(root)
    with Study(root) as study:
        held = study.store.codings()
        assert set(held["code_id"]) == {"pay"} and set(held["status"]) == {"accepted", "manual"}
    # Later HT codes the same passages 'money' (now: grants and funding) in a copy made after the release.
    after = _qdpx(tmp_path / "after.qdpx", "HT", ["pay", "money"], [
        ("My wage is low.", "money", ACCEPTED, "My wage is low."),
        ("The grant paid for my course.", "money", "thematic-flag: check the span", "The grant paid for my course."),
    ])
    report = import_refi(after, root)
    assert report.imported["codings"] == 2
    with Study(root) as study:
        now = study.store.codings(code="money")
        rows = {r.text: r for r in now.itertuples()}
        wage = rows["My wage is low."]
        assert (wage.coder, wage.status, wage.reviewer) == ("thematic.rules.v1", "accepted", "HT")
        assert rows["The grant paid for my course."].flag == "check the span"
        assert study.store.codings(status="suggested").empty  # nothing back in the review queue
