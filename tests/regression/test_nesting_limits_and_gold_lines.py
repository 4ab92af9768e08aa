"""A gold .jsonl or thematic.toml nested thousands of levels deep gave [E035] naming "input" rather than the file;
``max_file_mb = inf`` (or ``nan``) in [limits] passed the check, then every file failed with an E114 "please
report" that blamed the transcripts; and a gold .jsonl whose text held a raw U+2028, U+2029 or U+0085 (as
``json.dumps(..., ensure_ascii=False)`` writes them) was refused as "not JSON", because its lines were split at
those characters too. Now E035 names the file (and the gold line), [limits] must be finite (E039), and gold lines
are split at line feeds only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thematic.coding.evaluate import read_gold
from thematic.config import load_config
from thematic.errors import InputError, StudyError


def test_a_deeply_nested_gold_line_is_e035_naming_the_file_and_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a:1", "text": "x", "codes": []}\n'
                    '{"id": "a:2", "text": "x", "codes": [], "x": ' + "[" * 100000 + "]" * 100000 + "}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E035\] .*gold\.jsonl:2: nested too deeply"):
        read_gold(gold)


def test_a_deeply_nested_thematic_toml_is_e035_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "thematic.toml"
    path.write_text('[study]\nname = "S"\nzz = ' + "[" * 5000 + "1" + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[E035\] .*thematic\.toml: nested too deeply"):
        load_config(path)


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_limit_that_is_not_a_finite_number_is_e039(tmp_path: Path, value: str) -> None:
    path = tmp_path / "thematic.toml"
    path.write_text(f'[study]\nname = "S"\n\n[limits]\nmax_file_mb = {value}\n', encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[E039\] .*max_file_mb"):
        load_config(path)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x0c", "\x1e"])
def test_gold_texts_with_unicode_line_separators_are_read(tmp_path: Path, char: str) -> None:
    items = [{"id": f"d:{i}", "text": f"Text {i}.", "codes": ["c1"] if i % 2 else []} for i in range(4)]
    items[2]["text"] = f"She said{char}then she left."
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(("\r\n".join(json.dumps(it, ensure_ascii=False) for it in items) + "\r\n").encode("utf-8"))
    units, labels = read_gold(gold)
    assert list(units["text"]) == [it["text"] for it in items]
    assert labels == {"d:0": set(), "d:1": {"c1"}, "d:2": set(), "d:3": {"c1"}}


def test_a_bad_gold_line_is_still_named_by_its_line_feed_count(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a:1", "text": "x\u2028y", "codes": []}\n\n{"id": "a:2", oops}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:3: not JSON"):
        read_gold(gold)
