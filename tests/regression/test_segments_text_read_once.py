"""Scale defect 3: ``Store.segments()`` cut every segment's text out of the whole document text in SQL
(``substr(d.text, ...)`` per row), so SQLite re-read and walked the document for each segment: quadratic
in a document's length (a 2 MB transcript took tens of seconds per listing). Each document's text is now
read once and sliced in Python; the texts must stay exactly what they were (offsets in code points)."""

from __future__ import annotations

from pathlib import Path

from thematic.study import init_study

# non-BMP (emoji), combining marks and CJK: offsets are code points, in Python and in SQLite's substr alike
_LINES = ["Interviewer: Tell me 😀 about the mentor?",
          "Ana: The mentor — “Zoë” — listened, café e\u0301 naïve 你好 🚀🚀 and then some.",
          "Interviewer: And after?",
          "Ana: Work 👩‍👩‍👧 came, slowly.\nIt took years."]


def _study(tmp_path: Path, turns: int):  # type: ignore[no-untyped-def]
    study = init_study(tmp_path / "study", name="segments")
    text = "\n".join(_LINES[i % len(_LINES)] for i in range(turns)) + "\n"
    (study.paths.raw / "long.txt").write_text(text, encoding="utf-8")
    (study.paths.raw / "short.txt").write_text("\n".join(_LINES) + "\n", encoding="utf-8")
    assert study.ingest().ok
    return study


def test_segments_read_each_document_text_once_and_slice_it_exactly(tmp_path: Path) -> None:
    study = _study(tmp_path, 200)
    store = study.store
    statements: list[str] = []
    store._conn.raw.set_trace_callback(statements.append)
    try:
        segs = store.segments()
    finally:
        store._conn.raw.set_trace_callback(None)
    # the text is read once per document, never per segment row (substr over the joined document text)
    per_row = [s for s in statements if "FROM segments" in s and "text" in s.split("FROM segments")[0]
               and "NULL AS text" not in s]
    assert per_row == [], per_row
    reads = [s for s in statements if "FROM documents" in s and "text" in s]
    assert 1 <= len(reads) <= 2  # one statement, or one per document: not one per segment (204 here)
    assert len(segs) > 150
    # exactly the texts the offsets give, for every segment and for the one-segment lookup
    for doc in ("long", "short"):
        full = store.document_text(doc)
        rows = segs[segs["document_id"] == doc]
        assert list(rows["text"]) == [full[s:e] for s, e in zip(rows["start"], rows["end"])]
    sample = segs.iloc[7]
    assert store.segment(sample["segment_id"]).text == sample["text"]
    assert any("🚀🚀" in t for t in segs["text"]) and any("你好" in t for t in segs["text"])
    # filters keep working the same way
    only = store.segments(document="short", include_interviewer=False)
    assert set(only["document_id"]) == {"short"} and not only["is_interviewer"].any()
    assert list(only["text"]) == list(segs[(segs["document_id"] == "short") & ~segs["is_interviewer"]]["text"])
    assert store.segments(with_text=False)["text"].isna().all()
