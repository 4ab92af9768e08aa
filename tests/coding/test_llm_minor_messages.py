"""The llm suggester's smaller defects: E654's wording, provenance that leads to the cached answer, the footer.

- E654 said "the API key (environment variable none set)" when no api_key_env was set, and threw the
  server's own message away; it now says that no key is sent and quotes the server.
- A suggestion's ``template_hash`` is the whole prompt template's, while each cached answer is keyed
  by its batch's template hash: ``batch_template_hashes`` now records those, so the answer is found.
- `thematic code` ended with "What to do next: thematic review" even when nothing was open to review.
A fake OpenAI-compatible server (real HTTP) gives the error answers.
"""

from __future__ import annotations

import json

import pytest

from coding.assisted_support import codebook, interview, segments_frame, write_codebook
from coding.llm_support import FakeChatServer, chat_answer, codes_asked, free_port, passage_of
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester
from thematic.coding.suggest.llm.cache import cache_key, passage_hash
from thematic.coding.suggest.llm.fewshot import message_for
from thematic.errors import ServiceError
from thematic.study import Study


def test_llm_e654_quotes_the_server_and_says_no_api_key_is_sent(tmp_path) -> None:  # noqa: ANN001
    server = FakeChatServer(lambda body: (403, {"error": {"message": "Invalid token: this server needs a key",
                                                          "type": "auth_error"}}))
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path))
        s.fit(None, None, codebook())
        with pytest.raises(ServiceError) as info:
            s.suggest(segments_frame({"a": "The vetting took five months."}))
        msg = str(info.value)
        assert msg.startswith(f"[E654] The language-model server at {server.base_url} failed: HTTP 403 (Forbidden): "
                              "Invalid token: this server needs a key.")
        assert "none set" not in msg and "api_key_env is not set under [code.llm]" in msg
        assert len(server.chats) == 1  # a refusal that is not about the answer format is not tried four times
    finally:
        server.close()


def test_llm_e654_names_the_api_key_variable_when_one_is_set(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("THEMATIC_MINOR_TEST_KEY", "sk-not-shown")
    server = FakeChatServer(lambda body: (401, {"error": {"message": "bad key"}}))
    try:
        s = LLMSuggester(base_url=server.base_url, model=server.MODEL, few_shot=0, cache_dir=str(tmp_path),
                         api_key_env="THEMATIC_MINOR_TEST_KEY").fit(None, None, codebook())
        with pytest.raises(ServiceError) as info:
            s.suggest(segments_frame({"a": "The vetting took five months."}))
        assert "the API key in the environment variable THEMATIC_MINOR_TEST_KEY is right" in str(info.value)
        assert "sk-not-shown" not in str(info.value)
    finally:
        server.close()


def _answer(body: dict) -> tuple[int, dict]:
    code = codes_asked(body)[0]
    words = " ".join(passage_of(body).split()[:4])
    return chat_answer(json.dumps({"codes": [{"code": code, "evidence": words, "confidence": 0.7}]}))


def test_llm_provenance_records_the_batch_template_hash_that_keys_the_cached_answer(study) -> None:  # noqa: ANN001
    server = FakeChatServer(_answer)
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{server.base_url}"\nmodel = "{server.MODEL}"\nfew_shot = 0\n'
                "max_concurrency = 1\ncontext_tokens = 600\nmax_tokens = 64\n")  # the codebook needs 2 batches
    root = study.root
    study.close()
    s = Study.open(root)
    try:
        s.store.save_document(interview("int-01", ["The vetting took five months before I could go on the wing."]))
        code(s, suggesters=["llm"], ingest=False)
        cods = s.store.codings(status="suggested")
        assert len(cods) >= 1
        row = cods.iloc[0]
        params = json.loads(row["params"])
        hashes = params["batch_template_hashes"]
        assert len(hashes) == 2 and params["template_hash"] not in hashes
        seg = s.store.segments().set_index("segment_id").loc[row["segment_id"]].to_dict()
        phash = passage_hash(message_for({**seg, "segment_id": row["segment_id"]}))
        found = []
        for h in hashes:
            key = cache_key(params["model_id"], params["model_digest"], h, phash)
            path = s.paths.coded / "cache" / "llm" / key[:2] / f"{key}.json"
            if path.is_file():
                found.append(json.loads(path.read_text(encoding="utf-8")))
        assert len(found) == 2 and {e["template_hash"] for e in found} == set(hashes)
        assert any(row["memo"].strip('"') in e["replies"][-1] for e in found)
    finally:
        s.close()
        server.close()


def test_llm_cli_footer_suggests_review_only_when_something_is_open_to_review(study) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app

    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "http://127.0.0.1:{free_port()}/v1"\nmodel = "m"\n')
    (study.paths.raw / "int-01.txt").write_text(
        "Interviewer: How was it?\nDan: The vetting took months and the funding ran out.\n", encoding="utf-8")
    root = study.root
    study.close()
    skipped = CliRunner().invoke(app, ["code", "--suggesters", "llm", "--study", str(root)], env={"COLUMNS": "200"})
    assert skipped.exit_code == 0, skipped.output
    assert "llm skipped:" in skipped.output and "What to do next:" in skipped.output
    assert "thematic review" not in skipped.output and "thematic tables frequency" in skipped.output
    ran = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--study", str(root)], env={"COLUMNS": "200"})
    assert ran.exit_code == 0 and "suggestion(s) stored" in ran.output and "thematic review" in ran.output
