"""Scale defect 1/2: pseudonymisation rebuilt the whole name pattern for every participant attribute value
(participants.csv, a survey's columns) and every document, so ingest grew with participants squared. The
pattern is now built once per name table: the number of builds must not grow with the participants."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from thematic.ingest import pseudonymise
from thematic.study import Study, init_study

_SYLLABLES = ["ka", "zor", "vel", "mir", "tan", "qui", "bex", "dro", "lum", "fen", "gar", "yol"]


def _names(n: int) -> list[str]:
    out: list[str] = []
    i = 0
    while len(out) < n:
        a, b, c = i % 12, (i // 12) % 12, (i // 144) % 12
        out.append((_SYLLABLES[a] + _SYLLABLES[b] + _SYLLABLES[c] + "x").capitalize())
        i += 1
    return out


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count name-pattern builds (``_trie`` calls), with the replacer cache emptied first."""
    calls: list[int] = []
    real = pseudonymise._trie

    def counting(names, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(names, **kwargs)

    getattr(pseudonymise, "_REPLACERS", {}).clear()
    monkeypatch.setattr(pseudonymise, "_trie", counting)
    return calls


def _roster_study(root: Path, n: int) -> Study:
    study = init_study(root, name=f"roster {n}")
    names = _names(n)
    rows = ["participant_id,name,role,gender,site,notes"]
    rows += [f"P{i:03d},{nm},peer mentor,female,site {i % 3},met {names[i % n]} at group" for i, nm in
             enumerate(names, 1)]
    (study.paths.raw / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (study.paths.raw / "one.txt").write_text(f"Interviewer: Hello?\n{names[0]}: Hi, {names[1]} sent me.\n",
                                             encoding="utf-8")
    return study


def _count_ingest(study: Study, monkeypatch: pytest.MonkeyPatch) -> int:
    with monkeypatch.context() as m:
        calls = _builds(m)
        report = study.ingest()
        assert report.ok
    return len(calls)


def test_roster_ingest_builds_the_name_pattern_a_fixed_number_of_times(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _roster_study(tmp_path / "s10", 10), _roster_study(tmp_path / "s40", 40)
    n_small, n_large = _count_ingest(small, monkeypatch), _count_ingest(large, monkeypatch)
    assert n_small == n_large <= 10  # was one build per attribute value: 4 x participants and more
    # names in the notes column are still replaced, and the text is pseudonymised as before
    notes = large.store.participants().set_index("participant_id")["notes"]
    assert notes["P001"] == "met P002 at group"
    assert _names(40)[1] not in large.store.document_text("one")
    # an unchanged re-ingest builds no more than the first did
    assert _count_ingest(large, monkeypatch) <= n_large


def _survey(n: int) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["respondent_id", "name", "role", "site", "What helped you most?"])
    names = _names(2 * n)
    for i in range(n):
        writer.writerow([f"R{i:04d}", f"{names[2 * i]} {names[2 * i + 1]}", "service user", f"site {i % 3}",
                         f"My mentor listened, and {names[2 * i]} kept going."])
    return buf.getvalue()


def test_survey_with_a_name_column_builds_the_name_pattern_a_fixed_number_of_times(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counts = []
    for n in (10, 40):
        study = init_study(tmp_path / f"survey{n}", name=f"survey {n}")
        (study.paths.raw / "survey.csv").write_text(_survey(n), encoding="utf-8")
        counts.append(_count_ingest(study, monkeypatch))
        text = study.store.document_text("survey")
        assert _names(2 * n)[0] not in text and "My mentor listened" in text
    assert counts[0] == counts[1] <= 10  # was one build per respondent attribute value


def test_speaker_table_work_grows_linearly_with_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """``speaker_table`` rebuilt the set of the table's keys for every name part (quadratic in names)."""
    calls: list[int] = []
    real = pseudonymise.label_key

    def counting(text: str) -> str:
        calls.append(1)
        return real(text)

    monkeypatch.setattr(pseudonymise, "label_key", counting)
    counts = []
    for n in (50, 200):
        calls.clear()
        names = _names(2 * n)
        table = pseudonymise.speaker_table({f"{names[2 * i]} {names[2 * i + 1]}": f"P{i}" for i in range(n)})
        assert table[names[0]] == ("P0", "speaker") and table[f"{names[0]} {names[1]}"] == ("P0", "speaker")
        counts.append(len(calls))
    assert counts[1] <= 5 * counts[0]  # 4x the names: 4x the work (it was 16x)
