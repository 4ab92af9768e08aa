"""`codebook migrate` used to answer "Nothing to migrate: every coding is at mini 0.2.0" when a changes entry was
dated to a release frozen without it (W389 in `codebook validate`): the entry can never reach those codings, so
the user who ran migrate to apply it was told all was well. migrate now repeats W389 (file:line, and the release to
date the entry to) under its report."""

from __future__ import annotations

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import load_codebook, migrate, release_codebook

runner = CliRunner()


def test_migrate_repeats_w389_for_an_entry_it_can_never_apply(study, make_yaml, make_coding, base_codes, replace):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    study.store.add_codings([make_coding("int01", 0, "money")])
    codes = replace(base_codes, "money", id="pay")
    path.write_text(make_yaml("0.1.0", codes=codes), encoding="utf-8")
    release_codebook(path, study.store, "minor")
    migrate(load_codebook(path), study.store, actor="HT")
    text = make_yaml("0.2.0", codes=codes, changes=[{"version": "0.2.0", "rename": {"from": "money", "to": "pay"}}])
    path.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith("- version: 0.2.0"))
    result = runner.invoke(app, ["codebook", "migrate", "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    assert "Nothing to migrate" in result.output
    assert "[W389]" in result.output and f"{path.name}:{line}" in result.output and "0.2.1" in result.output
