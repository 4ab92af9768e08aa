"""When a changed setting (or a new thematic reading files differently) re-reads many files, `thematic ingest` says
so in one W107 line with the count and the first files, instead of one line per file crowding out the other
warnings; `--verbose` still names every file."""

from __future__ import annotations

from pathlib import Path

from .tiny_study import cli, methods_study

FILES = {f"{name}.txt": f"Interview\n\nResearcher 1: Q?\n\nP01: {name} taught online.\n\nIt went well.\n"
         for name in ("ana", "ben", "cat", "dee")}


def test_many_rereads_are_one_line(tmp_path: Path) -> None:
    root = methods_study(tmp_path / "study", FILES)
    cli(root, "ingest")
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('unit = "turn"', 'unit = "paragraph"'), encoding="utf-8")
    out = cli(root, "ingest")
    lines = [line for line in out.splitlines() if "[W107]" in line]
    assert len(lines) == 1, out
    assert lines[0].startswith("[W107] 4 files (data/raw/ana.txt, data/raw/ben.txt, data/raw/cat.txt, …): re-read because "
                             "the ingest settings")
    toml.write_text(toml.read_text(encoding="utf-8").replace('unit = "paragraph"', 'unit = "turn"'), encoding="utf-8")
    verbose = cli(root, "ingest", "--verbose")
    assert sum("[W107]" in line for line in verbose.splitlines()) == 4, verbose
