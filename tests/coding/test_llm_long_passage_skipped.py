"""D3: one very long passage is skipped and named (W653); it no longer stops the run for every suggester.

Before, a ~30,000-character turn made `thematic code --suggesters rules,llm` stop with "[E659] The
prompt for code 'X' alone needs about 620 tokens, more than the model's context of 0. Raise context
...": the wrong culprit, a leftover budget shown as the context, a setting that does not exist, and
nothing stored, the rules' suggestions included. E659 is now only for a code too long for the
context on its own, found when the suggester is fitted (the llm is then skipped, the rules run).
A fake OpenAI-compatible server (real HTTP) answers the passages that fit.
"""

from __future__ import annotations

import json

import pytest

from coding.assisted_support import codebook, interview, write_codebook
from coding.llm_support import FakeChatServer, chat_answer, codes_asked, passage_of
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester
from thematic.errors import InputError
from thematic.study import Study

LONG = "I was on heroin from about seventeen and the mentor who met me at the gate had been there too. " * 320
SHORT = ["The vetting took five months before I could go on the wing.",
         "The funding stopped after a year and the group closed."]


def _answer(body: dict) -> tuple[int, dict]:
    code = codes_asked(body)[0]
    words = " ".join(passage_of(body).split()[:4])
    return chat_answer(json.dumps({"codes": [{"code": code, "evidence": words, "confidence": 0.7}]}))


@pytest.fixture
def server():  # noqa: ANN201
    srv = FakeChatServer(_answer)
    yield srv
    srv.close()


def _study(study, url: str, extra: str = "") -> Study:  # noqa: ANN001
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{url}"\nmodel = "{FakeChatServer.MODEL}"\nfew_shot = 0\n'
                f"max_concurrency = 1\n{extra}")
    root = study.root
    study.close()
    s = Study.open(root)
    s.store.save_document(interview("int-01", [SHORT[0], LONG, SHORT[1]]))
    return s


def test_llm_a_passage_too_long_for_the_context_is_skipped_and_named_and_the_rules_still_store(study, server) -> None:  # noqa: ANN001
    s = _study(study, server.base_url)
    try:
        rules, llm = code(s, suggesters=["rules", "llm"], ingest=False).runs
        assert rules.status == "ran" and rules.added >= 1
        assert llm.status == "ran" and llm.segments == 3 and len(server.chats) == 2  # the long one is not sent
        assert all(LONG[:60] not in c["messages"][-1]["content"] for c in server.chats)
        w653 = [n for n in llm.notes if n.startswith("[W653]")]
        assert len(w653) == 1 and not any("E659" in n for n in llm.notes)
        assert w653[0].startswith("[W653] 1 passage(s) were too long for the language model's context "
                                  "(context_tokens = 4096)")
        assert "int-01:3 (about " in w653[0] and "raise context_tokens under [code.llm]" in w653[0]
        assert 'unit = "paragraph"' in w653[0]
        cods = s.store.codings(status="suggested")
        assert set(cods["coder"]) == {"thematic.rules.v1", "thematic.llm.v1"}
        assert "int-01:3" not in set(cods.loc[cods["coder"] == "thematic.llm.v1", "segment_id"])
    finally:
        s.close()


def test_llm_cli_names_the_long_passage_and_exits_cleanly(study, server) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app

    s = _study(study, server.base_url)
    root = s.root
    s.close()
    result = CliRunner().invoke(app, ["code", "--suggesters", "rules,llm", "--study", str(root)],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "[W653] 1 passage(s)" in result.output and "int-01:3" in result.output
    assert "E659" not in result.output and "Traceback" not in result.output


def test_llm_a_code_too_long_for_the_context_alone_is_e659_naming_the_real_context_and_setting(server) -> None:
    with pytest.raises(InputError) as info:
        LLMSuggester(base_url=server.base_url, model=server.MODEL, context_tokens=300, max_tokens=16,
                     few_shot=0).fit(None, None, codebook())
    msg = str(info.value)
    assert msg.startswith("[E659] The prompt for code '") and "context_tokens = 300 under [code.llm]" in msg
    assert "max_tokens = 16" in msg and "context of 0" not in msg and "Raise context_tokens" in msg


def test_llm_e659_at_fit_skips_only_the_llm_and_the_rules_still_run(study, server) -> None:  # noqa: ANN001
    s = _study(study, server.base_url, "context_tokens = 300\nmax_tokens = 16\n")
    try:
        rules, llm = code(s, suggesters=["rules", "llm"], ingest=False).runs
        assert rules.status == "ran" and rules.added >= 1
        assert llm.status == "skipped" and llm.reason.startswith("[E659]") and "context_tokens = 300" in llm.reason
        assert not server.chats
    finally:
        s.close()
