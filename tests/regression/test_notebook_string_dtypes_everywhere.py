"""Every facade frame keeps the one string dtype, and empty frames keep their numeric columns numeric.

docs/notebooks.md ("One string dtype"): text and id columns are pandas ``string`` with ``pd.NA``. Under
pandas 3, ``review_queue()["flag"]`` came back ``null[pyarrow]`` when nothing was flagged (so ``.str``
failed), ``code_usage()`` and ``segments(attributes=True)`` returned pandas' ``str`` with NaN, and
empty frames got their numeric columns (start, confidence, n, n_chars...) typed ``string`` and their
text columns (quotes' text) ``float64``. Fictional data written fresh (tests/regression/unlike_example.py).
"""

from __future__ import annotations

import pandas as pd
import pytest

from regression.unlike_example import code_two_coders, write_study
from thematic.study import Study


def _is_string(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) and s.dtype.na_value is pd.NA


@pytest.fixture
def coded(tmp_path):
    """HT and SO coded two interviews; a third, uncoded one gets rule suggestions; David has no Age."""
    root = write_study(tmp_path / "s")
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,name,Age,Site\nP01,Ana,34,North\nP02,David,,North\nP03,Carla,51,South\n", encoding="utf-8")
    code_two_coders(root)
    (root / "data" / "raw" / "carla.txt").write_text(
        "Interviewer: Hi.\nCarla: No money and no time for it.\n", encoding="utf-8")
    with Study(root) as st:
        st.ingest()
        st.run_code(suggesters="rules")
        yield st


def test_the_review_queue_flag_is_a_string_column(coded) -> None:
    rq = coded.review_queue()
    assert len(rq) and rq["flag"].isna().all()          # nothing flagged: the usual case
    assert _is_string(rq["flag"]), rq["flag"].dtype
    assert rq["flag"].str.startswith("split").sum() == 0  # .str works on it


def test_code_usage_merges_with_codings_as_string(coded) -> None:
    usage = coded.code_usage()
    for col in ("code_id", "label", "theme"):
        assert _is_string(usage[col]), (col, usage[col].dtype)
    merged = coded.codings().merge(usage[["code_id", "label"]], on="code_id")
    assert len(merged) and _is_string(merged["code_id"]) and _is_string(merged["label"])
    assert pd.api.types.is_integer_dtype(usage["codings"]) and usage["codings"].sum() > 0


def test_segment_attributes_are_strings_with_na(coded) -> None:
    segs = coded.segments(attributes=True, include_interviewer=False)
    for col in ("Age", "Site", "text"):
        assert _is_string(segs[col]), (col, segs[col].dtype)
    david = segs.loc[segs["participant"] == "P02", "Age"]
    assert len(david) and all(v is pd.NA for v in david)
    assert set(segs.loc[segs["participant"] == "P01", "Age"]) == {"34"}
    assert pd.api.types.is_integer_dtype(segs["start"])


def test_an_empty_review_queue_has_the_full_queue_dtypes(coded) -> None:
    full = coded.review_queue()
    empty = coded.review_queue(coder="nobody")
    assert empty.empty and list(empty.columns) == list(full.columns)
    for col in ("start", "end", "confidence", "segment_start", "segment_end", "skipped"):
        assert str(empty[col].dtype) == str(full[col].dtype), (col, empty[col].dtype, full[col].dtype)
    for col in ("coding_id", "code_id", "text", "flag"):
        assert _is_string(empty[col]), (col, empty[col].dtype)


def test_empty_character_agreement_keeps_numbers(coded) -> None:
    full = coded.character_agreement(["HT", "SO"])
    empty = coded.character_agreement(["HT", "SO"], sample=[])
    assert len(full) and empty.empty
    for col in ("n_chars", "chars_a", "chars_b", "chars_both", "percent_agreement", "kappa"):
        assert str(empty[col].dtype) == str(full[col].dtype), (col, empty[col].dtype, full[col].dtype)
    assert _is_string(empty["note"]) and _is_string(empty["code_id"])


def test_empty_tallies_and_quotes_keep_their_dtypes(tmp_path) -> None:
    root = write_study(tmp_path / "bare")  # no participants.csv (no attributes) and nothing coded
    with Study(root) as st:
        st.ingest()
        tallies = st.attribute_tallies()
        assert tallies.empty
        for col in ("n", "N", "pct"):
            assert pd.api.types.is_numeric_dtype(tallies[col]), (col, tallies[col].dtype)
        assert _is_string(tallies["n_of_N"]) and _is_string(tallies["value"])
        quotes = st.quotes()
        assert quotes.empty
        for col in ("text", "attribution", "location", "code_id", "segment_id"):
            assert _is_string(quotes[col]), (col, quotes[col].dtype)
        for col in ("start", "end"):
            assert pd.api.types.is_integer_dtype(quotes[col]), (col, quotes[col].dtype)
        assert quotes["chosen"].dtype == bool
