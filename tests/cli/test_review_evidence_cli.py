"""`thematic review`: why each item was suggested, recoding by label or beginning, and who the reviewer is."""

from __future__ import annotations

import getpass

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study, suggest
from thematic.cli.main import app
from thematic.models import Coding, Provenance
from thematic.study import Study

runner = CliRunner()


def _suggest_with_reason(store, seg_id: str, code_id: str, confidence: float, suggester: str, reason: str) -> str:
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, suggester, status="suggested", text=seg.text,
               segment_id=seg.id, confidence=confidence, codebook_version="1.2.0", memo=reason,
               provenance=Provenance("suggester", suggester, {"threshold": 0.25}))
    store.add_codings([c])
    return c.id


@pytest.fixture
def root(study, monkeypatch):
    monkeypatch.delenv("THEMATIC_CODER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "oslogin")
    fill_study(study)
    _suggest_with_reason(study.store, "int-01:3", "funding", 0.4, "thematic.rules.v1", "keyword 'funding'")
    _suggest_with_reason(study.store, "int-01:3", "funding", 0.71, "thematic.model.v1", "p=0.71, threshold 0.50")
    suggest(study.store, "int-02:3", "generativity", 0.7)
    study.close()
    return study.root


def _invoke(root, *args: str, input: str | None = None, env: dict | None = None):
    return runner.invoke(app, [*args, "--study", str(root)], input=input, env={"COLUMNS": "160", **(env or {})})


def test_each_item_shows_every_suggesters_evidence(root) -> None:
    out = _invoke(root, "review", "--reviewer", "AB", input="q\n").output
    assert "why: thematic.model.v1: p=0.71, threshold 0.50 · score 0.71 (threshold 0.25)" in out
    assert "why: thematic.rules.v1: keyword 'funding' · score 0.40 (threshold 0.25)" in out
    listing = _invoke(root, "review", "--list", env={"COLUMNS": "400"}).output
    assert "keyword 'funding'" in listing and "p=0.71" in listing


def test_recode_takes_a_label_or_a_unique_beginning_with_did_you_mean(root) -> None:
    result = _invoke(root, "review", "--reviewer", "AB", input="c\ns\nShared exp\nc\nGiving bak\nhook\n")
    assert result.exit_code == 0, result.output
    assert "[E631] 's' fits 2 codes" in result.output
    assert "Recoding as shared_experience" in result.output
    assert "Did you mean 'generativity' (Giving back)?" in result.output
    with Study(root) as s:
        assert sorted(s.codings(coder="AB")["code_id"]) == ["hook_for_change", "shared_experience"]
        assert set(s.store.codings(status="rejected")["reviewer"]) == {"AB"}


def test_the_reviewer_comes_from_thematic_coder(root) -> None:
    result = _invoke(root, "review", input="a\nq\n", env={"THEMATIC_CODER": "SO"})
    assert result.exit_code == 0 and "as SO" in result.output
    with Study(root) as s:
        assert set(s.store.codings(status="accepted")["reviewer"]) == {"SO"}


def test_the_reviewer_is_the_only_coder_in_thematic_toml(root) -> None:
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT"]'), encoding="utf-8")
    result = _invoke(root, "review", input="r\nq\n")
    assert result.exit_code == 0 and "as HT" in result.output
    with Study(root) as s:
        assert set(s.store.codings(status="rejected")["reviewer"]) == {"HT"}
    other = _invoke(root, "review", "--reviewer", "ZZ", input="q\n")
    assert "[W630] Reviewer 'ZZ' is not among thematic.toml's coders (HT)" in other.output


def test_without_a_reviewer_a_pipe_is_refused_never_the_login(root) -> None:
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT", "SO"]'), encoding="utf-8")
    result = _invoke(root, "review", input="a\n")
    assert result.exit_code == 1
    assert "[E632]" in result.output and "HT, SO" in result.output and "Traceback" not in result.output
    assert "oslogin" not in result.output
    with Study(root) as s:
        assert s.store.codings(status=["accepted", "rejected"]).empty


def test_at_a_terminal_the_reviewer_is_asked_for(monkeypatch) -> None:
    import io
    import sys

    from thematic.cli.review import resolve_reviewer

    monkeypatch.setattr(sys, "stdin", io.StringIO("\nAB\n"))  # an empty answer is asked again
    assert resolve_reviewer(None, ("HT", "SO"), interactive=True) == "AB"
