"""`thematic init` and the codebook setting (issue 19): a copied-in codebook is found, and a setting that
names a missing file is an error that names the setting and the YAML files that are there."""

from __future__ import annotations

from typer.testing import CliRunner

from thematic.cli.main import app

from .unlike_example import CODEBOOK, TRANSCRIPTS

runner = CliRunner()


def _new_study(tmp_path):
    root = tmp_path / "my-study"
    r = runner.invoke(app, ["init", str(root)])
    assert r.exit_code == 0, r.output
    for name, text in TRANSCRIPTS.items():
        (root / "data" / "raw" / name).write_text(text, encoding="utf-8")
    return root


def test_init_then_copied_codebook_is_used(tmp_path):
    root = _new_study(tmp_path)
    (root / "codebooks" / "my-codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    r = runner.invoke(app, ["codebook", "validate", "--study", str(root)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["code", "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert "suggestion(s) stored" in r.output


def test_setting_naming_a_missing_file_names_setting_and_files(tmp_path):
    root = _new_study(tmp_path)
    (root / "codebooks" / "my-codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[study]\n", '[study]\ncodebook = "codebooks/codebook.yaml"\n'),
                    encoding="utf-8")
    for argv in (["codebook", "validate"], ["code"], ["codebook", "show"]):
        r = runner.invoke(app, [*argv, "--study", str(root)])
        assert r.exit_code == 1, (argv, r.output)
        out = " ".join(r.output.split())
        assert "[E050]" in out and 'codebook = "codebooks/codebook.yaml"' in out and "my-codebook.yaml" in out, out
        assert "Traceback" not in r.output


def test_several_yaml_files_without_setting_are_listed(tmp_path):
    root = _new_study(tmp_path)
    for name in ("a.yaml", "b.yaml"):
        (root / "codebooks" / name).write_text(CODEBOOK, encoding="utf-8")
    r = runner.invoke(app, ["code", "--study", str(root)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "[E051]" in out and "a.yaml, b.yaml" in out, out
