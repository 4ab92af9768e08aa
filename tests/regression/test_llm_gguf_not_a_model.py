"""gguf naming a file that is not a GGUF model (or a truncated one) gave a traceback and stopped the run.

llama.cpp's ValueError ("Failed to load model from file") escaped fit, so `thematic code` failed
and the rules suggester did not run either. It is now E641 naming the file, and the llm is skipped
like one whose file is missing (E657) while the other suggesters run. The real llama-cpp-python
loads a small file of non-GGUF bytes written fresh in the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coding.assisted_support import codebook, write_codebook
from thematic.coding.suggest import LLMSuggester
from thematic.errors import InputError

pytest.importorskip("llama_cpp", reason="the llm extra (llama-cpp-python) is not installed")


def _fake(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"this is not a model\n" * 500, b"GGUF\x03\x00\x00\x00" + b"\x00" * 64],
                         ids=["not-gguf", "truncated-gguf"])
def test_llm_gguf_that_will_not_load_is_a_coded_input_error(tmp_path, data) -> None:  # noqa: ANN001
    path = _fake(tmp_path / "model.gguf", data)
    s = LLMSuggester(gguf=str(path), few_shot=0, cache_dir=str(tmp_path / "cache"))
    with pytest.raises(InputError) as info:
        s.fit(None, None, codebook())
    msg = str(info.value)
    assert msg.startswith("[E641]") and str(path) in msg and "GGUF" in msg


def _without_other_threads(output: str) -> str:
    """The command's output without a report socketserver prints for a request of another test's server thread
    (the runner captures the process's stderr while the command runs, and a worker runs many tests)."""
    return re.sub(r"-{40}\nException occurred during processing of request from .*?\n-{40}\n?", "", output,
                  flags=re.DOTALL)


def test_llm_gguf_that_will_not_load_skips_the_llm_and_the_rules_still_run(study) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app

    write_codebook(study)
    bad = _fake(study.root / "notamodel.gguf", b"<html>not a model</html>\n" * 200)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\ngguf = "{bad.as_posix()}"\nfew_shot = 0\n')
    (study.paths.raw / "int-01.txt").write_text(
        "Interviewer: How was it?\nDan: The vetting took months and the funding ran out.\n", encoding="utf-8")
    root = study.root
    study.close()
    out = CliRunner().invoke(app, ["code", "--suggesters", "rules,llm", "--study", str(root)], env={"COLUMNS": "300"})
    assert out.exit_code == 0, out.output
    assert "Traceback" not in _without_other_threads(out.output) and "llm skipped: [E641]" in out.output
    assert "suggestion(s) stored" in out.output
