"""Validation: every problem type, reported at once with file:line and a fix; never a traceback."""

from __future__ import annotations

import textwrap

import pytest

from thematic.codebook import load_codebook, loads_codebook, validate_codebook, validate_text
from thematic.errors import CodebookError

HEAD = "name: t\nversion: 0.1.0\nthemes:\n- {id: th, label: Theme, definition: A theme.}\ncodes:\n"
OK_CODE = "- {id: ok_code, parent: th, definition: Fine.}\n"


def _problems(text: str) -> list:
    return validate_text(textwrap.dedent(text), path="cb.yaml")


# (case name, YAML text, expected problem code, expected line, a word the message must contain)
CASES = [
    ("not a mapping", "- a\n- b\n", "C002", 1, "mapping"),
    ("missing version", "name: t\nthemes: []\ncodes:\n" + OK_CODE.replace("th", "x"), "C003", 1, "version"),
    ("bad semver", HEAD.replace("0.1.0", "1.0") + OK_CODE, "C003", 2, "semver"),
    ("entry without id", HEAD + "- {label: No id, parent: th, definition: x}\n", "C004", 6, "id"),
    ("malformed id", HEAD + "- {id: Peer-Help, parent: th, definition: x}\n", "C005", 6, "peer_help"),
    ("duplicate id", HEAD + OK_CODE + OK_CODE, "C006", 7, "line 6"),
    ("unknown parent", HEAD + "- {id: a, parent: thx, definition: x}\n", "C007", 6, "Did you mean 'th'"),
    ("cycle", HEAD + "- {id: a, parent: b, definition: x}\n- {id: b, parent: a, definition: x}\n", "C008", 6,
     "a -> b -> a"),
    ("empty definition", HEAD + "- {id: a, parent: th, definition: '  '}\n", "C009", 6, "definition"),
    ("missing definition", HEAD + "- {id: a, parent: th}\n", "C009", 6, "definition"),
    ("unknown token attribute", HEAD + "- id: a\n  parent: th\n  definition: x\n  patterns:\n  - [{LEMA: vet}]\n",
     "C010", 10, "LEMMA"),
    ("pattern not a list", HEAD + "- id: a\n  parent: th\n  definition: x\n  patterns:\n  - {LEMMA: vet}\n",
     "C010", 10, "list"),
    ("spaCy rejects pattern", HEAD + "- id: a\n  parent: th\n  definition: x\n  patterns:\n  - [{LEMMA: vet}]\n"
     "  - [{LOWER: been, OP: '?x'}]\n", "C010", 11, "spaCy"),
    ("unknown key", HEAD + "- {id: a, parent: th, definition: x, keywrods: [vet]}\n", "C011", 6,
     "Did you mean 'keywords'"),
    ("unknown top-level key", HEAD.replace("name: t\n", "nmae: t\n") + OK_CODE, "C011", 1, "'name'"),
    ("keywords not a list", HEAD + "- id: a\n  parent: th\n  definition: x\n  keywords: vetting\n", "C012", 9,
     "list"),
    ("label not text", HEAD + "- {id: a, parent: th, definition: x, label: [1, 2]}\n", "C012", 6, "text"),
    ("codes not a list", HEAD.replace("codes:\n", "codes: 3\n"), "C012", 5, "list"),
    ("changes entry malformed", HEAD + OK_CODE + "changes:\n- {version: 0.1.0, rename: {from: a}}\n", "C013", 8,
     "rename: {from: old_id, to: new_id}"),
    ("changes entry without version", HEAD + OK_CODE + "changes:\n- {note: hello}\n", "C013", 8, "version"),
    ("changes entry two kinds", HEAD + OK_CODE + "changes:\n- {version: 0.1.0, retire: {code: a}, "
     "rename: {from: a, to: ok_code}}\n", "C013", 8, "one change per entry"),
    ("bad color", HEAD + "- {id: a, parent: th, definition: x, color: red}\n", "C014", 6, "#RRGGBB"),
    ("theme with parent", HEAD.replace("definition: A theme.", "definition: A theme., parent: th") + OK_CODE,
     "C015", 4, "themes are the top level"),
    ("code without parent", HEAD + "- {id: a, definition: x}\n", "C015", 6, "parent"),
    ("rename target missing", HEAD + OK_CODE + "changes:\n- {version: 0.1.0, rename: {from: old, to: nowhere}}\n",
     "C016", 8, "'nowhere' is not defined"),
    ("renamed source still defined", HEAD + OK_CODE + "- {id: new_code, parent: th, definition: y}\n"
     "changes:\n- {version: 0.1.0, rename: {from: ok_code, to: new_code}}\n", "C016", 9, "still defined"),
    ("no codes", "name: t\nversion: 0.1.0\nthemes:\n- {id: th, definition: x}\ncodes: []\n", "C017", 5, "no codes"),
    ("schema version", HEAD.replace("name: t\n", "name: t\nschema_version: 9\n") + OK_CODE, "C018", 2, "9"),
]


@pytest.mark.parametrize("name,text,code,line,word", CASES, ids=[c[0] for c in CASES])
def test_validate_reports_each_problem_type_with_line_and_fix(name, text, code, line, word):
    problems = _problems(text)
    matching = [p for p in problems if p.code == code]
    assert matching, f"expected {code}, got {[str(p) for p in problems]}"
    assert matching[0].line == line
    assert word in matching[0].message
    assert str(matching[0]).startswith(f"cb.yaml:{line}: [{code}]")


def test_validate_reports_every_problem_at_once(write_yaml):
    text = HEAD + ("- {id: Bad-Id, parent: nope, definition: ''}\n"
                   "- {id: b, parent: th, definition: x, colour: '#ffffff', keywords: vet}\n")
    path = write_yaml(text)
    codes = sorted(p.code for p in validate_codebook(path))
    assert codes == ["C005", "C007", "C009", "C011", "C012"]
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert "5 problems" in message and f"{path}:6: [C005]" in message and f"{path}:7: [C011]" in message
    assert len(info.value.problems) == 5


@pytest.mark.parametrize("text,line", [
    ("name: t\nversion: 0.1.0\ncodes:\n  - id: a\n   parent: b\n", 5),          # bad indentation
    ("name: t\nversion: 0.1.0\nname: again\ncodes: []\n", 3),                  # duplicate key
    ("name: t\nversion: 0.1.0\ncodes: [a, b\n", 4),                            # unclosed flow list
    ("name: 'unterminated\nversion: 0.1.0\n", 3),                              # unclosed quote
])
def test_yaml_syntax_error_is_one_clear_error_with_line(text, line):
    with pytest.raises(CodebookError) as info:
        loads_codebook(text, path="cb.yaml")
    message = str(info.value)
    assert message.count("[C001]") == 1 and f"cb.yaml:{line}:" in message
    assert "Traceback" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_validate_codebook_returns_syntax_problem_instead_of_raising(write_yaml):
    problems = validate_codebook(write_yaml("a: [\n"))
    assert [p.code for p in problems] == ["C001"]


def test_unreadable_file_is_a_coded_error(tmp_path):
    with pytest.raises(CodebookError, match=r"\[E021\].*missing.yaml"):
        load_codebook(tmp_path / "missing.yaml")
    assert validate_codebook(tmp_path / "missing.yaml")[0].code == "E021"  # its own code, not C001 (syntax)


def test_valid_codebook_has_no_problems_and_loads(write_yaml, make_yaml):
    path = write_yaml(make_yaml())
    assert validate_codebook(path) == []
    cb = load_codebook(path)
    assert cb.version == "0.1.0" and [c.id for c in cb.codes] == ["peer_help", "staff_help", "vetting", "money"]


def test_load_does_not_import_spacy_for_patterns(write_yaml):
    """Loading uses the quick pattern check; spaCy's own check runs in validate only."""
    bad_for_spacy = HEAD + "- id: a\n  parent: th\n  definition: x\n  patterns:\n  - [{LOWER: been, OP: '?x'}]\n"
    assert loads_codebook(bad_for_spacy).codes[0].id == "a"
    assert [p.code for p in validate_text(bad_for_spacy)] == ["C010"]


def test_rename_chain_targets_may_be_renamed_later():
    text = HEAD + "- {id: c, parent: th, definition: x}\nchanges:\n" \
        "- {version: 0.1.0, rename: {from: a, to: b}}\n- {version: 0.1.0, rename: {from: b, to: c}}\n"
    assert _problems(text) == []


def test_pending_changes_entries_are_allowed():
    text = HEAD + OK_CODE + "- {id: new_code, parent: th, definition: y}\nchanges:\n" \
        "- {version: 0.2.0, rename: {from: old_code, to: new_code}}\n"
    cb = loads_codebook(text)
    assert [e.describe() for e in cb.pending_changes()] == ["0.2.0 rename old_code -> new_code"]
    assert cb.released_changes() == []
