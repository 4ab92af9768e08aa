"""The llm suggester's parts that need no model: answers, evidence, endpoints, prompts, few-shot, settings.

Also what a run does when the model cannot be used: no server (E650), a remote URL without
allow_remote (E651), the in-process backend without the llm extra (E656): one clear line, the
other suggesters still run, and the skip is not remembered (the next run tries again).
"""

from __future__ import annotations

import sys

import json
import re
from pathlib import Path

import pytest

from coding.assisted_support import codebook, interview, training_frames, write_codebook
from coding.llm_support import free_port
from thematic.coding.execute.runner import hidden_modules
from thematic.coding.run import code
from thematic.coding.suggest import LLMSuggester, get_suggester
from thematic.coding.suggest.llm.answer import evidence_in, parse_answer
from thematic.coding.suggest.llm.endpoint import api_key, check_endpoint, is_loopback
from thematic.coding.suggest.llm.fewshot import few_shot_examples
from thematic.coding.suggest.llm.prompt import (MAX_PIECES, answer_schema, code_block, estimate_tokens, messages_tokens,
                                                passage_message, passage_schema, plan_batches, quotable)
from thematic.config import load_config
from thematic.errors import InputError, OptionalDependencyError, ServiceUnavailableError, StudyError
from thematic.study import Study

KNOWN = {"funding", "security_vetting"}
PASSAGE = "Honestly the funding stopped after a year, and the “vetting” took five months."


def test_llm_answer_keeps_known_codes_with_quoted_evidence() -> None:
    text = json.dumps({"codes": [{"code": "funding", "evidence": "the funding stopped", "confidence": 0.8},
                                 {"code": "security_vetting", "evidence": '"vetting" took five', "confidence": 1.7}]})
    got = parse_answer(text, PASSAGE, KNOWN)
    assert got.ok and got.codes == {"funding": (0.8, "the funding stopped"),
                                    "security_vetting": (1.0, '"vetting" took five')}
    assert (got.bad_evidence, got.unknown_code) == (0, 0)


def test_llm_answer_drops_and_counts_invented_evidence_and_unknown_codes() -> None:
    text = json.dumps({"codes": [{"code": "funding", "evidence": "money was tight", "confidence": 0.9},
                                 {"code": "housing", "evidence": "the funding stopped", "confidence": 0.9},
                                 {"code": "funding", "evidence": "   ", "confidence": 0.9}]})
    got = parse_answer(text, PASSAGE, KNOWN)
    assert got.ok and got.codes == {} and (got.bad_evidence, got.unknown_code) == (2, 1)


@pytest.mark.parametrize("text", ["not json", '{"codes": "funding"}', '[{"code": "funding"}]',
                                  '{"codes": [{"code": "funding", "evidence": "x"}]}',
                                  '{"codes": [{"code": "funding", "evidence": "x", "confidence": "high"}]}'])
def test_llm_answer_malformed_is_not_ok(text: str) -> None:
    assert not parse_answer(text, PASSAGE, KNOWN).ok


def test_llm_answer_in_a_code_fence_is_read_and_duplicates_keep_the_higher_confidence() -> None:
    items = [{"code": "funding", "evidence": "funding stopped", "confidence": c} for c in (0.2, 0.7, 0.4)]
    got = parse_answer("```json\n" + json.dumps({"codes": items}) + "\n```", PASSAGE, KNOWN)
    assert got.ok and got.codes["funding"][0] == 0.7


def test_llm_evidence_ignores_case_spacing_curly_quotes_and_wrapping_dots() -> None:
    assert evidence_in('...HONESTLY the  funding\nstopped...', PASSAGE)
    assert evidence_in('the "vetting" took', PASSAGE)
    assert not evidence_in("funding was stopped", PASSAGE) and not evidence_in("...", PASSAGE)


def test_llm_endpoint_loopback_only_unless_allowed() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("[::1]") and is_loopback("127.0.0.2")
    assert check_endpoint("http://localhost:11434/v1", False) == "localhost"
    with pytest.raises(InputError, match=r"\[E651\].*192\.0\.2\.10.*allow_remote"):
        check_endpoint("http://192.0.2.10:8000/v1", False)
    assert check_endpoint("https://192.0.2.10:8000/v1", True) == "192.0.2.10"
    with pytest.raises(InputError, match=r"\[E653\] \[code.llm\] base_url"):
        check_endpoint("file:///etc/passwd", True)


def test_llm_api_key_comes_from_the_named_variable_and_is_never_in_the_message(monkeypatch) -> None:  # noqa: ANN001
    assert api_key(None) is None
    monkeypatch.delenv("THEMATIC_TEST_KEY", raising=False)
    with pytest.raises(InputError, match=r"\[E658\].*THEMATIC_TEST_KEY"):
        api_key("THEMATIC_TEST_KEY")
    monkeypatch.setenv("THEMATIC_TEST_KEY", "sk-secret-123")
    assert api_key("THEMATIC_TEST_KEY") == "sk-secret-123"
    s = LLMSuggester(api_key_env="THEMATIC_TEST_KEY")
    assert "sk-secret" not in json.dumps(s.fingerprint()) and "sk-secret" not in repr(s)


def test_llm_prompt_shows_every_part_of_a_code_and_the_passage_context() -> None:
    cb = codebook()
    block = code_block(cb["security_vetting"])
    assert "id: security_vetting" in block and "label: Security vetting" in block
    assert "definition: Waiting for or failing" in block and "example: My clearance took eleven months" in block
    msg = passage_message("I waited.", speaker="P03", question="What got in the way?")
    assert msg.splitlines()[:3] == ["Speaker: participant (P03)", "Survey question: What got in the way?", "Passage:"]
    assert passage_message("Right.", interviewer=True).startswith("Speaker: interviewer\n")
    assert answer_schema(["a", "b"])["properties"]["codes"]["items"]["properties"]["code"]["enum"] == ["a", "b"]


def test_llm_codes_are_batched_by_theme_when_the_context_is_small() -> None:
    cb = codebook()
    codes = cb.codable()
    whole = plan_batches(cb, codes, [], {}, 4000)
    assert [b.code_ids for b in whole] == [tuple(c.id for c in codes)]
    small = plan_batches(cb, codes, [], {}, messages_tokens(whole[0].messages) - 60)
    assert [b.code_ids for b in small] == [("security_vetting", "funding"), ("shared_experience", "staff_distance")]
    assert len({b.template_hash for b in small}) == 2
    with pytest.raises(InputError, match=r"\[E659\]"):
        plan_batches(cb, codes, [], {}, 100)


def test_llm_few_shot_comes_from_manual_codings_with_the_coded_span_as_evidence() -> None:
    segs, cods = training_frames()
    ids = [c.id for c in codebook().codable()]
    shots = few_shot_examples(segs, cods, ids, 3)
    assert [ex.codes[0][0] for ex in shots] == ids[:3]
    for ex in shots:
        assert ex.codes[0][1] in ex.passage and ex.passage.startswith("Speaker: participant")
    assert few_shot_examples(segs, cods, ids, 0) == [] and few_shot_examples(segs, cods.iloc[0:0], ids, 3) == []
    rejected = cods.assign(status="rejected")
    assert few_shot_examples(segs, rejected, ids, 3) == []


def test_llm_settings_come_from_code_llm_in_thematic_toml(tmp_path: Path) -> None:
    toml = tmp_path / "thematic.toml"
    toml.write_text('[code]\nsuggesters = ["rules", "llm"]\n[code.llm]\nbase_url = "http://127.0.0.1:9/v1"\n'
                    'model = "llama3.1:8b"\nseed = 7\ngguf = "models/m.gguf"\n', encoding="utf-8")
    cfg = load_config(toml)
    assert cfg.suggester_options["llm"]["model"] == "llama3.1:8b" and cfg.suggester_options["llm"]["seed"] == 7
    assert cfg.suggester_options["llm"]["gguf"] == str((tmp_path / "models/m.gguf").resolve())
    toml.write_text('[code.llm]\nbase_ulr = "x"\n', encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[E004\].*'base_ulr'.*code.llm.*Did you mean 'base_url'"):
        load_config(toml)


def test_llm_is_registered_and_its_settings_are_params() -> None:
    s = get_suggester("llm", model="m", temperature=0.0)
    assert isinstance(s, LLMSuggester) and s.name == "thematic.llm.v1"
    assert {"cache_dir", "timeout", "max_concurrency"}.isdisjoint(s.fingerprint()["params"])
    assert s.needs_codings and not LLMSuggester(few_shot=0).needs_codings
    with pytest.raises(InputError, match=r"\[E653\] \[code.llm\] temperature"):
        LLMSuggester(base_url=f"http://127.0.0.1:{free_port()}/v1", temperature=-1).fit(None, None, codebook())


def test_llm_without_a_server_is_a_clear_coded_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ServiceUnavailableError, match=r"\[E650\].*did not answer.*llama_cpp.server") as info:
        LLMSuggester(base_url=url, model="m").fit(None, None, codebook())
    assert url in str(info.value)


def _study_with_llm(study, settings: str) -> Study:  # noqa: ANN001
    write_codebook(study)
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write("\n[code.llm]\n" + settings)
    root = study.root
    study.close()
    s = Study.open(root)
    s.store.save_document(interview("int-01", ["The vetting took months.", "The funding ran out."]))
    return s


def test_llm_run_without_a_server_skips_it_with_one_line_and_the_rules_still_run(study) -> None:  # noqa: ANN001
    s = _study_with_llm(study, f'base_url = "http://127.0.0.1:{free_port()}/v1"\nmodel = "m"\n')
    try:
        report = code(s, suggesters=["rules", "llm"], ingest=False)
        rules, llm = report.runs
        assert rules.status == "ran" and rules.added >= 1
        assert llm.status == "skipped" and llm.reason.startswith("[E650]") and "\n" not in llm.reason
        again = code(s, suggesters=["rules", "llm"], ingest=False)  # not remembered: the server may be up now
        assert again.runs[1].status == "skipped" and again.runs[1].reason.startswith("[E650]")
        assert s.store.codings(status="suggested")["coder"].eq("thematic.rules.v1").all()
    finally:
        s.close()


def test_llm_remote_url_is_refused_without_allow_remote(study) -> None:  # noqa: ANN001
    s = _study_with_llm(study, 'base_url = "http://192.0.2.10:11434/v1"\nmodel = "m"\n')
    try:
        llm = code(s, suggesters=["rules", "llm"], ingest=False).runs[1]
        assert llm.status == "skipped" and llm.reason.startswith("[E651]") and "192.0.2.10" in llm.reason
    finally:
        s.close()


def test_llm_in_process_backend_without_the_extra_says_what_to_install(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # not installed, even when an earlier test imported it
    with hidden_modules(["llama_cpp"]):
        with pytest.raises(OptionalDependencyError, match=r"\[E656\].*thematic\[llm\]"):
            LLMSuggester(gguf=str(gguf)).fit(None, None, codebook())
    with pytest.raises(InputError, match=r"\[E657\]"):
        LLMSuggester(gguf=str(tmp_path / "missing.gguf")).fit(None, None, codebook())


def test_llm_cli_without_a_server_prints_one_line_and_exits_cleanly(study) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app

    s = _study_with_llm(study, f'base_url = "http://127.0.0.1:{free_port()}/v1"\nmodel = "m"\n')
    root = s.root
    s.close()
    result = CliRunner().invoke(app, ["code", "--suggesters", "rules,llm", "--study", str(root)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if "[E650]" in ln]
    assert len(lines) == 1 and lines[0].startswith("llm skipped:") and "Traceback" not in result.output


def test_llm_a_server_that_never_answers_is_a_clear_coded_error() -> None:
    from coding.llm_support import SilentServer

    silent = SilentServer()
    try:
        with pytest.raises(ServiceUnavailableError, match=r"\[E650\].*timed out"):
            LLMSuggester(base_url=silent.base_url, model="m", timeout=1).fit(None, None, codebook())
    finally:
        silent.close()


def test_llm_run_report_names_a_remote_host_and_counts_what_was_dropped() -> None:
    s = LLMSuggester(base_url="http://192.0.2.10:11434/v1", allow_remote=True)
    s.host_ = check_endpoint(s.base_url, s.allow_remote)
    s.stats_ = {"bad_evidence": 2, "unknown_code": 1, "failed": 0}
    notes = s.run_notes()
    assert notes[0] == "[W650] Sending passages to the language-model server at 192.0.2.10 (allow_remote = true)."
    assert notes[1].startswith("[W651] 3 language-model suggestion(s) dropped: 2 with evidence") and len(notes) == 2
    s.host_ = "127.0.0.1"
    assert not any(n.startswith("[W650]") for n in s.run_notes())


def test_llm_passage_message_reads_a_segments_frame_row() -> None:
    from thematic import schemas
    from thematic.coding.suggest.llm.fewshot import message_for

    import pandas as pd

    rows = [{"segment_id": "s:1", "document_id": "s", "start": 0, "end": 3, "participant_id": "R07",
             "is_interviewer": False, "kind": "answer", "question": "What helped?", "text": "Tea."},
            {"segment_id": "i:1", "document_id": "i", "start": 0, "end": 3, "speaker": "Interviewer",
             "is_interviewer": True, "text": "And?"}]
    frame = schemas.coerce_frame(pd.DataFrame(rows), schemas.SEGMENTS)
    survey, turn = (message_for(r) for r in frame.to_dict("records"))
    assert survey == 'Speaker: participant (R07)\nSurvey question: What helped?\nPassage:\n"""\nTea.\n"""'
    assert turn.startswith("Speaker: interviewer (Interviewer)\nPassage:")


def test_llm_few_shot_evidence_is_the_passage_when_the_coded_span_is_not_a_phrase() -> None:
    segs, cods = training_frames()
    one = cods.iloc[[0]].assign(end=cods.iloc[0]["start"] + 1)  # a one-character span (as evaluate's units have)
    shots = few_shot_examples(segs, one, [c.id for c in codebook().codable()], 1)
    text = segs.set_index("segment_id").loc[cods.iloc[0]["segment_id"], "text"]
    assert shots[0].codes == ((cods.iloc[0]["code_id"], text),)


LONG_TURN = ("I was told I'd hear back in six weeks, and it took five months; by then the funding had gone "
             "and the job with it. He said - look, it's not you - it's the system. Really?! \"Yes.\" "
             "So you wait, and you wait, and nobody at the prison or the charity can tell you a thing.")


QUOTING = 'You want someone to say, "Yeah he\'s one of us", whoever the us is. A back\\slash, and “curly” ones.'


@pytest.mark.parametrize("text", [PASSAGE, LONG_TURN, "Okay.", " ".join(f"w{i}" for i in range(3000)),
                                  "no punctuation at all " * 40, QUOTING])
def test_llm_quotable_pieces_are_the_passages_own_words_and_bounded_in_number(text: str) -> None:
    pieces = quotable(text)
    assert pieces and all(evidence_in(p, text) for p in pieces)
    assert len(pieces) <= MAX_PIECES + 2 and len(set(pieces)) == len(pieces)
    words = " ".join(text.split())
    assert all(len(p) <= max(80, -(-len(text) // MAX_PIECES)) for p in pieces)
    assert not any(c in p for p in pieces for c in '"\\')  # what llama.cpp's grammar converter mis-escapes
    split = re.compile(r'[\s"\\“”]+')
    covered = {w.strip(".,;:!?'-") for w in split.split(" ".join(pieces))}
    assert {w.strip(".,;:!?'-") for w in split.split(words)} - {""} <= covered  # every word can be quoted


def test_llm_passage_schema_quotes_the_passage_and_its_longest_answer_fits_max_tokens() -> None:
    ids = ["security_vetting", "funding", "shared_experience"]
    for max_tokens in (64, 128, 256):
        schema = passage_schema(ids, LONG_TURN, max_tokens)
        codes = schema["properties"]["codes"]
        item = codes["items"]["properties"]
        assert item["evidence"]["enum"] == quotable(LONG_TURN) and item["code"]["enum"] == ids
        assert 1 <= codes["maxItems"] <= len(ids)
        longest = {"codes": [{"code": max(ids, key=len), "evidence": max(item["evidence"]["enum"], key=len),
                              "confidence": 0.5}] * codes["maxItems"]}
        assert codes["maxItems"] == 1 or estimate_tokens(json.dumps(longest, ensure_ascii=False)) <= max_tokens
    assert passage_schema(ids, LONG_TURN, 256)["properties"]["codes"]["maxItems"] == 3
