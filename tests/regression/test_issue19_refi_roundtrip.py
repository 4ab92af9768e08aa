"""REFI-QDA round trip of a study whose participant turns are labelled with ids like ``815U3321N28865LI:``
(issue 19: on import they merged into the interviewer's turns and every table read "0 of N")."""

from __future__ import annotations

import pandas as pd

from thematic.refi import import_refi
from thematic.study import Study

from .unlike_example import code_two_coders, write_study

IDS = {"ana": "815U3321N28865LI", "david": "366C3337C69875TC"}
FACESHEET = "participant_id,transcript,career_stage\n" + "".join(
    f"{pid},{name},{stage}\n" for (name, pid), stage in zip(IDS.items(), ("PGR student", "Established")))


def _freq(study: Study) -> pd.DataFrame:
    f = study.frequencies()
    return f[["code_id", "n_segments", "n_documents", "n_participants", "n_of_N"]].sort_values("code_id").reset_index(drop=True)


def _quotes(study: Study) -> list[tuple[str, str, str]]:
    q = study.quotes()
    return sorted(zip(q["code_id"], q["participant_id"].astype(str), q["text"]))


def test_export_then_import_gives_the_same_tables_and_quotes(tmp_path):
    root = write_study(tmp_path / "study")
    (root / "data" / "raw" / "participants.csv").write_text(FACESHEET, encoding="utf-8")
    code_two_coders(root)
    with Study(root) as study:
        labels = set(study.store.segments()["speaker"].dropna())
        assert set(IDS.values()) <= labels  # pseudonymised to the participant ids, as with a facesheet
        before_f, before_q = _freq(study), _quotes(study)
        assert (before_f["n_participants"] > 0).all()
        study.export_refi(tmp_path / "study.qdpx")
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        segs = copy.store.segments()
        theirs = segs.loc[~segs["is_interviewer"].fillna(False).astype(bool)]
        assert set(theirs["participant_id"].dropna()) == set(IDS.values())
        pd.testing.assert_frame_equal(_freq(copy), before_f)
        assert _quotes(copy) == before_q
