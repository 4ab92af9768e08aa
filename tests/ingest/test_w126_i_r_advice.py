"""W126 told the researcher of an upgraded study to make the respondent the interviewer.

A study made by an earlier version keeps that version's interviewer labels in its thematic.toml, without
``i``. An ``I:``/``R:`` interview (I asks, R answers) then has no interviewer turn, so ``I`` is counted as a
participant, and the only warning, W126, advised adding ``"r"`` to interviewer_labels: following it made
``R``, the respondent, the interviewer, and ``I`` stayed a participant.

Now, where an interviewer-like label (``I``, ``Int``, ``IV``) speaks beside ``R``, W126 says that ``I`` looks
like the interviewer and to add ``"i"`` to interviewer_labels, and does not advise ``"r"``. A file whose
letters are ``R``/``P`` (R the researcher) still gets the ``"r"`` advice.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from thematic.study import Study, init_study

OLD_LABELS = 'interviewer_labels = ["interviewer", "researcher", "int", "q", "moderator", "facilitator"]'


def _upgraded_study(tmp_path: Path, files: dict[str, str]) -> Study:
    """A study whose thematic.toml lists the interviewer labels an earlier version wrote (no ``i``)."""
    study = init_study(tmp_path / "study", name="old-labels")
    lines = study.paths.config.read_text(encoding="utf-8").splitlines()
    study.paths.config.write_text(
        "\n".join(OLD_LABELS if ln.startswith("interviewer_labels") else ln for ln in lines) + "\n",
        encoding="utf-8")
    for name, text in files.items():
        (study.paths.raw / name).write_text(text, encoding="utf-8")
    return study


def _w126(study: Study) -> dict[str, list[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    return {Path(r.path).name: [w for w in r.warnings if w.startswith("[W126]")] for r in report.rows}


def test_i_r_interview_in_an_upgraded_study_is_told_to_add_i_not_r(tmp_path: Path) -> None:
    study = _upgraded_study(tmp_path, {
        "interview-a.txt": "I: Can you tell me about your mentor?\nR: She had done time herself.\n"
                           "I: And work?\nR: Nobody would employ me.\n",
        "interview-b.txt": "Int: How did it go?\nR: Badly at first.\n",
    })
    found = _w126(study)
    [a] = found["interview-a.txt"]
    assert "interview-a.txt" in a and "'I'" in a and '"i"' in a and "interviewer_labels" in a
    assert '"r"' not in a and "R = \"interviewer\"" not in a
    assert found["interview-b.txt"] == []  # "int" is in the old list: Int is the interviewer already
    study.close()


def test_following_the_advice_makes_i_the_interviewer(tmp_path: Path) -> None:
    study = _upgraded_study(tmp_path, {"interview-a.txt": "I: And work?\nR: Nobody would employ me.\n"})
    [_] = _w126(study)["interview-a.txt"]
    text = study.paths.config.read_text(encoding="utf-8")
    study.paths.config.write_text(text.replace('interviewer_labels = [', 'interviewer_labels = ["i", '),
                                  encoding="utf-8")
    assert _w126(study)["interview-a.txt"] == []
    segs = study.store.document("interview-a").segments
    assert [(s.speaker, s.is_interviewer, s.participant_id is None) for s in segs] == [
        ("I", True, True), ("R", False, False)]
    study.close()


def test_r_and_p_still_get_the_r_advice(tmp_path: Path) -> None:
    study = _upgraded_study(tmp_path, {"r-and-p.txt": "R: How is your family?\nP: My family helps a lot.\n"})
    [w] = _w126(study)["r-and-p.txt"]
    assert "'R'" in w and '"r"' in w and '"i"' not in w
    study.close()
