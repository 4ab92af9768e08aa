"""A theme labelled "Theme [/b]" crashed `thematic tables frequency` with rich's MarkupError, and text such as
"[red]" in a label, quote, file name, coder name or attribute value was swallowed as styling; every command
now shows the researcher's text exactly as written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

ENV = {"COLUMNS": "250", "THEMATIC_CODER": None}

FILE = "[b]odd [red].txt"
TEXT = ("Interviewer: How was it [bold]?\n"
        "Dan: It was hard [/red] and I felt alone.\n"
        "Interviewer: And then?\n"
        "Dan: Alone again [/] and money [x].\n"
        "Eve (lead [x]): I was alone too.\n")
CODEBOOK = """\
name: cb [red]
version: 0.1.0
themes: [{id: t1, label: "Theme [/b]", definition: "A theme [/]"}]
codes:
- {id: c1, parent: t1, label: "Alone [/]", definition: "Feeling alone [red]", keywords: [alone]}
- {id: c2, parent: t1, label: "Money [bold]", definition: "Money [/]", keywords: [money]}
"""
HT, SO = "HT [/]", "SO [red]"


def run(root: Path | None, *args: str, stdin: str | None = None, code: int = 0) -> str:
    """``thematic ARGS [--study ROOT]``: its output, after checking the exit code and that nothing crashed."""
    argv = [*args, *(["--study", str(root)] if root is not None else [])]
    res = CliRunner().invoke(app, argv, input=stdin, env=ENV)
    out = res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), (argv, repr(res.exception), out)
    assert "Traceback" not in out and "MarkupError" not in out, (argv, out)
    assert res.exit_code == code, (argv, res.exit_code, out)
    return out


def flat(out: str) -> str:
    """The output with line breaks and table rules removed (a long cell may wrap)."""
    return " ".join(out.replace("│", " ").replace("┃", " ").split())


def build(root: Path, *, pseudonymise: bool = False) -> Path:
    """A study whose name, file, quotes, codebook, participants and coders all hold markup-like text."""
    out = run(None, "init", str(root), "--name", "st [red]")
    assert "st [red]" in out
    for cb in (root / "codebooks").glob("*.yaml"):
        cb.unlink()
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "data" / "raw" / FILE).write_text(TEXT, encoding="utf-8")
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,role,site\nP01,mentor [/],North [red]\n", encoding="utf-8")
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8").replace("coders = []", f'coders = ["{HT}", "{SO}"]', 1)
    if not pseudonymise:
        text = text.replace("pseudonymise = true", "pseudonymise = false", 1)
    text += f'\n[ingest.files."{FILE}"]\nspeakers = {{ "Dan" = "P01" }}\n'
    toml.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The study ingested, suggested by the rules, and coded by two coders who saw the same segments."""
    root = build(tmp_path_factory.mktemp("markup") / "st")
    out = run(root, "ingest", "-v")
    assert FILE in out
    run(root, "code", "--suggesters", "rules")
    out = run(root, "code", "add", "b-odd-red:1", "c1", "--coder", HT, "--memo", "memo [red]")
    assert f"(coder {HT})" in out and "It was hard [/red] and I felt alone." in out
    run(root, "code", "add", "b-odd-red:3", "c1", "--coder", HT)
    run(root, "code", "add", "b-odd-red:3", "c2", "--coder", HT)
    run(root, "code", "add", "b-odd-red:3", "c2", "--coder", SO)
    for coder in (HT, SO):
        out = run(root, "code", "mark-seen", "b-odd-red:1", "b-odd-red:3", "--coder", coder)
        assert f"seen by {coder} " in out
    return root


def _copy(coded: Path, tmp_path: Path) -> Path:
    root = tmp_path / "st"
    shutil.copytree(coded, root)
    return root


def test_tables_show_labels_and_values_as_written(coded: Path) -> None:
    out = flat(run(coded, "tables", "frequency"))
    assert "Theme [/b]" in out and "Alone [/]" in out and "Money [bold]" in out
    out = flat(run(coded, "tables", "frequency", "--by", "role"))
    assert "Theme [/b]" in out and "mentor [/]" in out
    out = flat(run(coded, "tables", "cooccurrence"))
    assert "Alone [/]" in out and "Money [bold]" in out
    out = flat(run(coded, "tables", "attributes"))
    assert "mentor [/]" in out and "North [red]" in out
    out = flat(run(coded, "tables", "attributes", "role", "--by", "site"))
    assert "mentor [/]" in out and "North [red]" in out
    out = flat(run(coded, "tables", "matrix"))
    assert "Theme [/b]" in out and "Alone [/]" in out


def test_codebook_commands_show_labels_as_written(coded: Path, tmp_path: Path) -> None:
    out = flat(run(coded, "codebook", "validate"))
    assert "cb [red]" in out
    out = flat(run(coded, "codebook", "show"))
    assert "cb [red]" in out and "Theme [/b]" in out and "Alone [/]" in out and "Money [bold]" in out
    other = tmp_path / "other [red].yaml"
    other.write_text(CODEBOOK.replace("Alone [/]", "Lonely [x]"), encoding="utf-8")
    out = flat(run(coded, "codebook", "diff", str(other)))
    assert "Lonely [x]" in out and "Alone [/]" in out
    run(coded, "codebook", "rules")
    out = flat(run(coded, "codebook", "flagged"))
    assert "No flagged codings." in out


def test_status_review_search_batches_show_names_as_written(coded: Path, tmp_path: Path) -> None:
    out = flat(run(coded, "status"))
    assert "st [red]" in out and HT in out and SO in out
    out = flat(run(coded, "review", "--list"))
    assert "Alone again [/] and money [x]." in out or "It was hard [/red] and I felt alone." in out
    out = flat(run(coded, "search", "alone", "-o", str(tmp_path / "hits [red].csv")))
    assert "Dan (P01)" in out and "Eve (lead [x])" in out and "hits [red].csv" in out
    root = _copy(coded, tmp_path)  # --code writes: leave the shared study as it is
    out = flat(run(root, "search", "hard", "--code", "c1", "--coder", SO))
    assert "as c1" in out
    out = flat(run(root, "batches"))
    assert SO in out


def test_agreement_names_coders_as_written(coded: Path) -> None:
    out = flat(run(coded, "agreement", "--coders", f"{HT},{SO}", "--boot", "0", "--characters"))
    assert f"{HT} saw" in out and f"{SO} saw" in out
    out = flat(run(coded, "agreement", "--coders", f"{HT},{SO}", "--boot", "0", "--level", "theme"))
    assert HT in out


def test_exports_and_reports_name_their_files_as_written(coded: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out [red]"
    out_dir.mkdir()
    assert "codings [b].csv" in flat(run(coded, "export", "codings", "-o", str(out_dir / "codings [b].csv")))
    assert "segments [b].csv" in flat(run(coded, "export", "segments", "-o", str(out_dir / "segments [b].csv")))
    assert "out [red]" in flat(run(coded, "export", "tables", "-o", str(out_dir / "tables [b]")))
    assert "quotes [b].md" in flat(run(coded, "report", "quotes", "-o", str(out_dir / "quotes [b].md")))
    assert "tables [b].xlsx" in flat(run(coded, "report", "workbook", "-o", str(out_dir / "tables [b].xlsx"),
                                         "--boot", "0"))
    assert "p [b].qdpx" in flat(run(coded, "refi", "export", "-o", str(out_dir / "p [b].qdpx")))
    assert "r [b].xlsx" in flat(run(coded, "reconcile", "--coders", f"{HT},{SO}", "-o", str(out_dir / "r [b].xlsx")))
    assert "sheet [b].xlsx" in flat(run(coded, "export", "sheet", "--coder", SO, "-o", str(out_dir / "sheet [b].xlsx")))
    out = flat(run(coded, "import", "sheet", str(out_dir / "sheet [b].xlsx"), "--coder", SO, "--dry-run"))
    assert "sheet [b].xlsx" in out and SO in out
    gold = tmp_path / "gold [red].jsonl"
    gold.write_text(json.dumps({"id": "u[red]1", "text": "I felt alone.", "codes": ["c1"]}) + "\n"
                    + json.dumps({"id": "u2", "text": "No money.", "codes": ["c2"]}) + "\n", encoding="utf-8")
    assert "gold [red].jsonl" in flat(run(coded, "codebook", "rules", "--gold", str(gold)))
    out = flat(run(None, "evaluate", "--gold", str(gold), "--codebook", str(coded / "codebooks" / "cb.yaml"),
                   "--suggesters", "rules", "--per-code"))
    assert "gold [red].jsonl" in out and "cb [red]" in out
    backup = tmp_path / "b [red].db"
    assert "b [red].db" in flat(run(coded, "backup", "-o", str(backup)))


def test_errors_quoting_user_text_are_shown_as_written(coded: Path) -> None:
    out = flat(run(coded, "code", "add", "b-odd-red:1", "[/b]", "--coder", HT, code=1))
    assert "Error:" in out and "[/b]" in out
    out = flat(run(coded, "tables", "frequency", "--by", "[/x]", code=1))
    assert "Error:" in out and "[/x]" in out
    out = flat(run(coded, "undo", "[/red]", code=1))
    assert "[/red]" in out


def test_review_and_reconcile_sessions_show_text_as_written(coded: Path, tmp_path: Path) -> None:
    root = _copy(coded, tmp_path)
    out = flat(run(root, "review", "--reviewer", HT, stdin="[/]\nr\nr\nq\n"))
    assert "'[/]' is not a choice" in out and "Alone [/]" in out and f"as {HT}" in out
    assert "Feeling alone [red]" in out or "Money [/]" in out
    out = flat(run(root, "reconcile", "--coders", f"{HT},{SO}", stdin="y\n\ny\n\n"))
    assert f"Only {HT}: c1" in out and "Both applied: c2" in out and "Alone again [/] and money [x]." in out
    out = flat(run(root, "code", "remove", "b-odd-red:3", "c2", "--coder", SO))
    assert SO in out
    out = flat(run(root, "sample", "--coder", SO, "--n", "2", "--by", "role"))
    assert f"for {SO}, by role" in out and "mentor [/]: 1" in out


def test_migration_names_the_codebook_as_written(coded: Path, tmp_path: Path) -> None:
    root = _copy(coded, tmp_path)
    run(root, "codebook", "bump", "--current")
    cb = root / "codebooks" / "cb.yaml"
    cb.write_text(CODEBOOK.replace("id: c2", "id: c3").replace("version: 0.1.0", "version: 0.1.0\nchanges:\n"
                  "- {version: 0.2.0, rename: {from: c2, to: c3}, note: \"clearer [red]\"}"), encoding="utf-8")
    assert "cb [red]" in flat(run(root, "codebook", "bump", "minor"))
    out = flat(run(root, "codebook", "migrate"))
    assert "cb [red] 0.2.0" in out
    out = flat(run(root, "codebook", "diff", "0.1.0"))
    assert "cb [red] 0.1.0" in out and "c2 -> c3" in out


def test_pseudonym_key_and_init_show_names_as_written(tmp_path: Path) -> None:
    root = build(tmp_path / "st", pseudonymise=True)
    (root / "data" / "raw" / "two [x].txt").write_text("Interviewer: Hi\nAnna (lead [x]): Fine [/].\n",
                                                       encoding="utf-8")
    out = flat(run(root, "ingest", "--show-key"))
    assert "two [x].txt" in out and "Anna (lead [x])" in out
