"""A chart whose labels hold characters its font lacks (Chinese, Korean, symbols) drew each one as an empty box,
and the only sign was matplotlib's raw "Glyph 20013 (...) missing from font(s) DejaVu Sans." warnings with a
source path, one per character and drawing. Now charts draw such characters from any installed font that has them
(matplotlib's own STIX font included, so a star or a circled letter shows); a character no installed font has gives
one coded warning, W404, naming the chart, the characters and how to install a font; no raw warning is shown."""

from __future__ import annotations

import warnings
from pathlib import Path

from regression.tiny_study import cli, codebook_yaml, runner, study_with, ENV
from thematic.analysis.charts import chart_font_families, save_figure
from thematic.cli.main import app

PRIVATE = "\ue000"  # a private-use character: no font draws it


def _study(root: Path, label: str) -> Path:
    codes = f"- {{id: star, label: '{label}', parent: life, definition: Stars.}}\n"
    study_with(root, codebook_yaml(codes), {"int.txt": "Interviewer: Q.\nAnna: A star.\n"})
    cli(root, "ingest")
    cli(root, "code", "add", "int:1", "star", "--coder", "HT")
    return root


def _chart(root: Path, out: Path) -> list[str]:
    from thematic.analysis import frequencies, load_frames
    from thematic.analysis.charts import frequency_chart
    from thematic.study import Study

    with Study.open(root) as study:
        frames = load_frames(study)
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_figure(frequency_chart(freq), str(out))
    return [str(w.message) for w in caught]


def test_a_symbol_the_default_font_lacks_is_drawn_from_another_installed_font(tmp_path: Path) -> None:
    assert "STIXGeneral" in chart_font_families()  # shipped with matplotlib
    messages = _chart(_study(tmp_path / "s", "Gold \u2b50 star"), tmp_path / "c.png")
    assert not [m for m in messages if "Glyph" in m or "W404" in m], messages


def test_a_character_no_font_has_gives_one_coded_warning(tmp_path: Path) -> None:
    out = tmp_path / "c.png"
    messages = _chart(_study(tmp_path / "s", f"Odd {PRIVATE} mark"), out)
    coded = [m for m in messages if m.startswith("[W404]")]
    assert len(coded) == 1, messages
    assert str(out) in coded[0] and "U+E000" in coded[0] and "font" in coded[0]
    assert not [m for m in messages if m.startswith("Glyph")], messages
    assert out.is_file()


def test_the_cli_shows_the_coded_line_and_no_raw_warning(tmp_path: Path) -> None:
    root = _study(tmp_path / "s", f"Odd {PRIVATE} mark")
    res = runner.invoke(app, ["tables", "frequency", "--chart", str(tmp_path / "c.png"), "--study", str(root)],
                        env=ENV)
    assert res.exit_code == 0, res.output
    assert "[W404]" in res.output and "Glyph" not in res.output


def test_only_installed_families_are_asked_for() -> None:
    families = chart_font_families(candidates=("STIXGeneral", "No Such Font Anywhere"))
    assert "STIXGeneral" in families and "No Such Font Anywhere" not in families


def test_the_appendix_charts_say_so_too(tmp_path: Path) -> None:
    from thematic.analysis import load_frames
    from thematic.export.reports import report_quotes
    from thematic.study import Study

    with Study.open(_study(tmp_path / "s", f"Odd {PRIVATE} mark")) as study:
        frames = load_frames(study)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report_quotes(frames, tmp_path / "a.docx", charts=True)
    messages = [str(w.message) for w in caught]
    assert [m for m in messages if m.startswith("[W404] the appendix's")], messages
    assert not [m for m in messages if m.startswith("Glyph")], messages
