"""Interviewer labels in the conventions researchers use were read as participants.

Transcripts labelled ``I:`` / ``R:`` (interviewer / respondent, the most common convention) without
participants.csv counted the interviewer ``I`` as a participant: N doubled, every interview became a
"focus group", and an interviewer question coded by mistake was counted and quoted as a participant's
words. ``Int.:`` (with a full stop) was pseudonymised as a person, and ``IV:`` (German: Interviewer),
``Co-facilitator:`` and ``Note-taker:`` became participants; German ``IP:`` (Interviewpartner, the
interviewee) and ``B:`` (Befragte/r) were one named "person" across every file.

Now the default interviewer labels know ``I``, ``IV``, ``Int.``, co-facilitators, co-moderators and
note-takers (hyphen, space and a final full stop aside); ``IP`` and ``B`` are interviewee role labels,
a case in each file; a re-ingest that turns coded turns into interviewer turns warns (W125) instead of
silently dropping those codings from every count; and a transcript whose only role letters are ``R``
with no interviewer warns (W126) that ``R`` was read as the respondent, not the researcher.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from thematic.config import DEFAULT_INTERVIEWER_LABELS
from thematic.ingest.labels import is_generic_label, is_interviewer_label
from thematic.study import Study, init_study

CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- {id: care, label: Care, definition: Care.}
codes:
- {id: family, label: Family, parent: care, definition: Family.}
- {id: money, label: Money, parent: care, definition: Money.}
"""


@pytest.mark.parametrize("label", [
    "I", "I 2", "Int.", "INT.", "Int", "Interviewer 2", "Interviewer (AB)", "IV", "Q", "Moderator",
    "Co-facilitator", "Co facilitator", "Cofacilitator", "Co-moderator", "Note-taker", "Note taker", "Notetaker",
    "Researcher 1", "Facilitator",
])
def test_common_interviewer_labels_are_interviewers_by_default(label: str) -> None:
    assert is_interviewer_label(label, DEFAULT_INTERVIEWER_LABELS)


@pytest.mark.parametrize("label", [
    "IP", "B", "R", "P", "Respondent", "Interviewee", "Participant", "Ines", "Ivan", "Iris", "Ivy", "Ingrid",
    "Intan", "Quentin", "Noteworthy", "Cora", "Moderate",
])
def test_interviewees_and_names_are_not_interviewers(label: str) -> None:
    assert not is_interviewer_label(label, DEFAULT_INTERVIEWER_LABELS)


@pytest.mark.parametrize("label", ["IP", "IP 2", "B", "IV"])
def test_german_role_letters_are_role_labels_not_names(label: str) -> None:
    assert is_generic_label(label)


def test_a_surname_spelt_like_a_role_letter_is_still_a_name() -> None:
    assert not is_generic_label("Ip")  # a surname, pseudonymised like any name


def _study(tmp_path: Path, files: dict[str, str], toml_ingest: str | None = None) -> Study:
    study = init_study(tmp_path / "study", name="labels")
    (study.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    if toml_ingest is not None:
        _set_labels(study, toml_ingest)
    for name, text in files.items():
        (study.paths.raw / name).write_text(text, encoding="utf-8")
    return study


def _set_labels(study: Study, line: str) -> None:
    """Replace thematic.toml's interviewer_labels line with ``line`` ("" drops it: the defaults apply)."""
    toml = study.paths.config.read_text(encoding="utf-8").splitlines()
    toml = [line if ln.startswith("interviewer_labels") else ln for ln in toml]
    study.paths.config.write_text("\n".join(ln for ln in toml if ln != "") + "\n", encoding="utf-8")


def _ingest(study: Study):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    assert not report.failed, report.failed
    return report


def _seg(study: Study, document: str, text: str) -> str:
    segs = study.segments(document)
    return str(segs.loc[segs["text"] == text, "segment_id"].iloc[0])


def _code(study: Study, segment: str, code: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # W533 when the turn is an interviewer's
        study.code(segment, code, coder="HT")


def _row(freq, code: str):
    [row] = freq.loc[freq["code_id"] == code].to_dict("records")
    return row


def test_i_and_r_transcripts_count_the_respondents_only(tmp_path: Path) -> None:
    study = _study(tmp_path, {
        "interview-01.txt": "I: How is your family?\nR: My family helps a lot.\nI: And money?\nR: Tight.\n",
        "interview-02.txt": "I: Tell me about support.\nR: My sister is great.\n",
    })
    _ingest(study)
    segs = study.segments()
    assert segs.loc[segs["speaker"] == "I", "is_interviewer"].all()
    assert segs.loc[segs["speaker"] == "I", "participant_id"].isna().all()
    _code(study, _seg(study, "interview-01", "My family helps a lot."), "family")
    _code(study, _seg(study, "interview-01", "And money?"), "money")  # the interviewer's question
    _code(study, _seg(study, "interview-02", "My sister is great."), "family")
    freq = study.frequencies(level="code")
    assert set(freq["source"]) == {"interviewees"}
    assert _row(freq, "family")["n_of_N"] == "2 of 2"
    assert _row(freq, "money")["n_of_N"] == "0 of 2"
    quotes = study.quotes()
    assert "And money?" not in set(quotes["text"])
    assert set(quotes["location"]) == {"Interview 1, turn 2", "Interview 2, turn 2"}
    study.close()


def test_other_interviewer_spellings_are_interviewer_turns(tmp_path: Path) -> None:
    study = _study(tmp_path, {
        "group.txt": ("Int.: Welcome, everyone.\nCo-facilitator: Please help yourselves to tea.\n"
                      "Amira Haddad: Family first.\nNote-taker: Could you speak up?\nBen Okafor: Money is tight.\n"),
        "german.txt": "IV: Wie geht es Ihnen?\nIP: Gut, danke.\n",
    })
    _ingest(study)
    segs = study.segments()
    staff = segs.loc[segs["speaker"].isin(["Int.", "Co-facilitator", "Note-taker", "IV"])]
    assert len(staff) == 4 and staff["is_interviewer"].all()  # kept as written, not pseudonymised as people
    counted = segs.loc[~segs["is_interviewer"].astype(bool), "participant_id"]
    assert counted.notna().all() and counted.nunique() == 3  # Amira, Ben and the German interviewee
    study.close()


def test_interviewee_role_letters_are_a_person_in_each_file(tmp_path: Path) -> None:
    study = _study(tmp_path, {
        "a.txt": "IV: Wie geht es Ihnen?\nIP: Gut, danke.\n",
        "b.txt": "IV: Und Ihnen?\nIP: Auch gut.\n",
        "c.txt": "I: Und der Familie?\nB: Der geht es gut.\n",
        "d.txt": "I: Und der Arbeit?\nB: Viel zu tun.\n",
    })
    _ingest(study)
    segs = study.segments()
    people = segs.loc[~segs["is_interviewer"].astype(bool)].groupby("document_id")["participant_id"].first()
    assert people.nunique() == 4, people  # four interviewees, not "IP" and "B" once each
    study.close()


def test_reingest_that_makes_coded_turns_an_interviewers_warns(tmp_path: Path) -> None:
    """A study that read ``I`` as a participant (its own list without "i"), coded its turns, and then takes
    up the defaults: the codings are kept, but W125 says they count nowhere now and what to do."""
    study = _study(tmp_path, {"interview-01.txt": "I: How is your family?\nR: My family helps a lot.\n"},
                   toml_ingest='interviewer_labels = ["interviewer"]')
    _ingest(study)
    _code(study, _seg(study, "interview-01", "How is your family?"), "family")
    _code(study, _seg(study, "interview-01", "My family helps a lot."), "family")
    assert _row(study.frequencies(level="code"), "family")["n_of_N"] == "2 of 2"
    _set_labels(study, "")  # the default labels now apply, and they know "I"
    report = _ingest(study)
    [row] = report.rows
    assert any(w.startswith("[W107]") for w in row.warnings), row.warnings
    [w125] = [w for w in row.warnings if w.startswith("[W125]")]
    assert "interview-01.txt" in w125 and "1 coding" in w125 and "'I'" in w125 and "interview-01:0" in w125
    assert len(study.codings()) == 2  # nothing was lost
    assert _row(study.frequencies(level="code"), "family")["n_of_N"] == "1 of 1"
    again = _ingest(study)  # nothing changed: no warning again
    assert not any(w.startswith("[W125]") for r in again.rows for w in r.warnings)
    study.close()


def test_r_without_any_interviewer_warns_that_it_may_be_the_researcher(tmp_path: Path) -> None:
    study = _study(tmp_path, {
        "r-and-p.txt": "R: How is your family?\nP: My family helps a lot.\n",
        "i-and-r.txt": "I: How is your family?\nR: My family helps a lot.\n",
    })
    report = _ingest(study)
    by_path = {Path(r.path).name: r.warnings for r in report.rows}
    [w126] = [w for w in by_path["r-and-p.txt"] if w.startswith("[W126]")]
    assert "r-and-p.txt" in w126 and "'R'" in w126 and "interviewer_labels" in w126
    assert not any(w.startswith("[W126]") for w in by_path["i-and-r.txt"])
    study.close()
