"""A version whose numbers run to thousands of digits is "not a version", never a traceback.

What was wrong: the version check accepted numeric parts of any length, and comparing versions turned them into
Python ints, which refuse more than 4300 digits. A changes entry dated ``2.0.<5000 digits>`` made `codebook
validate` end in a ValueError traceback; as the codebook's own version it broke status, show, migrate and bump the
same way (while validate outside a study called it valid and printed all 5000 digits); and a coding sheet whose
hidden stamp held such a version made `import sheet` crash.

What is true now: each number of a version may have at most 18 digits. A longer one is a C003/C013 problem with the
file and line, quoted cut short, and a sheet whose stamp holds one is refused with E345.
"""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from coding.manual_support import codebook, fill_store
from thematic.cli.main import app
from thematic.codebook.semver import is_semver, semver_key
from thematic.codebook.validate import validate_codebook
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.errors import InputError

runner = CliRunner()
HUGE = "1" * 5000
CODEBOOK = """\
name: cb
version: {version}
{changes}themes:
- id: work
  definition: Work things.
codes:
- id: money
  parent: work
  definition: Talk about pay.
"""


def test_numbers_longer_than_18_digits_are_not_a_version():
    assert is_semver("1.0." + "9" * 18) and is_semver("1.0.0-rc." + "9" * 18)
    for value in ("1.0." + "9" * 19, f"2.0.{HUGE}", f"{HUGE}.0.0", f"1.0.0-rc.{HUGE}"):
        assert not is_semver(value)
        assert semver_key(value) < semver_key("0.0.0")


def test_changes_entry_with_a_huge_version_is_c013_with_its_line(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(CODEBOOK.format(version="1.0.0", changes=f"changes:\n- {{version: 2.0.{HUGE}, note: x}}\n"),
                    encoding="utf-8")
    problems = validate_codebook(path)
    assert [(p.code, p.line) for p in problems] == [("C013", 4)]
    assert len(str(problems[0])) < 600


def test_validate_outside_a_study_does_not_print_the_huge_number(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(CODEBOOK.format(version=f"1.0.{HUGE}", changes=""), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 1 and "C003" in result.output and "other.yaml:2" in result.output
    assert HUGE[:200] not in result.output and "Traceback" not in result.output


def test_study_commands_report_c003_instead_of_crashing(study):
    study.codebook_path.write_text(CODEBOOK.format(version=f"1.0.{HUGE}", changes=""), encoding="utf-8")
    root = str(study.root)
    for args in (["codebook", "validate"], ["status"], ["codebook", "show"], ["codebook", "migrate"],
                 ["codebook", "bump", "minor"]):
        result = runner.invoke(app, [*args, "--study", root])
        assert not isinstance(result.exception, ValueError), (args, result.exception)
        assert "C003" in result.output, (args, result.output[-500:])
        assert HUGE[:200] not in result.output


def test_sheet_stamped_with_a_huge_version_is_refused_with_e345(store, tmp_path):
    fill_store(store)
    cb = codebook()
    sheet = export_sheet(store, tmp_path / "AB.xlsx", coder="AB", codebook=cb).path
    wb = openpyxl.load_workbook(sheet)
    for row in wb["about"].iter_rows():
        if row[0].value == "codebook_version":
            row[1].value = f"1.2.{HUGE}"
    wb.save(sheet)
    try:
        import_sheet(store, sheet, coder="AB", codebook=cb)
    except InputError as exc:
        assert "[E345]" in str(exc) and "codebook_version" in str(exc) and len(str(exc)) < 600
    else:
        raise AssertionError("the sheet was imported")
