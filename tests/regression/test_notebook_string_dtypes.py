"""The facade's frames use one string dtype (the store's ``string``), so merging them keeps it."""

from __future__ import annotations

import pandas as pd

from regression.unlike_example import code_two_coders, write_study
from thematic.study import Study


def test_facade_frames_share_the_store_string_dtype(tmp_path) -> None:
    root = write_study(tmp_path / "s")
    code_two_coders(root)
    with Study(root) as st:
        freq = st.frequencies()
        merged = st.codings().merge(freq[["code_id", "label"]].drop_duplicates(), on="code_id")
        assert merged["code_id"].dtype == "string" and freq["label"].dtype == "string"
        for frame, cols in ((st.quotes(), ["segment_id", "code_id", "group"]),
                            (st.disagreements(), ["document_label", "segment_id"]),
                            (st.agreement(), ["code_id"]), (st.cooccurrence(), ["code_a"] if "code_a" in st.cooccurrence() else [])):
            for c in cols:
                assert isinstance(frame[c].dtype, pd.StringDtype) and frame[c].dtype.na_value is pd.NA, (c, frame[c].dtype)
