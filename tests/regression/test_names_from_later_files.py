"""A speaker's real name is replaced in every file, whichever file was read first.

Found by a new user: "My mentor Zoë helped me" stayed in alpha.txt, because Zoë speaks only in
beta.txt, which ingest read later; her real name then reached the quote appendix.
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .unlike_example import write_study

ALPHA = "Interviewer: Who helped you?\nKofi: My mentor Zoë helped me, every week.\n"
BETA = "Interviewer: What do you do?\nZoë: I mentor people like Kofi.\n"


def _texts(study: Study) -> str:
    return "\n".join(study.segments()["text"].astype(str))


def test_a_name_spoken_in_a_later_file_is_replaced_in_an_earlier_one(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"alpha.txt": ALPHA, "beta.txt": BETA})
    study = Study(root)
    study.ingest()
    texts = _texts(study)
    assert "Zoë" not in texts and "Kofi" not in texts
    assert "My mentor Speaker 2 helped me" in texts


def test_adding_a_file_re_reads_the_stored_files_that_mention_its_speakers(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {"alpha.txt": ALPHA})
    study = Study(root)
    study.ingest()
    assert "Zoë" in _texts(study)  # nobody called Zoë speaks yet: nothing to replace
    seg = study.segments().query("not is_interviewer").iloc[0]["segment_id"]
    study.code(seg, "qualitative_methods", coder="AB")
    (root / "data" / "raw" / "beta.txt").write_text(BETA, encoding="utf-8")
    report = Study(root).ingest()
    again = Study(root)
    assert "Zoë" not in _texts(again)
    alpha = next(r for r in report.rows if r.path.endswith("alpha.txt"))
    assert alpha.status == "changed" and any("W116" in w for w in alpha.warnings)
    assert not any("Zoë" in w for r in report.rows for w in r.warnings)
    coded = again.codings()
    assert len(coded) == 1 and "Zoë" not in coded.iloc[0]["text"] and "Speaker 2" in coded.iloc[0]["text"]
