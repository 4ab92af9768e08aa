"""Scale defect 5: each ``study.code()`` loaded every coding of the document (the coder's counted codings,
then their codings of the code) to check one span, so coding a long transcript by hand grew with the
square of its codings. A call now reads only the codings on its span: the rows it fetches from the store
must not grow with the codings already in the document. Behaviour (twins, memos) stays the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thematic.study import Study, init_study

_CODEBOOK = """\
name: bench
version: 1.0.0
themes:
- id: life
  label: Life
  definition: Life.
codes:
- id: hope
  label: Hope
  parent: life
  definition: Hope.
- id: work
  label: Work
  parent: life
  definition: Work.
"""


def _study(tmp_path: Path) -> Study:
    init_study(tmp_path / "study", name="code").close()
    (tmp_path / "study" / "codebooks" / "cb.yaml").write_text(_CODEBOOK, encoding="utf-8")
    lines = [x for i in range(400) for x in ("Interviewer: And then?", f"Ann: The mentor helped me, turn {i}.")]
    (tmp_path / "study" / "data" / "raw" / "one.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    study = Study.open(tmp_path / "study")
    assert study.ingest().ok
    return study


def _rows_per_code(study: Study, ids: list[str]) -> list[int]:
    """Rows the store returned for each ``study.code`` call (code, then a second call with a memo)."""
    store = study.store
    counts: list[int] = []
    real = store._rows

    def counting(sql: str, params: Any = ()) -> Any:
        rows = real(sql, params)
        counts[-1] += len(rows)
        return rows

    store._rows = counting  # type: ignore[method-assign]
    try:
        for sid in ids:
            counts.append(0)
            study.code(sid, "work", coder="A")
            study.code(sid, "work", coder="A", memo="again")
    finally:
        del store._rows
    return counts


def test_code_fetches_the_same_rows_however_many_codings_the_document_has(tmp_path: Path) -> None:
    study = _study(tmp_path)
    segs = study.segments(include_interviewer=False)
    ids = list(segs["segment_id"])
    before = _rows_per_code(study, ids[390:393])
    study.code_hits(segs.iloc[0:300][["document_id", "segment_id", "start", "end"]], "hope", coder="A")
    study.code_hits(segs.iloc[0:300][["document_id", "segment_id", "start", "end"]], "work", coder="B")
    after = _rows_per_code(study, ids[393:396])
    assert max(after) <= max(before), (before, after)  # was 600+ more rows per call with 600 more codings
    # same behaviour: one coding per span, the memo updated in place
    mine = study.store.codings(coder="A", code="work")
    assert len(mine) == 6 and set(mine["memo"]) == {"again"}
