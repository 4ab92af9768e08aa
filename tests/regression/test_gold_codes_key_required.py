"""A gold line must say what was coded under "codes": a line with no "codes" key, or with the codes under a
misspelt key ("code", "Codes", "labels"), was read as a unit coded with nothing. It is now E384, naming the file,
the line and the keys found; an explicit "codes": [] stays a unit coded with no code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from regression.tiny_study import CODEBOOK, ENV, runner

from thematic.cli.main import app
from thematic.coding.evaluate import read_gold
from thematic.errors import InputError


def _gold(path: Path, *lines: dict) -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("key", ["code", "Codes", "labels", None])
def test_line_without_codes_is_refused(tmp_path: Path, key: str | None) -> None:
    second = {"id": "a:2", "text": "No job anywhere."}
    if key is not None:
        second[key] = ["work"]
    gold = _gold(tmp_path / "g.jsonl", {"id": "a:1", "text": "The funding ran out.", "codes": ["money"]}, second)
    with pytest.raises(InputError) as err:
        read_gold(gold)
    msg = str(err.value)
    assert msg.startswith("[E384]") and "g.jsonl:2" in msg and "'codes'" in msg
    assert "'id'" in msg and "'text'" in msg
    if key is not None:
        assert f"'{key}'" in msg


def test_empty_codes_list_is_a_unit_coded_with_none(tmp_path: Path) -> None:
    gold = _gold(tmp_path / "g.jsonl", {"id": "a:1", "text": "The funding ran out.", "codes": ["money"]},
                 {"id": "a:2", "text": "A sunny day.", "codes": []})
    units, labels = read_gold(gold)
    assert len(units) == 2 and labels == {"a:1": {"money"}, "a:2": set()}


def test_cli_shows_e384_without_traceback(tmp_path: Path) -> None:
    cb = tmp_path / "cb.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    gold = _gold(tmp_path / "g.jsonl", {"id": "a:1", "text": "The funding ran out.", "code": ["money"]},
                 {"id": "a:2", "text": "No job anywhere.", "codes": ["work"]})
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--codebook", str(cb), "--suggesters", "rules",
                              "--study", str(tmp_path / "nostudy")], env=ENV)
    assert res.exit_code != 0 and "[E384]" in res.output and "g.jsonl:1" in res.output
    assert "Traceback" not in res.output
