"""Issue 12 item 7: a re-anchored coding's old id never blocks coding the span it left."""

from __future__ import annotations

from thematic.coding.manual import code


def test_issue12_recoding_the_old_span_after_reanchor(study) -> None:
    raw = study.paths.raw / "talk.txt"
    raw.write_text("Interviewer: Why?\nAsh: I trusted them completely, and then I trusted the staff.\n",
                   encoding="utf-8")
    study.ingest()
    text = study.store.document_text("talk")
    start = text.index("trusted them")
    first = code(study.store, ("talk", start, start + len("trusted them")), "trust", coder="AB")
    raw.write_text("Interviewer: Why?\nAsh: Honestly I trusted them completely, and then I trusted the staff.\n",
                   encoding="utf-8")
    report = study.ingest()
    assert report.rows[0].reanchored == 1
    moved = study.store.coding(first.id)
    assert moved["start"] == start + len("Honestly ") and moved["text"] == "trusted them"
    # the span the coding left now holds other words; coding it with the same code and coder works
    second = code(study.store, ("talk", start, start + len("trusted them")), "trust", coder="AB")
    assert second.id != first.id and (second.start, second.end) == (start, start + len("trusted them"))
    rows = study.store.codings(code="trust", coder="AB")
    assert sorted(rows["start"].tolist()) == [start, start + len("Honestly ")]
