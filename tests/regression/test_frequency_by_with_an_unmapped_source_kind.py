"""``frequencies(by=...)`` crashed (pyarrow ArrowInvalid: "(missing)" into a float column) when a study had two
source kinds and one had no mapped participant: participants.csv for survey respondents, plus an interview whose
only speaker is on no list. The group mapping is now filled as text; the survey's groups count as by hand, and
the interview's turn counts in All only."""

from __future__ import annotations

from pathlib import Path

from regression.tiny_study import CODEBOOK, study_with
from thematic.study import Study

SURVEY = ('id,sex,What helped you most?\nR1,f,"My mentor helped, he knew the funding rules."\n'
          "R2,m,A job at the garage.\n")


def test_by_group_with_a_kind_nobody_in_n_speaks(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {
        "participants.csv": "participant_id,sex\nR1,f\nR2,m\n",
        "chat.txt": "Interviewer: How was it?\nAlex: It was hard to find a job after the funding ran out.\n",
        "survey.csv": SURVEY,
    }, toml='\n[ingest.survey."survey.csv"]\ntext_columns = ["What helped you most?"]\n')
    study = Study(root)
    study.ingest()
    for sid in ("chat:1", "survey:0"):
        study.code(sid, "money", coder="HT")
    freq = study.frequencies(by="sex")
    money = freq[freq["code_id"] == "money"]
    survey = money[money["source"] == money.loc[money["group"] == "f", "source"].iloc[0]].set_index("group")
    assert survey.loc["All", "n_of_N"] == "1 of 2"
    assert survey.loc["f", "n_of_N"] == "1 of 1" and survey.loc["m", "n_of_N"] == "0 of 1"
    assert "(missing)" not in set(money["group"])
    assert int(money.loc[money["group"] == "All", "n_segments"].sum()) == 2
