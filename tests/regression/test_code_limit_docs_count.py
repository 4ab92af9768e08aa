"""`thematic code --limit N`: the run table's docs column counts the documents actually scored.

With ``--limit 25`` all 25 passages were in one document but the table said "docs 14": it counted every
document the run had planned, not those the try-out's passages come from.
"""

from __future__ import annotations

from coding.assisted_support import interview, write_codebook
from thematic.coding.run import code

ANSWERS = ["The vetting took months before I got in.", "The funding ran out last spring.",
           "We talked about the weather."]


def _study(study):  # noqa: ANN001, ANN202
    write_codebook(study)
    study.store.save_document(interview("int-01", ANSWERS))
    study.store.save_document(interview("int-02", ["I have been there myself, same boat."]))
    study.store.save_document(interview("int-03", ["Security clearance again."]))
    return study


def test_a_try_out_within_one_document_reports_one_document(study) -> None:  # noqa: ANN001
    run = code(_study(study), suggesters=["rules"], ingest=False, limit=2).runs[0]
    assert (run.status, run.segments, run.documents) == ("ran", 2, 1)


def test_a_full_run_still_counts_every_document(study) -> None:  # noqa: ANN001
    run = code(_study(study), suggesters=["rules"], ingest=False).runs[0]
    assert (run.segments, run.documents) == (5, 3)
