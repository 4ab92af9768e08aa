"""Editing thematic.toml while a Study is open takes effect at the next facade call (as codebook edits do)."""

from __future__ import annotations

from regression.unlike_example import code_two_coders, write_study
from thematic.study import Study

TRANSCRIPT = {"ana.txt": "Guide: Tell me about your research.\nAna: I run qualitative interviews.\n"
                         "Guide: And time?\nAna: Never enough time.\n"}


def _edit(root, old: str, new: str) -> None:
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")


def test_config_edits_reach_an_open_study(tmp_path) -> None:
    root = write_study(tmp_path / "s", TRANSCRIPT)
    with Study(root) as st:
        st.ingest()
        guide = st.segments()["text"].str.contains("research|time\\?")
        assert guide.sum() == 2 and not st.segments()["is_interviewer"].any()
        _edit(root, '"note-taker"]', '"note-taker", "guide"]')  # same kernel, settings edited
        st.ingest(force=True)
        segs = st.segments()
        assert list(segs["is_interviewer"]) == list(segs["text"].str.contains("research|time\\?"))
        assert list(st.config.coders) == ["HT", "SO"]


def test_coders_edit_reaches_agreement(tmp_path) -> None:
    root = write_study(tmp_path / "s")
    code_two_coders(root)
    with Study(root) as st:
        st.code(str(st.segments(include_interviewer=False)["segment_id"].iloc[0]), "time_pressure", coder="XY")
        before = st.agreement()
        _edit(root, 'coders = ["HT", "SO"]', 'coders = ["HT", "XY"]')
        after = st.agreement()
        assert list(st.config.coders) == ["HT", "XY"]
        assert not before.equals(after)
