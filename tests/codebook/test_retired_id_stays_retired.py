"""A retired id used to look as if it could come back, but could not. A later release that renamed, merged or split
another code *into* a retired id validated and released cleanly; `migrate` then folded the old retired codings
(the old meaning) into the new ones on the same spans and dropped their `retired` flag, so the new code counted
codings of the old meaning, and the new code could not be applied at all (E210). A retired code redefined in place
looked like an ordinary code in `codebook show`, and E210 did not say why it could not be coded.

What is true now: an id a `retire` entry retired stays retired, because its old codings keep that id. Validation
refuses a later rename, merge or split into it (C016 at the entry's line, saying why and to use a new id), so such a
codebook is never released or migrated; `codebook show` marks a retired code "(retired)"; and E210 says that a
retired id is never applied again, even when the file still defines it."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import release_codebook, validate_text
from thematic.errors import CodebookError, InputError

runner = CliRunner()


def _line(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.lstrip("- ").startswith(start))


@pytest.mark.parametrize(("entry", "gone"), [
    ("{version: 0.3.0, rename: {from: peer_help, to: vetting}}", {"peer_help"}),
    ("{version: 0.3.0, merge: {from: [peer_help, staff_help], into: vetting}}", {"peer_help", "staff_help"}),
    ("{version: 0.3.0, split: {from: money, into: [vetting, staff_help]}}", set()),
])
def test_a_change_into_a_retired_id_is_refused_at_its_line(make_yaml, base_codes, entry, gone):
    codes = [c for c in base_codes if c["id"] not in gone]
    text = make_yaml("0.3.0", codes=codes, changes=[{"version": "0.2.0", "retire": {"code": "vetting"}}])
    text = text.replace("themes:", f"- {entry}\nthemes:", 1)
    problems = [p for p in validate_text(text, path="cb.yaml") if p.code == "C016"]
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.line == _line(text, "{version: 0.3.0")
    assert "'vetting' was retired in 0.2.0" in p.message and f"line {_line(text, 'version: 0.2.0')}" in p.message
    assert "new id" in p.message


def test_a_retired_code_kept_in_the_file_and_a_retire_after_a_rename_into_it_are_fine(make_yaml, base_codes):
    text = make_yaml("0.3.0", codes=[c for c in base_codes if c["id"] != "peer_help"], changes=[
        {"version": "0.2.0", "rename": {"from": "peer_help", "to": "vetting"}},
        {"version": "0.3.0", "retire": {"code": "vetting"}}])
    assert validate_text(text, path="cb.yaml") == []


def test_reusing_a_retired_id_is_never_released_and_show_and_e210_say_so(study, make_yaml, base_codes, make_coding):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    (study.paths.raw / "a.txt").write_text("Interviewer: Any checks?\nP01: The vetting took months.\n", encoding="utf-8")
    assert study.ingest().ok
    release_codebook(path, study.store, None)
    study.store.add_codings([make_coding("int01", 0, "vetting"), make_coding("int01", 20, "peer_help")])
    retire = {"version": "0.2.0", "retire": {"code": "vetting"}, "note": "too broad"}
    path.write_text(make_yaml("0.1.0", changes=[retire]), encoding="utf-8")
    release_codebook(path, study.store, "minor")
    study.migrate_codebook(actor="HT")
    # 0.3.0 renames peer_help into the retired id: refused before anything is frozen or migrated
    codes = [c for c in base_codes if c["id"] != "peer_help"]
    path.write_text(make_yaml("0.2.0", codes=codes, changes=[
        retire, {"version": "0.3.0", "rename": {"from": "peer_help", "to": "vetting"}}]), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"C016.*'vetting' was retired in 0\.2\.0"):
        release_codebook(path, study.store, "minor")
    assert not (path.parent / ".versions" / "mini-0.3.0.yaml").exists()
    flags = dict(zip(study.store.codings()["code_id"], study.store.codings()["flag"]))
    assert str(flags["vetting"]).startswith("retired: vetting") and pd.isna(flags["peer_help"])
    # the retired code kept in the file with a new definition: still retired, and show and E210 say so
    narrower = [{**c, "definition": "Security checks, narrower."} if c["id"] == "vetting" else c for c in base_codes]
    path.write_text(make_yaml("0.2.0", codes=narrower, changes=[retire]), encoding="utf-8")
    release_codebook(path, study.store, "patch")
    with pytest.raises(InputError) as err:
        study.code("a:1", "vetting", coder="HT")
    assert "[E210]" in str(err.value) and "never applied again" in str(err.value) and "new id" in str(err.value)
    shown = runner.invoke(app, ["codebook", "show", "--study", str(study.root)])
    assert shown.exit_code == 0, shown.output
    line = next(ln for ln in shown.output.splitlines() if "(vetting)" in ln)
    assert "retired" in line
