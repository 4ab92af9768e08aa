"""C016 for a `retire` of a theme that only the released copies define (the theme and its codes deleted from the
file) used to list none of its codes and to suggest `retire: {code: a}`, a placeholder that is no code of the
codebook; a theme with no codes got the same placeholder.

What is true now: the codes under the theme are read from the released copy that shows it was a theme, and C016
lists them and suggests retiring the first; when a theme has no codes, no example id is suggested at all."""

from __future__ import annotations

from thematic.codebook import release_codebook, validate_codebook, validate_text

SUPPORT = [{"id": "support", "label": "Support", "definition": "Help that people give one another."}]


def test_a_deleted_theme_lists_its_codes_from_the_released_copy(study, make_yaml, base_codes):
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    release_codebook(path, study.store, None)
    kept = [c for c in base_codes if c["parent"] == "support"]
    path.write_text(make_yaml("0.1.0", themes=SUPPORT, codes=kept,
                              changes=[{"version": "0.2.0", "retire": {"code": "barriers"}}]), encoding="utf-8")
    problems = [p for p in validate_codebook(path) if p.code == "C016"]
    assert len(problems) == 1, problems
    message = problems[0].message
    assert "'barriers' was a theme" in message
    assert "(its codes: vetting, money)" in message
    assert "{version: 0.2.0, retire: {code: vetting}}" in message
    assert "code: a}" not in message


def test_a_theme_without_codes_gets_no_made_up_example(make_yaml, base_codes):
    themes = SUPPORT + [{"id": "empty", "label": "Empty", "definition": "Nothing under it yet."}]
    kept = [c for c in base_codes if c["parent"] == "support"]
    text = make_yaml("0.2.0", themes=themes, codes=kept, changes=[{"version": "0.2.0", "retire": {"code": "empty"}}])
    problems = [p for p in validate_text(text, path="cb.yaml") if p.code == "C016"]
    assert len(problems) == 1, problems
    assert "'empty' is a theme" in problems[0].message
    assert "code: a}" not in problems[0].message and "retire: {code:" not in problems[0].message
