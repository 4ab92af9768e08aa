"""A `retire` entry that named a theme (`retire: {code: work}`) used to validate and release, and `codebook diff`
then reported the theme "retired", yet nothing was retired: its codes could still be applied by hand, in sheets and
by suggesters, `show` marked nothing and `migrate` flagged nothing, because a retirement acts on a code's codings
and a theme holds none.

What is true now: validation refuses such an entry (C016 at the entry's line, naming the theme and its codes and
saying to retire each code with an entry of its own), so `bump` never releases it and `diff` never reports a
retirement that did not happen. This holds too when the file no longer defines the theme and a released copy in
codebooks/.versions/ shows it was one. Retiring a code, and retiring each code of a theme, are fine."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import release_codebook, validate_codebook, validate_text
from thematic.errors import CodebookError

runner = CliRunner()


def _line(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith(start))


def test_retiring_a_theme_the_file_defines_is_refused_at_its_line(make_yaml):
    text = make_yaml("0.2.0", changes=[{"version": "0.2.0", "retire": {"code": "barriers"}, "note": "dropped"}])
    problems = [p for p in validate_text(text, path="cb.yaml") if p.code == "C016"]
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.path == "cb.yaml" and p.line == _line(text, "- version: 0.2.0")
    assert "'barriers' is a theme" in p.message
    assert "vetting, money" in p.message  # its codes, to retire one by one
    assert "{version: 0.2.0, retire: {code: vetting}}" in p.message


def test_retiring_each_code_of_a_theme_is_fine(make_yaml):
    text = make_yaml("0.2.0", changes=[{"version": "0.2.0", "retire": {"code": "vetting"}},
                                       {"version": "0.2.0", "retire": {"code": "money"}}])
    assert validate_text(text, path="cb.yaml") == []


def test_a_theme_retired_is_never_released_nor_shown_as_retired_by_diff(study, make_yaml):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    text = make_yaml("0.1.0", changes=[{"version": "0.2.0", "retire": {"code": "barriers"}}])
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match="C016"):
        release_codebook(path, study.store, "minor")
    assert not (path.parent / ".versions" / "mini-0.2.0.yaml").exists()
    result = runner.invoke(app, ["codebook", "diff", "0.1.0", "--study", str(study.root)])
    assert result.exit_code != 0
    assert f"{path.name}:{_line(text, '- version: 0.2.0')}" in result.output and "C016" in result.output
    assert "│ retired" not in result.output  # no diff table claims a retirement


def test_retiring_a_theme_the_file_no_longer_defines_is_refused_from_the_released_copy(study, make_yaml, base_codes):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    themes = [{"id": "support", "label": "Support", "definition": "Help that people give one another."}]
    codes = [{**c, "parent": "support"} for c in base_codes]
    text = make_yaml("0.1.0", themes=themes, codes=codes,
                     changes=[{"version": "0.2.0", "retire": {"code": "barriers"}}])
    path.write_text(text, encoding="utf-8")
    problems = [p for p in validate_codebook(path) if p.code == "C016"]
    assert len(problems) == 1 and problems[0].line == _line(text, "- version: 0.2.0"), problems
    assert "'barriers' was a theme" in problems[0].message
