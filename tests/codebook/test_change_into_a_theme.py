"""A rename, merge or split of a code *into a theme id* used to validate, release and migrate: the codings ended on
the theme, which no coder can apply (`code add` says E341, sheets have no theme column), and nothing was flagged.

What is true now: validation refuses it (C016 at the entry's line) when the file or the released copies in
codebooks/.versions/ show that a source is a code; so `bump` never releases it. A theme renamed to another theme
id (themes hold no codings) is still fine. When no released copy says what a source was, `migrate` refuses to
move codings onto a theme (the same C016, with the file and line), before anything is written."""

from __future__ import annotations

import pytest

from thematic.codebook import (load_codebook, loads_codebook, migrate, release_codebook, validate_codebook,
                               validate_text)
from thematic.errors import CodebookError

THEMES = [{"id": "support", "definition": "Help."}, {"id": "barriers", "definition": "Obstacles."}]


def _line(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith(start))


def test_a_split_of_a_code_in_the_file_into_a_theme_is_refused(make_yaml, base_codes):
    text = make_yaml("0.2.0", changes=[{"version": "0.2.0", "split": {"from": "money", "into": ["barriers", "vetting"]}}])
    problems = [p for p in validate_text(text, path="cb.yaml") if p.code == "C016"]
    assert len(problems) == 1 and problems[0].line == _line(text, "- version: 0.2.0")
    assert "'barriers' is a theme" in problems[0].message and "'money'" in problems[0].message


def test_a_merge_into_a_theme_is_refused_when_a_released_copy_shows_its_sources_were_codes(study, make_yaml,
                                                                                          base_codes):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    codes = [c for c in base_codes if c["id"] not in ("money", "vetting")]
    text = make_yaml("0.1.0", codes=codes,
                     changes=[{"version": "0.2.0", "merge": {"from": ["money", "vetting"], "into": "barriers"}}])
    path.write_text(text, encoding="utf-8")
    problems = [p for p in validate_codebook(path) if p.code == "C016"]
    assert len(problems) == 1 and problems[0].line == _line(text, "- version: 0.2.0"), problems
    assert "'barriers' is a theme" in problems[0].message and "no coder can apply" in problems[0].message
    with pytest.raises(CodebookError, match="C016"):
        release_codebook(path, study.store, "minor")
    assert load_codebook(path.parent / ".versions" / "mini-0.1.0.yaml").version == "0.1.0"
    assert not (path.parent / ".versions" / "mini-0.2.0.yaml").exists()


def test_a_theme_renamed_to_another_theme_id_is_fine(study, make_yaml, base_codes):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    themes = [THEMES[0], {"id": "obstacles", "definition": "Obstacles."}]
    codes = [{**c, "parent": "obstacles"} if c["parent"] == "barriers" else c for c in base_codes]
    path.write_text(make_yaml("0.1.0", themes=themes, codes=codes, changes=[
        {"version": "0.2.0", "rename": {"from": "barriers", "to": "obstacles"}}]), encoding="utf-8")
    assert validate_codebook(path) == []
    assert release_codebook(path, study.store, "minor").version == "0.2.0"


def test_migrate_refuses_to_move_codings_onto_a_theme_when_no_copy_says_what_the_source_was(store, make_yaml,
                                                                                             base_codes, make_coding):
    store.add_codings([make_coding("int01", 0, "money"), make_coding("int01", 20, "vetting")])
    codes = [c for c in base_codes if c["id"] != "money"]
    text = make_yaml("0.2.0", codes=codes, changes=[{"version": "0.2.0", "rename": {"from": "money", "to": "barriers"}}])
    cb = loads_codebook(text, path="cb.yaml")
    before = store.codings()
    with pytest.raises(CodebookError) as err:
        migrate(cb, store, actor="HT")
    message = str(err.value)
    assert "[C016]" in message and f"cb.yaml:{_line(text, '- version: 0.2.0')}" in message
    assert "'barriers' is a theme" in message and "1 coding" in message
    assert store.codings()["code_id"].tolist() == before["code_id"].tolist()  # nothing written
