"""A two-code keyword codebook and a CLI runner for the regression tests that build a tiny study by hand."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "150"}

CODEBOOK = """\
name: tiny
version: 0.1.0
themes:
- id: barriers
  label: Barriers
  definition: Things in the way.
codes:
- id: money
  label: Money
  parent: barriers
  definition: Talk about funding and money.
  keywords: [funding]
- id: work
  label: Work
  parent: barriers
  definition: Talk about jobs.
  keywords: [job]
"""


def cli(root: Path, *args: str, stdin: str | None = None) -> str:
    """Run ``thematic ARGS --study ROOT``; its output (the command must succeed)."""
    res = runner.invoke(app, [*args, "--study", str(root)], input=stdin, env=ENV)
    assert res.exit_code == 0, res.output
    return res.output


METHODS_CODEBOOK = """\
name: methods
version: 1.0.0
themes:
- {id: methods, label: Methods, definition: Research methods.}
codes:
- {id: online, label: Online, parent: methods, definition: Teaching online.}
- {id: covid, label: Covid, parent: methods, definition: Covid.}
"""


def codebook_yaml(codes: str, *, name: str = "cb", theme: str = "life") -> str:
    """A codebook of one theme ``theme`` holding ``codes`` (YAML list items under ``codes:``, each naming its parent)."""
    label = theme.capitalize()
    return (f"name: {name}\nversion: 1.0.0\nschema_version: 1\nthemes:\n"
            f"- {{id: {theme}, label: {label}, definition: {label}.}}\ncodes:\n{codes}")


def study_with(root: Path, codebook: str, files: dict[str, str] | None = None, *, coders: tuple[str, ...] = (),
               toml: str = "", name: str = "s") -> Path:
    """A new study at ``root`` whose only codebook (``cb.yaml``) is ``codebook``, with ``files`` (name -> text) in
    data/raw, ``coders`` listed in thematic.toml and ``toml`` appended to it; not ingested."""
    from thematic.study import init_study

    init_study(root, name=name).close()
    for cb in (root / "codebooks").glob("*.yaml"):
        cb.unlink()
    (root / "codebooks" / "cb.yaml").write_text(codebook, encoding="utf-8")
    path = root / "thematic.toml"
    text = path.read_text(encoding="utf-8")
    if coders:
        text = text.replace("coders = []", "coders = [" + ", ".join(f'"{c}"' for c in coders) + "]", 1)
    path.write_text(text + toml, encoding="utf-8")
    for file, content in (files or {}).items():
        (root / "data" / "raw" / file).write_text(content, encoding="utf-8")
    return root


def methods_study(root: Path, files: dict[str, str], *, coders: tuple[str, ...] = ()) -> Path:
    """A new study at ``root`` whose only codebook is ``METHODS_CODEBOOK`` (codes online, covid), with
    ``files`` (name -> text) in data/raw and ``coders`` listed in thematic.toml; not ingested."""
    return study_with(root, METHODS_CODEBOOK, files, coders=coders, name="methods")


def tick_in_sheet(sheet: Path, starts: str, code: str) -> str:
    """Tick ``code`` on the coding sheet's row whose text starts with ``starts`` (saved); that row's text as shown."""
    from openpyxl import load_workbook

    wb = load_workbook(sheet)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    text_col = header.index("text") + 1
    [row] = [r for r in range(2, ws.max_row + 1) if str(ws.cell(row=r, column=text_col).value or "").startswith(starts)]
    ws.cell(row=row, column=header.index(code) + 1).value = "x"
    wb.save(sheet)
    return str(ws.cell(row=row, column=text_col).value)


def one_coded_study(root: Path) -> Path:
    """A study of one short interview (``int.txt``), ingested, with HT's ``money`` on its one answer."""
    study_with(root, CODEBOOK, {"int.txt": "Interviewer: Q.\nAnna: The funding ran out.\n"})
    cli(root, "ingest")
    cli(root, "code", "add", "int:1", "money", "--coder", "HT")
    return root
