"""Every facade path is relative to the study folder, whatever the working folder (a notebook runs in notebooks/)."""

from __future__ import annotations

import json

from regression.unlike_example import write_study
from thematic.study import Study


def test_notebook_paths_relative_to_the_study_not_the_working_folder(tmp_path, monkeypatch) -> None:
    root = write_study(tmp_path / "s")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(root / "notebooks")
    with Study(root) as st:
        st.ingest(["data/raw/ana.txt"])
        assert list(st.store.documents()["document_id"]) == ["ana"]
        res = st.sample(coder="SO", n=2, out="reports/so.xlsx")
        assert res.sheet == root / "reports/so.xlsx"
        st.import_sheet("reports/so.xlsx", coder="SO")  # read back from where sample wrote it
        assert st.export_sheet("reports/ht.xlsx", coder="HT").path == root / "reports/ht.xlsx"
        assert st.export_segments("reports/segs.csv").path == root / "reports/segs.csv"
        assert st.export_codebook("reports/cb.md") == root / "reports/cb.md"
        assert (root / "reports/cb.md").is_file()
        assert st.export_codings("reports/codings.csv") == root / "reports/codings.csv"
        st.export_refi("reports/study.qdpx")
        assert (root / "reports/study.qdpx").is_file()
        assert not any((root / "notebooks").rglob("*.*"))  # nothing landed in the working folder
        (root / "gold.jsonl").write_text(json.dumps({"id": "g1", "text": "never enough time", "codes": ["time_pressure"]})
                                         + "\n" + json.dumps({"id": "g2", "text": "a grant", "codes": []}) + "\n")
        assert st.evaluate(gold="gold.jsonl", suggesters=["rules"], cv=2)
        absolute = elsewhere / "abs.csv"
        assert st.export_segments(absolute).path == absolute and absolute.is_file()  # absolute paths as given
