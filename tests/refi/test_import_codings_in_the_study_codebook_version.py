"""A REFI import into a study that keeps its own codebook reads the file's codes in that codebook's version.

What was wrong: codings imported into such a study were stamped with the version of the codebook the importer made
of the file (always 0.1.0), not a version of the study's codebook. `thematic status` then asked to migrate them, and
`thematic codebook migrate` applied the study's own release to them: after a release that gave an id to another code
(``money`` renamed ``pay``, ``funding`` renamed ``money``), a colleague's codings of today's ``money`` became ``pay``
without a word. And an id of an older file that the study's changes log had renamed, merged or split since was
reported as a new code to copy back into the codebook.

What is true now: a file whose codes are the study's current ones is stamped with the study's current version, so
migrate leaves its codings alone. A file made before a release (it uses an id that release took away) is read through
the study's released changes log as migrate would read the study's own codings: a renamed or merged id is imported as
its code now (``[W545]``), a split or retired one flagged for review (``[W546]``), and neither is offered as a new code.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from thematic.refi import import_refi
from thematic.study import Study

USER = "11111111-1111-4111-8111-111111111111"
SOURCE = "33333333-3333-4333-8333-333333333333"
TEXT = ("Interviewer: Tell me about money.\nP01: My wage is low.\nInterviewer: And the course?\n"
        "P01: The grant paid for my course.\nInterviewer: Your family?\nP01: My aunt helps out.\n")
WAGE, GRANT, AUNT = "My wage is low.", "The grant paid for my course.", "My aunt helps out."
ACCEPTED = "thematic-status: accepted\nthematic-suggested-by: thematic.rules.v1"


def _qdpx(path: Path, user: str, codes: list[str], selections: list[tuple[str, str, str | None]]) -> Path:
    """A REFI project whose one user is ``user``; each selection is (passage, code, coding note or None)."""
    guid = "22222222-2222-4222-8222-{:012d}".format
    code_xml = "".join(f'<Code guid="{guid(i)}" name="{c}" isCodable="true"/>' for i, c in enumerate(codes))
    sel_xml, notes = [], []
    for n, (passage, code, note) in enumerate(selections):
        start = TEXT.index(passage)
        ref = ""
        if note is not None:
            ref = f'<NoteRef targetGUID="66666666-6666-4666-8666-{n:012d}"/>'
            notes.append(f'<Note guid="66666666-6666-4666-8666-{n:012d}" name="Memo"><PlainTextContent>{note}'
                         "</PlainTextContent></Note>")
        sel_xml.append(
            f'<PlainTextSelection guid="44444444-4444-4444-8444-{n:012d}" name="{passage}" startPosition="{start}" '
            f'endPosition="{start + len(passage)}" creatingUser="{USER}">'
            f'<Coding guid="55555555-5555-4555-8555-{n:012d}" creatingUser="{USER}">'
            f'<CodeRef targetGUID="{guid(codes.index(code))}"/>{ref}</Coding></PlainTextSelection>')
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Money talk" origin="QualCoder 3.5">
<Users><User guid="{USER}" name="{user}"/></Users>
<CodeBook><Codes>{code_xml}</Codes></CodeBook>
<Sources><TextSource guid="{SOURCE}" name="interview" plainTextPath="internal://{SOURCE}.txt">
{''.join(sel_xml)}</TextSource></Sources>
<Notes>{''.join(notes)}</Notes></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{SOURCE}.txt", TEXT.encode("utf-8"))
    return path


OLD_CODES = ["money", "funding", "family"]


def _released_study(tmp_path: Path) -> tuple[Path, Path]:
    """A study made from an old file (HT's codings), then released as 0.2.0: ``money`` renamed ``pay``,
    ``funding`` renamed ``money`` (the id given to another code), ``family`` split; migrated. Returns the study
    and the old file."""
    root = tmp_path / "study"
    old = _qdpx(tmp_path / "old.qdpx", "HT", OLD_CODES, [(WAGE, "money", ACCEPTED), (GRANT, "funding", None)])
    import_refi(old, root)
    with Study(root) as study:
        path = study.codebook_path
        assert path is not None
        path.write_text(
            "name: cb\nversion: 0.2.0\nchanges:\n"
            "- {version: 0.2.0, rename: {from: money, to: pay}}\n"
            "- {version: 0.2.0, rename: {from: funding, to: money}}\n"
            "- {version: 0.2.0, split: {from: family, into: [parents, relatives]}}\n"
            "themes:\n- {id: life, label: Life, definition: Life.}\n"
            "codes:\n- {id: pay, label: Pay, parent: life, definition: Wages and pay.}\n"
            "- {id: money, label: Money, parent: life, definition: Grants and funding.}\n"
            "- {id: parents, label: Parents, parent: life, definition: Parents.}\n"
            "- {id: relatives, label: Relatives, parent: life, definition: Other relatives.}\n", encoding="utf-8")
        study.migrate_codebook(actor="HT")
        held = study.store.codings()
        assert dict(zip(held["text"], held["code_id"])) == {WAGE: "pay", GRANT: "money"}
    return root, old


def _codings(root: Path, coder: str) -> dict[str, tuple[str, str, str | None]]:
    with Study(root) as study:
        rows = study.store.codings(coder=coder)
        return {r.text: (r.code_id, r.codebook_version, None if pd.isna(r.flag) else r.flag)
                for r in rows.itertuples()}


def _migrate_changes_nothing(root: Path) -> None:
    with Study(root) as study:
        before = study.store.codings()
        study.migrate_codebook(actor="HT")
        after = study.store.codings()
        assert set(after["codebook_version"]) == {"0.2.0"}
        pd.testing.assert_frame_equal(before.drop(columns="updated_at"), after.drop(columns="updated_at"))


def test_a_file_with_the_study_current_codes_gets_its_current_version(tmp_path: Path) -> None:
    root, _ = _released_study(tmp_path)
    new = _qdpx(tmp_path / "copy.qdpx", "SO", ["pay", "money", "parents"], [(GRANT, "money", None),
                                                                            (AUNT, "parents", None)])
    report = import_refi(new, root)
    assert report.imported["codings"] == 2
    assert _codings(root, "SO") == {GRANT: ("money", "0.2.0", None), AUNT: ("parents", "0.2.0", None)}
    assert not any("W545" in n or "W546" in n or "not in the study's codebook" in n for n in report.notes)
    _migrate_changes_nothing(root)
    assert _codings(root, "SO")[GRANT][0] == "money"  # still today's money (grants), never moved to pay


def test_a_file_made_before_the_release_is_read_through_the_changes_log(tmp_path: Path) -> None:
    root, _ = _released_study(tmp_path)
    older = _qdpx(tmp_path / "older.qdpx", "SO", OLD_CODES, [(WAGE, "money", None), (GRANT, "funding", None),
                                                            (AUNT, "family", None)])
    report = import_refi(older, root)
    assert report.imported["codings"] == 3
    assert _codings(root, "SO") == {
        WAGE: ("pay", "0.2.0", None), GRANT: ("money", "0.2.0", None),
        AUNT: ("family", "0.2.0", "split: choose parents or relatives (was family, 0.2.0)")}
    notes = "\n".join(report.notes)
    assert "[W545] older.qdpx: the file's code 'money' is 'pay'" in notes
    assert "[W545] older.qdpx: the file's code 'funding' is 'money'" in notes
    assert "[W546] older.qdpx: the file's code 'family'" in notes
    assert "not in the study's codebook" not in notes  # nothing offered to copy back into the codebook
    assert not (root / "codebooks" / "imported").exists()
    _migrate_changes_nothing(root)


def test_the_study_own_export_from_before_the_release_adds_nothing(tmp_path: Path) -> None:
    root, old = _released_study(tmp_path)
    report = import_refi(old, root)
    assert report.imported["codings"] == 0 and report.imported["codings already present"] == 2
    with Study(root) as study:
        assert study.store.codings(status="suggested").empty  # HT's accepted suggestion is not back in the queue
        assert len(study.store.codings()) == 2
