"""Codebook defects a new-user exploration found: chained migrations, pre-release versions, duplicate
merges, unsafe names, undoing a rename, lowered versions, byte-exact bumps, escaped messages, retired
codes, the advice `codebook show` gives, and the size of a codebook. Small fictional codebooks, real stores."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import load_codebook, loads_codebook, migrate, release_codebook, validate_codebook
from thematic.models import Coding, Provenance

runner = CliRunner()

THEMES = [{"id": "theme_a", "label": "Theme A", "definition": "First theme."}]


def _code(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "label": cid.title(), "parent": "theme_a", "definition": f"The {cid} code.", **extra}


def cb_text(version: str, codes: list[str], changes: list[dict[str, Any]] | None = None, *,
            name: str = "cb", **extra: Any) -> str:
    """YAML text of a one-theme codebook with the given code ids."""
    data: dict[str, Any] = {"name": name, "version": version, **extra}
    if changes:
        data["changes"] = changes
    data["themes"] = THEMES
    data["codes"] = [_code(c) for c in codes]
    out = io.StringIO()
    y = YAML()
    y.default_flow_style = None
    y.dump(data, out)
    return out.getvalue()


def coding(doc: str, start: int, code: str, *, coder: str = "AB", version: str | None = "0.1.0",
           memo: str | None = None, status: str = "manual") -> Coding:
    """A fictional coding of ``doc`` at start..start+10."""
    return Coding(document_id=doc, start=start, end=start + 10, code_id=code, coder=coder, status=status,  # type: ignore[arg-type]
                  text="x" * 10, codebook_version=version, provenance=Provenance("manual"), memo=memo)


def _run(*args: Any):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


# -- 1. chains of released entries migrate in one go ------------------------------------------------------


@pytest.mark.parametrize("changes, codes, expect, flag", [
    ([{"version": "0.2.0", "rename": {"from": "alpha", "to": "alpha2"}},
      {"version": "0.3.0", "rename": {"from": "alpha2", "to": "alpha3"}}], ["alpha3", "beta"], "alpha3", None),
    ([{"version": "0.2.0", "merge": {"from": ["alpha", "beta"], "into": "gamma"}},
      {"version": "0.3.0", "rename": {"from": "gamma", "to": "delta"}}], ["delta"], "delta", None),
    ([{"version": "0.2.0", "rename": {"from": "alpha", "to": "alpha2"}},
      {"version": "0.3.0", "split": {"from": "alpha2", "into": ["left", "right"]}}],
     ["beta", "left", "right"], "alpha2", "split: choose left or right"),
], ids=["rename-rename", "merge-rename", "rename-split"])
def test_chained_entries_all_apply_in_one_migration(store, changes, codes, expect, flag):
    store.add_codings([coding("d1", 0, "alpha"), coding("d1", 20, "alpha", coder="CD")])
    cb = loads_codebook(cb_text("0.3.0", codes, changes))
    report = migrate(cb, store, actor="HT")
    after = store.codings()
    assert after["code_id"].tolist() == [expect, expect]
    assert (after["codebook_version"] == "0.3.0").all()
    if flag is None:
        assert after["flag"].isna().all()
    else:
        assert all(str(f).startswith(flag) for f in after["flag"])
    assert migrate(cb, store, actor="HT").touched == 0  # nothing left to do
    assert report.count_before == report.count_after == 2


def test_chain_within_one_release(store):
    store.add_codings([coding("d1", 0, "alpha")])
    cb = loads_codebook(cb_text("0.2.0", ["alpha3", "beta"], [
        {"version": "0.2.0", "rename": {"from": "alpha", "to": "alpha2"}},
        {"version": "0.2.0", "rename": {"from": "alpha2", "to": "alpha3"}}]))
    migrate(cb, store, actor="HT")
    assert store.codings()["code_id"].tolist() == ["alpha3"]


# -- 2. pre-release versions ---------------------------------------------------------------------------


def test_prerelease_orders_before_its_release():
    from thematic.codebook.semver import bump_version, semver_key

    order = ["0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
             "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1"]
    assert sorted(reversed(order), key=semver_key) == order
    assert semver_key("1.0.0+build.5") == semver_key("1.0.0")
    assert semver_key("draft") < semver_key("0.0.0")
    assert bump_version("1.0.0-rc.1", "patch") == "1.0.0"
    assert bump_version("1.2.0-rc.1", "minor") == "1.2.0"
    assert bump_version("1.2.3", "minor") == "1.3.0"


def test_codings_made_under_a_prerelease_get_the_release_changes(store):
    store.add_codings([coding("d1", 0, "alpha", version="1.0.0-rc.1")])
    cb = loads_codebook(cb_text("1.0.0", ["alpha2", "beta"],
                                [{"version": "1.0.0", "rename": {"from": "alpha", "to": "alpha2"}}]))
    report = migrate(cb, store, actor="HT")
    assert report.remapped == 1
    row = store.codings().iloc[0]
    assert row["code_id"] == "alpha2" and row["codebook_version"] == "1.0.0"


def test_prerelease_entries_are_pending_until_released():
    cb = loads_codebook(cb_text("1.0.0-rc.1", ["alpha2", "beta"],
                                [{"version": "1.0.0", "rename": {"from": "alpha", "to": "alpha2"}}]))
    assert [e.version for e in cb.pending_changes()] == ["1.0.0"] and cb.released_changes() == []


# -- 4. the codebook's name never escapes codebooks/.versions/ ----------------------------------------


@pytest.mark.parametrize("name", ["/tmp/cbx/abs", "../../escaped", "a/b", "a\\b", ".hidden", "", "bad\x07name",
                                  "..", "with\nnewline"])
def test_unsafe_name_is_a_validation_problem(tmp_path, name):
    path = tmp_path / "cb.yaml"
    path.write_text(cb_text("0.1.0", ["alpha"], name=name), encoding="utf-8")
    problems = validate_codebook(path)
    assert any(p.code == "C019" and p.line == 1 for p in problems), problems
    with pytest.raises(Exception) as err:
        load_codebook(path)
    assert "C019" in str(err.value)


def test_frozen_path_stays_inside_versions_regardless_of_name(tmp_path):
    from thematic.codebook.release import frozen_path, versions_dir

    cb_file = tmp_path / "codebooks" / "cb.yaml"
    for name in ("/tmp/cbx/abs", "../../escaped", "..", "", "a/../../b", "C:\\x"):
        for version in ("0.1.0", "../../0.1.0"):
            p = frozen_path(cb_file, name, version)
            assert p.resolve().parent == versions_dir(cb_file).resolve(), (name, version, p)


def test_bump_with_a_path_for_a_name_writes_nothing_outside_the_study(study, tmp_path):
    outside = tmp_path / "outside"
    study.codebook_path.write_text(cb_text("0.1.0", ["alpha"], name=str(outside / "abs")), encoding="utf-8")
    result = _run("codebook", "bump", "--current", "--study", study.root)
    assert result.exit_code == 1 and "C019" in result.output and "Traceback" not in result.output
    assert not outside.exists()
    escaped = study.root / "codebooks" / "escaped-0.1.0.yaml"
    study.codebook_path.write_text(cb_text("0.1.0", ["alpha"], name="../escaped"), encoding="utf-8")
    assert _run("codebook", "bump", "--current", "--study", study.root).exit_code == 1
    assert not escaped.exists() and not (study.root / "escaped-0.1.0.yaml").exists()


# -- 3. a merge that makes two identical codings keeps one; one coding can be removed by its id ----------


def _merge_cb() -> Any:
    return loads_codebook(cb_text("0.2.0", ["beta"], [{"version": "0.2.0", "merge": {"from": ["alpha", "beta"],
                                                                                       "into": "beta"}}]))


def test_merge_duplicate_is_resolved_keeping_one_with_both_memos(store):
    store.add_codings([coding("d1", 0, "alpha", memo="first look"), coding("d1", 0, "beta", memo="second look"),
                       coding("d1", 20, "alpha"), coding("d1", 0, "alpha", coder="CD")])
    report = migrate(_merge_cb(), store, actor="HT")
    after = store.codings()
    assert report.count_before == 4 and report.count_after == 3 and report.removed == 1
    assert after["code_id"].tolist() == ["beta", "beta", "beta"] and after["flag"].isna().all()
    kept = after[(after["start"] == 0) & (after["coder"] == "AB")].iloc[0]
    assert "first look" in kept["memo"] and "second look" in kept["memo"]
    events = store.events()
    removed = events[events["kind"] == "remove"]
    assert len(removed) == 1 and "duplicate of" in removed["note"].iloc[0] and "merge" in removed["note"].iloc[0]
    assert migrate(_merge_cb(), store, actor="HT").touched == 0


def test_merge_duplicate_with_a_different_status_is_flagged_and_removable_by_id(store):
    from thematic.coding.manual import uncode_id

    store.add_codings([coding("d1", 0, "alpha"), coding("d1", 0, "beta", status="rejected")])
    report = migrate(_merge_cb(), store, actor="HT")
    assert report.removed == 0 and report.flagged == 1
    flagged = store.codings(flagged=True)
    assert flagged["flag"].iloc[0].startswith("merge: duplicate of")
    assert uncode_id(store, flagged["coding_id"].iloc[0], coder="AB") == 1
    assert len(store.codings()) == 1
    with pytest.raises(Exception, match="E212"):
        uncode_id(store, "no-such-id", coder="AB")


def test_code_remove_by_id_removes_exactly_one(study):
    study.codebook_path.write_text(cb_text("0.1.0", ["alpha", "beta"]), encoding="utf-8")
    study.store.add_codings([coding("d1", 0, "beta"), coding("d1", 0, "beta", coder="CD")])
    ids = study.store.codings()["coding_id"].tolist()
    other = _run("code", "remove", "--id", ids[1], "--coder", "AB", "--study", study.root)
    assert other.exit_code == 1 and "E212" in other.output and len(study.store.codings()) == 2
    result = _run("code", "remove", "--id", ids[0], "--coder", "AB", "--study", study.root)
    assert result.exit_code == 0, result.output
    assert study.store.codings()["coding_id"].tolist() == [ids[1]]


def test_codebook_flagged_lists_flagged_codings_with_ids(study):
    study.codebook_path.write_text(cb_text("0.2.0", ["beta"], [{"version": "0.2.0", "merge": {
        "from": ["alpha", "beta"], "into": "beta"}}]), encoding="utf-8")
    study.store.add_codings([coding("d1", 0, "alpha"), coding("d1", 0, "beta", status="rejected")])
    assert "No flagged codings" in _run("codebook", "flagged", "--study", study.root).output
    migrated = _run("codebook", "migrate", "--study", study.root)
    assert migrated.exit_code == 0 and "codebook flagged" in migrated.output
    listed = _run("codebook", "flagged", "--study", study.root)
    cid = study.store.codings(flagged=True)["coding_id"].iloc[0]
    assert listed.exit_code == 0 and cid in listed.output and "merge: duplicate of" in listed.output


# -- 9. a retired code cannot be applied by hand ----------------------------------------------------------


def _retired_text() -> str:
    return cb_text("0.2.0", ["alpha", "beta"], [{"version": "0.2.0", "retire": {"code": "alpha"},
                                                 "note": "use beta instead"}])


def test_retired_code_is_refused_by_check_code_and_study_code(study):
    from thematic.coding.manual import check_code
    from thematic.errors import InputError

    cb = loads_codebook(_retired_text())
    with pytest.raises(InputError, match=r"E210.*alpha.*retired in codebook 0.2.0.*use beta instead"):
        check_code(cb, "alpha")
    check_code(cb, "beta")
    study.codebook_path.write_text(_retired_text(), encoding="utf-8")
    with pytest.raises(InputError, match="E210"):
        study.code(("d1", 0, 5), "alpha", coder="AB")


def test_code_add_of_a_retired_code_fails_but_remove_works(study):
    study.codebook_path.write_text(_retired_text(), encoding="utf-8")
    study.store.add_codings([coding("d1", 0, "alpha", version="0.1.0")])
    result = _run("code", "add", "--document", "d1", "--start", "0", "--end", "5", "alpha", "--coder", "AB",
                  "--study", study.root)
    assert result.exit_code == 1 and "E210" in result.output and "Traceback" not in result.output
    cid = study.store.codings()["coding_id"].iloc[0]
    assert _run("code", "remove", "--id", cid, "--coder", "AB", "--study", study.root).exit_code == 0


# -- 6. a version lowered by hand ---------------------------------------------------------------------------


def test_bump_refuses_a_version_below_the_highest_released(study):
    from thematic.errors import CodebookError

    path = study.codebook_path
    path.write_text(cb_text("0.1.1", ["alpha", "beta"]), encoding="utf-8")
    release_codebook(path, study.store, None)
    path.write_text(cb_text("0.0.9", ["alpha", "beta", "gamma"]), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"E208.*0\.0\.10.*0\.1\.1"):
        release_codebook(path, study.store, "patch")
    with pytest.raises(CodebookError, match="E208"):
        release_codebook(path, study.store, None)
    result = _run("codebook", "bump", "patch", "--study", study.root)
    assert result.exit_code == 1 and "E208" in result.output and "0.1.1" in result.output
    assert not list((path.parent / ".versions").glob("*0.0.10*"))


def test_codings_newer_than_the_codebook_are_reported(study):
    study.codebook_path.write_text(cb_text("0.0.9", ["alpha", "beta"]), encoding="utf-8")
    study.store.add_codings([coding("d1", 0, "alpha", version="0.1.1"), coding("d1", 20, "beta", version="0.0.9")])
    report = migrate(load_codebook(study.codebook_path), study.store, actor="HT")
    assert report.newer == (("0.1.1", 1),)
    migrated = _run("codebook", "migrate", "--study", study.root)
    assert "W385" in migrated.output and "0.1.1" in migrated.output
    assert "Nothing to migrate: every coding is at" not in migrated.output
    validated = _run("codebook", "validate", "--study", study.root)
    assert validated.exit_code == 0 and "W385" in validated.output
    assert "W385" in _run("codebook", "show", "--study", study.root).output
    assert "W385" in _run("status", "--study", study.root).output


def test_bump_with_nothing_changed_is_refused(study):
    from thematic.errors import CodebookError

    study.codebook_path.write_text(cb_text("0.1.0", ["alpha", "beta"]), encoding="utf-8")
    release_codebook(study.codebook_path, study.store, None)
    with pytest.raises(CodebookError, match="E209"):
        release_codebook(study.codebook_path, study.store, "patch")
    assert release_codebook(study.codebook_path, study.store, None).version == "0.1.0"  # same release: no-op


# -- 8. bracketed text survives in every codebook command's output ----------------------------------------


def test_validate_keeps_bracketed_text_in_messages(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: cb\nversion: 0.1.0\nthemes:\n- id: theme_a\n  definition: A theme.\ncodes:\n- id: alpha\n"
                   "  parent: theme_a\n  definition: A code.\n  keywords: vetting\n", encoding="utf-8")
    result = _run("codebook", "validate", bad)
    assert result.exit_code == 1 and "keywords: [first, second]" in result.output, result.output


def test_show_and_diff_keep_bracketed_labels(study):
    text = cb_text("0.1.0", ["alpha", "beta"]).replace("label: Alpha", "label: '[draft] Alpha [b]'")
    study.codebook_path.write_text(text, encoding="utf-8")
    shown = _run("codebook", "show", "--study", study.root)
    assert shown.exit_code == 0 and "[draft] Alpha [b]" in shown.output, shown.output
    other = study.root / "other.yaml"
    other.write_text(text.replace("label: Beta", "label: '[new] Beta'"), encoding="utf-8")
    diff = _run("codebook", "diff", study.codebook_path, other, "--study", study.root)
    assert diff.exit_code == 0 and "[new] Beta" in diff.output, diff.output


# -- 10. `codebook show` gives true advice about codes only the store has --------------------------------------


def test_show_says_split_and_retired_codes_are_recorded_and_points_to_flagged(study):
    study.store.add_codings([coding("d1", 0, "beta"), coding("d1", 20, "gamma"), coding("d1", 40, "stray")])
    study.codebook_path.write_text(cb_text("0.2.0", ["alpha", "left", "right"], [
        {"version": "0.2.0", "split": {"from": "beta", "into": ["left", "right"]}},
        {"version": "0.2.0", "retire": {"code": "gamma"}}]), encoding="utf-8")
    assert _run("codebook", "migrate", "--study", study.root).exit_code == 0
    shown = _run("codebook", "show", "--study", study.root)
    out = " ".join(shown.output.split())
    assert shown.exit_code == 0
    assert "beta (1): split into left, right in 0.2.0" in out and "gamma (1): retired in 0.2.0" in out
    assert "stray (1): not in the changes log" in out and "thematic codebook flagged" in out
    assert "Record them in `changes`" not in out


# -- 7. bump keeps the file's bytes: BOM, line endings; the frozen copy is the released file ------------------


@pytest.mark.parametrize("bom, eol", [(b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\n")])
def test_bump_changes_only_the_version_bytes(study, bom, eol):
    text = ("# a comment\nname: cb\nversion: 0.1.0   # the version\nthemes:\n- id: theme_a\n  definition: A theme.\n"
            "codes:\n- id: alpha\n  parent: theme_a\n  definition: 'A code: \"quoted\"'\n")
    original = bom + text.encode("utf-8").replace(b"\n", eol)
    path = study.codebook_path
    path.write_bytes(original)
    first = release_codebook(path, study.store, None)
    assert path.read_bytes() == original and first.frozen.read_bytes() == original
    edited = original.replace(b"A theme.", b"A theme, edited.")
    path.write_bytes(edited)
    release = release_codebook(path, study.store, "patch")
    assert path.read_bytes() == edited.replace(b"version: 0.1.0", b"version: 0.1.1")
    assert release.frozen.read_bytes() == path.read_bytes()
    assert load_codebook(path).version == "0.1.1"
    from thematic.codebook import release_state

    assert release_state(load_codebook(path), study.store) == "released"


# -- 5. a rename can be undone by a later rename ------------------------------------------------------------


def test_rename_back_validates_and_migrates(study):
    path = study.codebook_path
    path.write_text(cb_text("0.1.0", ["alpha", "beta"]), encoding="utf-8")
    release_codebook(path, study.store, None)
    study.store.add_codings([coding("d1", 0, "alpha"), coding("d1", 20, "beta")])
    there = {"version": "0.2.0", "rename": {"from": "alpha", "to": "alpha2"}}
    path.write_text(cb_text("0.1.0", ["alpha2", "beta"], [there]), encoding="utf-8")
    release_codebook(path, study.store, "minor")
    migrate(load_codebook(path), study.store, actor="HT")
    assert sorted(study.store.codings()["code_id"]) == ["alpha2", "beta"]
    back = {"version": "0.3.0", "rename": {"from": "alpha2", "to": "alpha"}}
    path.write_text(cb_text("0.2.0", ["alpha", "beta"], [there, back]), encoding="utf-8")
    assert validate_codebook(path) == []
    release_codebook(path, study.store, "minor")
    result = _run("codebook", "migrate", "--study", study.root)
    assert result.exit_code == 0, result.output
    after = study.store.codings()
    assert sorted(after["code_id"]) == ["alpha", "beta"] and (after["codebook_version"] == "0.3.0").all()
    assert after["flag"].isna().all()


def test_a_code_renamed_away_and_still_defined_is_still_c016(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(cb_text("0.2.0", ["alpha", "alpha2"], [{"version": "0.2.0", "rename": {"from": "alpha",
                                                                                            "to": "alpha2"}}]))
    assert [p.code for p in validate_codebook(path)] == ["C016"]


# -- 11. a codebook too large to be one is refused before it is read --------------------------------------------


def test_oversized_codebook_is_refused_before_parsing(tmp_path):
    from thematic.codebook.io import MAX_CODEBOOK_BYTES
    from thematic.errors import CodebookError

    path = tmp_path / "huge.yaml"
    path.write_text(cb_text("0.1.0", ["alpha"]) + "#" * (MAX_CODEBOOK_BYTES + 10) + "\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="E211"):
        load_codebook(path)
    assert [p.code for p in validate_codebook(path)] == ["E211"] and "E211" in str(validate_codebook(path)[0])
    result = _run("codebook", "validate", path)
    assert result.exit_code == 1 and "E211" in result.output and "Traceback" not in result.output


def test_one_parse_serves_validate_load_and_the_rules(tmp_path):
    from thematic.codebook import parse
    from thematic.coding.rule_check import codebook_rules

    path = tmp_path / "cb.yaml"
    path.write_text(cb_text("0.1.0", ["alpha"]), encoding="utf-8")
    assert validate_codebook(path) == []
    first = parse._last[1]
    load_codebook(path)
    codebook_rules(path)
    assert parse._last[1] is first  # the same parsed document: no second parse
    path.write_text(cb_text("0.1.1", ["alpha"]), encoding="utf-8")
    assert load_codebook(path).version == "0.1.1" and parse._last[1] is not first  # a changed file is read again


# -- small: an unquoted colour, dot-files ---------------------------------------------------------------------


def test_unquoted_colour_is_a_problem_with_its_line(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("name: cb\nversion: 0.1.0\nthemes:\n- id: theme_a\n  definition: A theme.\n  color: '#00ff00'\n"
                    "codes:\n- id: alpha\n  parent: theme_a\n  definition: A code.\n  color: #ff0000\n"
                    "- id: beta\n  parent: theme_a\n  definition: B code.\n  color:\n", encoding="utf-8")
    problems = validate_codebook(path)
    assert [(p.code, p.line) for p in problems] == [("C014", 11)]
    assert "color: '#ff0000'" in problems[0].message


def test_dot_files_and_editor_temp_files_are_not_a_second_codebook(study):
    codebooks = study.root / "codebooks"
    for stray in (".hidden.yaml", ".#codebook.yaml", "~$codebook.yaml", "codebook.yaml~"):
        (codebooks / stray).write_text("junk: [", encoding="utf-8")
    (codebooks / "mine.yaml").write_text(cb_text("0.1.0", ["alpha"]), encoding="utf-8")
    for extra in codebooks.glob("*.yaml"):
        if extra.name not in ("mine.yaml", ".hidden.yaml", ".#codebook.yaml", "~$codebook.yaml"):
            extra.unlink()
    result = _run("codebook", "validate", "--study", study.root)
    assert result.exit_code == 0 and "mine.yaml is valid" in result.output, result.output
