"""A turn by a speaker who is on no participant list, and a transcript of such a speaker, and a coder who codes a
span whose suggestion they accepted: three places where what thematic printed was not what the docs say.

- ``frequency --by role``: the unmapped speaker's coded turn was added to the ``(missing)`` group (people in N
  without a role), so that row read "1 passage in 1 document" beside "0 of 1"; such turns count in ``All`` only.
- The quote appendix numbered a transcript with no participant first, so P01's interview became "Interview 2";
  interviews are numbered in participant order, documents without a participant after them.
- ``code add`` on an accepted suggestion's span said "(coder thematic.rules.v1)": the coding is the reviewer's.
"""

from __future__ import annotations

from pathlib import Path

from regression.tiny_study import CODEBOOK, cli, study_with
from thematic.study import Study

ROLES = "participant_id,role\nP01,peer mentor\nP02,staff\nP03,\n"


def _study(tmp_path: Path) -> Study:
    root = study_with(tmp_path / "s", CODEBOOK, {
        "participants.csv": ROLES,
        "interview-1.txt": "Interviewer: Hi.\nP01: Answer from P01 about funding.\n",
        "interview-2.txt": "Interviewer: Hi.\nP02: Answer from P02.\n",
        "interview-3.txt": "Interviewer: Hi.\nP03: Answer from P03, who has no role on record.\n",
        "aa-pilot.txt": "Interviewer: Hi.\nBob: I am not on the list, and funding matters.\n",
    }, coders=("HT",))
    study = Study(root)
    study.ingest()
    return study


def test_an_unmapped_speakers_turn_counts_in_all_only(tmp_path: Path) -> None:
    study = _study(tmp_path)
    study.code("interview-1:1", "money", coder="HT")
    study.code("aa-pilot:1", "money", coder="HT")
    freq = study.frequencies(by="role")
    money = freq[freq["code_id"] == "money"].set_index("group")
    assert int(money.loc["All", "n_segments"]) == 2
    assert int(money.loc["(missing)", "N_participants"]) == 1
    assert int(money.loc["(missing)", "n_segments"]) == 0
    assert int(money.loc["(missing)", "n_documents"]) == 0
    assert int(money.loc["peer mentor", "n_segments"]) == 1


def test_a_transcript_without_participants_is_numbered_after_the_interviews(tmp_path: Path) -> None:
    from thematic.analysis.quotes import document_labels

    study = _study(tmp_path)
    labels = document_labels(study.store.segments())
    assert labels["interview-1"] == "Interview 1"
    assert labels["interview-2"] == "Interview 2"
    assert labels["interview-3"] == "Interview 3"
    assert labels["aa-pilot"] == "Interview 4"


def test_code_add_on_an_accepted_suggestion_names_the_coder(tmp_path: Path) -> None:
    study = _study(tmp_path)
    root = study.root
    cli(root, "code", "--suggesters", "rules")
    cli(root, "review", "--reviewer", "HT", stdin="a\n" * 3 + "q\n")
    accepted = study.codings()
    accepted = accepted[(accepted["status"] == "accepted") & (accepted["segment_id"] == "interview-1:1")]
    assert len(accepted) == 1
    out = cli(root, "code", "add", "interview-1:1", "money", "--coder", "HT")
    assert "coder HT" in out and "thematic.rules" not in out
