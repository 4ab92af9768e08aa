"""``study.codings(coder=X)`` lists the suggestions X accepted as X's codings.

It filtered on the stored ``coder`` column alone, so a reviewer's accepted suggestions (stored with the suggester
as ``coder``) were missing: ``codings(coder="RV")`` gave no row while ``frequencies(coder="RV")``,
``export_codings(coder="RV")`` and E409's list of coders all counted them as RV's. Now an accepted suggestion
is the coding of the person who accepted it here too, as export codings shows it: ``coder`` is the reviewer and
``suggested_by`` (beside ``suggester``) names the suggester. The suggester's own listing still holds every
suggestion it made, and ``counted=True`` lists what the tables count for a coder.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coding.manual_support import fill_study, suggest
from thematic.errors import InputError

RULES = "thematic.rules.v1"


@pytest.fixture
def reviewed(study):  # noqa: ANN001 - a thematic.Study
    """RV coded one turn by hand, accepted one suggestion, recoded one and rejected one."""
    fill_study(study)
    accepted = suggest(study.store, "int-01:3", "funding", 0.95)
    recoded = suggest(study.store, "int-02:1", "security_vetting", 0.5)
    rejected = suggest(study.store, "int-02:3", "generativity", 0.7)
    study.code("int-01:1", "generativity", coder="RV")
    study.decide(accepted, "accept", reviewer="RV")
    new = study.decide(recoded, "recode", reviewer="RV", new_code="funding").new_coding_id
    study.decide(rejected, "reject", reviewer="RV")
    return study, {"accepted": accepted, "recoded": recoded, "rejected": rejected, "new": new}


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("coding_id")


def test_a_reviewers_codings_include_the_suggestions_they_accepted(reviewed) -> None:  # noqa: ANN001
    study, ids = reviewed
    mine = _by_id(study.codings(coder="RV"))
    assert len(mine) == 3 and ids["accepted"] in mine.index and ids["new"] in mine.index
    assert ids["rejected"] not in mine.index and ids["recoded"] not in mine.index
    row = mine.loc[ids["accepted"]]
    assert (row["coder"], row["status"], row["reviewer"]) == ("RV", "accepted", "RV")
    assert (row["suggested_by"], row["suggester"], row["source"]) == (RULES, RULES, "suggester")
    assert set(mine["coder"]) == {"RV"}
    assert mine.loc[ids["new"], "status"] == "manual" and pd.isna(mine.loc[ids["new"], "suggested_by"])
    assert set(study.codings(coder="rv")["coding_id"]) == set(mine.index)  # case aside, as the tables match
    assert list(study.codings(coder="RV", status="accepted")["coding_id"]) == [ids["accepted"]]
    assert set(study.codings(coder="RV", segment="int-01:3")["coding_id"]) == {ids["accepted"]}


def test_counted_codings_of_a_reviewer_are_what_the_tables_and_export_count(reviewed, tmp_path) -> None:  # noqa: ANN001
    study, ids = reviewed
    counted = study.codings(coder="RV", counted=True)
    assert set(counted["coding_id"]) == {ids["accepted"], ids["new"], *study.codings(coder="RV", status="manual")
                                         .query("code_id == 'generativity'")["coding_id"]}
    exported = pd.read_csv(study.export_codings(tmp_path / "rv.csv", coder="RV"), dtype=str)
    assert set(exported["coding_id"]) == set(counted["coding_id"])
    assert (exported.set_index("coding_id").loc[ids["accepted"], ["coder", "suggested_by"]].tolist()
            == ["RV", RULES])
    freq = study.frequencies(coder="RV").set_index("code_id")
    assert freq.loc["funding", "n_segments"] == 2
    assert counted["code_id"].value_counts()["funding"] == 2


def test_the_whole_table_shows_each_coding_once_with_its_owner_and_suggester(reviewed) -> None:  # noqa: ANN001
    study, ids = reviewed
    everything = study.codings()
    assert everything["coding_id"].is_unique and len(everything) == 5
    table = _by_id(everything)
    assert table.loc[ids["accepted"], ["coder", "suggested_by", "suggester"]].tolist() == ["RV", RULES, RULES]
    assert table.loc[ids["rejected"], "coder"] == RULES and pd.isna(table.loc[ids["rejected"], "suggested_by"])
    assert table.loc[ids["rejected"], "reviewer"] == "RV"
    assert str(everything["suggested_by"].dtype) == "string"


def test_the_suggesters_listing_still_holds_every_suggestion_it_made(reviewed) -> None:  # noqa: ANN001
    study, ids = reviewed
    made = _by_id(study.codings(coder=RULES))
    assert set(made.index) == {ids["accepted"], ids["recoded"], ids["rejected"]}
    assert set(made["coder"]) == {RULES}
    assert list(made.index) == list(study.store.codings(coder=RULES)["coding_id"])  # in the store's order
    assert list(study.codings(coder=RULES, status="accepted")["coding_id"]) == [ids["accepted"]]
    assert study.codings(coder=RULES, counted=True).empty  # the tables count the accepted one as RV's


def test_a_near_miss_of_the_reviewers_name_is_still_e409(reviewed) -> None:  # noqa: ANN001
    study, _ = reviewed
    with pytest.raises(InputError, match=r"E409.*'RV'"):
        study.codings(coder="RX")
    assert study.codings(coder="Nobody Yet").empty
