"""A coder typed in another case is the coder thematic.toml (or the store) already knows.

`thematic code add ... --coder ht` in a study whose thematic.toml lists "HT" stored a new coder "ht":
agreement then said HT had no codings (E404), and the status table showed two people. Now a name that
differs only in case (or Unicode form and spaces) from exactly one configured or stored coder is stored
as that coder's spelling, whichever way it is written (CLI, sheet import, marking segments seen); an
exact stored name is kept as it is, and a name matching two spellings stays as typed.
"""

from __future__ import annotations

from pathlib import Path

from regression.tiny_study import CODEBOOK, cli, study_with
from thematic.study import Study

TEXT = "Interviewer: How was it?\nDan: The funding stopped and the job went.\n"


def _study(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": TEXT}, coders=("HT", "SO"))
    cli(root, "ingest")
    return root


def _coders(root: Path) -> list[str]:
    with Study(root) as s:
        return sorted(set(s.codings()["coder"].astype(str)))


def test_cli_coder_in_lower_case_is_the_configured_coder(tmp_path: Path) -> None:
    root = _study(tmp_path)
    out = cli(root, "code", "add", "alpha:1", "money", "--coder", "ht")
    assert "coder HT" in out
    cli(root, "code", "add", "alpha:1", "work", "--coder", " so ")
    assert _coders(root) == ["HT", "SO"]
    assert "HT" in cli(root, "agreement", "--coders", "HT,SO")


def test_stored_coder_keeps_its_spelling_and_ambiguous_names_stay_as_typed(tmp_path: Path) -> None:
    root = _study(tmp_path)
    with Study(root) as s:
        s.code("alpha:1", "money", coder="Zoë")
        s.code("alpha:1", "work", coder="zoë")
        assert sorted(set(s.codings()["coder"].astype(str))) == ["Zoë"]
        s.code("alpha:1", "money", coder="Ab")
        s.code("alpha:1", "work", coder="Cd")
        s.store._conn.execute("UPDATE codings SET coder='aB' WHERE coder='Cd'")  # two spellings, as an old store has
        s.code("alpha:0", "work", coder="AB")
        s.code("alpha:0", "work", coder="aB")
        assert set(s.codings(document="alpha")["coder"].astype(str)) >= {"Ab", "aB", "AB"}


def test_marking_seen_uses_the_configured_spelling(tmp_path: Path) -> None:
    root = _study(tmp_path)
    with Study(root) as s:
        s.mark_seen(["alpha:1"], coder="so")
        assert set(s.seen()["coder"].astype(str)) == {"SO"}
