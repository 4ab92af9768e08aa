"""A changes entry dated to a release that was frozen without it is refused by bump and flagged by validate.

What was wrong: a researcher renamed `money` to `pay` in 0.2.0 and forgot the entry; `migrate` flagged the coding
"unknown code". They then added `{version: 0.2.0, rename: money -> pay}`, since `version` is "the release that made
the change". `validate` and `bump patch` accepted it, but `migrate` applies an entry only to codings made under an
older version than the entry, and the coding was already stamped 0.2.0, so nothing moved. `codebook show` kept
saying "renamed into pay in 0.2.0: run `thematic codebook migrate`", which changed nothing, in a loop; and the new
release's log claimed a 0.2.0 change that the frozen 0.2.0 copy does not contain.

What is true now: `bump` refuses such an entry (E213, with file:line), saying to date it to the release being made;
`codebook validate` warns about it (W389, file:line); and `codebook show` no longer sends the user to `migrate` for
codings no entry can reach. Dated to the new release, the entry is applied by `migrate`.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import load_codebook, migrate, release_codebook
from thematic.errors import CodebookError

runner = CliRunner()
RENAME = {"rename": {"from": "money", "to": "pay"}, "note": "forgot to log it"}


def _cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def backdated(study, make_yaml, make_coding, base_codes, replace):
    """0.1.0 released with a coding of money; 0.2.0 renamed money to pay without an entry and was migrated; then
    the entry was added dated 0.2.0. Returns the study and the entry's line."""
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    study.store.add_codings([make_coding("int01", 0, "money")])
    codes = replace(base_codes, "money", id="pay")
    path.write_text(make_yaml("0.1.0", codes=codes), encoding="utf-8")
    release_codebook(path, study.store, "minor")
    migrate(load_codebook(path), study.store, actor="HT")
    assert study.store.codings()["flag"].str.startswith("unknown code").all()
    text = make_yaml("0.2.0", codes=codes, changes=[{"version": "0.2.0", **RENAME}])
    path.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith("- version: 0.2.0"))
    return study, line


def test_bump_refuses_an_entry_dated_to_a_release_frozen_without_it(backdated):
    study, line = backdated
    with pytest.raises(CodebookError) as err:
        release_codebook(study.codebook_path, study.store, "patch")
    message = str(err.value)
    assert "[E213]" in message and f"{study.codebook_path.name}:{line}" in message
    assert "0.2.0" in message and "0.2.1" in message
    assert load_codebook(study.codebook_path).version == "0.2.0"  # nothing released


def test_validate_warns_with_file_and_line(backdated):
    study, line = backdated
    result = _cli("codebook", "validate", "--study", str(study.root))
    assert result.exit_code == 0, result.output
    assert "W389" in result.output and f"{study.codebook_path.name}:{line}" in result.output


def test_show_does_not_send_the_user_to_migrate(backdated):
    study, _ = backdated
    result = _cli("codebook", "show", "--study", str(study.root))
    stray = next(ln for ln in result.output.splitlines() if ln.strip().startswith("money (1)"))
    assert "run `thematic codebook migrate`" not in stray and "0.2.1" in stray, stray


def test_dated_to_the_new_release_the_entry_is_applied(backdated, make_yaml, base_codes, replace):
    study, _ = backdated
    codes = replace(base_codes, "money", id="pay")
    study.codebook_path.write_text(make_yaml("0.2.0", codes=codes, changes=[{"version": "0.2.1", **RENAME}]),
                                   encoding="utf-8")
    assert release_codebook(study.codebook_path, study.store, "patch").version == "0.2.1"
    migrate(load_codebook(study.codebook_path), study.store, actor="HT")
    row = study.store.codings().iloc[0]
    assert row["code_id"] == "pay" and pd.isna(row["flag"]) and row["codebook_version"] == "0.2.1"


def test_entries_frozen_with_their_release_are_fine(study, make_yaml, base_codes, replace):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    path.write_text(make_yaml("0.1.0", codes=replace(base_codes, "money", id="pay"),
                              changes=[{"version": "0.2.0", **RENAME}]), encoding="utf-8")
    release_codebook(path, study.store, "minor")
    result = _cli("codebook", "validate", "--study", str(study.root))
    assert result.exit_code == 0 and "W389" not in result.output
    codes = replace(base_codes, "money", id="pay", definition="Talk about wages.")
    path.write_text(make_yaml("0.2.0", codes=codes, changes=[{"version": "0.2.0", **RENAME}]), encoding="utf-8")
    assert release_codebook(path, study.store, "patch").version == "0.2.1"


def test_migrate_repeats_w389_for_an_entry_it_can_never_apply(backdated):
    """`codebook migrate` answered "Nothing to migrate" and no more for such an entry, so the user who ran it to
    apply the entry was told all was well; it now repeats W389 (file:line, and the release to date it to)."""
    study, line = backdated
    result = _cli("codebook", "migrate", "--study", str(study.root))
    assert result.exit_code == 0, result.output
    assert "Nothing to migrate" in result.output
    assert "[W389]" in result.output and f"{study.codebook_path.name}:{line}" in result.output
    assert "0.2.1" in result.output
