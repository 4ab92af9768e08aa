"""A focus group in which participants.csv maps only one member (the others ``Speaker 3``, ``Unknown``,
``Speaker 5``) was counted and labelled as an interview: no focus-group column in the frequency table, the
appendix called it ``Interview 1`` and renumbered the member's real interview ``Interview 2``. The kind
counted mapped participants only.

Now a document is a focus group when two or more participants speak in it, or one participant among
three or more voices (participants and unmapped speakers, interviewers aside): the group above is
``Focus group 1`` and its mapped member counts among the focus-group members, while an interview with
one brief unmapped extra voice (a partner who says a word) stays an interview.
"""

from __future__ import annotations

from pathlib import Path

from analysis.quote_support import quote_study
from thematic.analysis.selection import document_kinds

FILES = {
    "interview-1.txt": "Interviewer: How are you?\nAmira Haddad: I trust my family.\n",
    "interview-2.txt": "Interviewer: How are you?\nBen Okafor: I trust the nurses.\nPartner: He does.\n",
    "focus-group-1.txt": ("Facilitator: Welcome.\nAmira Haddad: Trust comes first.\nSpeaker 3: Trust is earned.\n"
                          "Unknown: I trust nobody.\nSpeaker 5: No time.\n"),
    "participants.csv": "participant_id,name,role\nP01,Amira Haddad,nurse\nP02,Ben Okafor,carer\n",
}


def test_a_group_with_one_mapped_member_is_a_focus_group(tmp_path: Path) -> None:
    study = quote_study(tmp_path, FILES)
    assert document_kinds(study.segments()) == {
        "focus-group-1": "focus group", "interview-1": "interview", "interview-2": "interview"}
    for seg in ("interview-1:1", "interview-2:1", "focus-group-1:1", "focus-group-1:2", "focus-group-1:3"):
        study.code(seg, "trust", coder="HT")
    freq = study.frequencies(level="code").set_index("source")
    assert freq.loc["interviewees", "n_of_N"] == "2 of 2"
    assert freq.loc["focus-group members", "n_of_N"] == "1 of 1"
    assert freq.loc["focus-group members", "n_segments"] == 3
    quotes = study.quotes()
    located = set(zip(quotes["attribution"], quotes["location"]))
    assert located == {("P01 (nurse)", "Interview 1, turn 2"), ("P02 (carer)", "Interview 2, turn 2"),
                       ("P01 (nurse)", "Focus group 1, turn 2"), ("Speaker 3", "Focus group 1, turn 3"),
                       ("Unknown", "Focus group 1, turn 4")}, located
    study.close()
