"""Neutral document labels are numbered over the whole study, whatever ``--documents`` keeps.

``select_quotes`` filtered the segments to ``in_documents`` before numbering the labels, so P03's
transcript, ``Interview 3`` in the full appendix and the agreement report, was ``Interview 1`` in an appendix
of ``--documents 'site-north-*'``: the label P01's transcript has everywhere else. Now labels come from every
document of the study, so a label names one transcript in every output.
"""

from __future__ import annotations

from pathlib import Path

from analysis.quote_support import quote_study


def test_a_subset_keeps_the_study_wide_labels(tmp_path: Path) -> None:
    files = {f"site-{site}-{i}.txt": f"Interviewer: Hi\nP0{i}: Participant {i} talks about trust.\n"
             for i, site in ((1, "south"), (2, "south"), (3, "north"))}
    study = quote_study(tmp_path, files)
    for doc in ("site-south-1", "site-south-2", "site-north-3"):
        study.code(f"{doc}:1", "trust", coder="HT")
    everything = study.quotes().set_index("participant_id")["location"]
    assert everything["P03"] == "Interview 3, turn 2"
    north = study.quotes(in_documents="site-north-*")
    assert list(north["location"]) == ["Interview 3, turn 2"]
    assert list(study.quotes(in_documents="site-south-2")["location"]) == ["Interview 2, turn 2"]
    study.close()
