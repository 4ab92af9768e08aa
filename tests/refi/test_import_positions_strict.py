"""Selection positions are read as xsd:integer, and a selection that ends before it starts is never placed silently.

Before, positions went through Python's ``int()``, which also takes ``1_0`` and digits of other scripts (``١٢``):
such selections became codings on spans nobody chose, although the docs say a position that is not an integer
is skipped with [W512]. A selection whose end came before its start was swapped without a word. Now only ASCII
digits with an optional sign (and surrounding whitespace) are positions, anything else gives [W512] naming the
selection; a reversed selection is placed on the span between its positions with [W515], and its codings are
flagged for review unless its quote matches the text there.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic.refi import import_refi
from thematic.study import Study

TEXT = "Host: Hello there. Guest: I worry about the rent."
QUOTE = "I worry about the rent."
SEL = "B2000000-0000-4000-8000-0000000000{:02d}".format


def _qde(path: Path, selections: list[tuple[str, str, str]]) -> Path:
    sels = "".join(
        f'<PlainTextSelection guid="{SEL(i)}" name="{name}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{SEL(90)}"><Coding guid="{SEL(i + 40)}" creatingUser="{SEL(90)}">'
        f'<CodeRef targetGUID="{SEL(91)}"/></Coding></PlainTextSelection>'
        for i, (start, end, name) in enumerate(selections, start=1))
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" '
        f'origin="QualCoder 3.5"><Users><User guid="{SEL(90)}" name="AB"/></Users><CodeBook><Codes>'
        f'<Code guid="{SEL(91)}" name="Rent" isCodable="true"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{SEL(92)}" name="doc"><PlainTextContent>{TEXT}</PlainTextContent>{sels}</TextSource>'
        f"</Sources></Project>", encoding="utf-8")
    return path


@pytest.mark.parametrize(("start", "end"), [("1_0", "2_0"), ("١٢", "٢٠"), ("1 0", "20"), ("0x1", "20"),
                                            ("1e1", "20"), ("12", "20.0"), ("", "20")])
def test_a_position_that_is_not_an_xsd_integer_is_skipped_with_w512(tmp_path: Path, start: str, end: str) -> None:
    report = import_refi(_qde(tmp_path / "p.qde", [(start, end, "Sel 1")]), tmp_path / "st")
    assert report.imported["codings"] == 0
    assert [w for w in report.not_carried_over if w.startswith("[W512] doc: selection " + SEL(1))], \
        report.not_carried_over


def test_signed_and_padded_integers_are_positions(tmp_path: Path) -> None:
    s = TEXT.index(QUOTE)
    report = import_refi(_qde(tmp_path / "p.qde", [(f"+{s}", f" {s + len(QUOTE)}\n", QUOTE)]), tmp_path / "st")
    assert report.imported["codings"] == 1 and report.verified == 1 and report.not_carried_over == []


def test_a_reversed_selection_is_placed_with_w515_and_flagged_unless_its_quote_matches(tmp_path: Path) -> None:
    s, e = TEXT.index(QUOTE), TEXT.index(QUOTE) + len(QUOTE)
    report = import_refi(_qde(tmp_path / "p.qde", [(str(e), str(s), QUOTE), ("12", "6", "Sel 2")]), tmp_path / "st")
    w515 = [n for n in report.notes if n.startswith("[W515]")]
    assert len(w515) == 2 and SEL(1) in w515[0] and SEL(2) in w515[1], report.notes
    with Study(tmp_path / "st") as study:
        rows = study.store.codings().sort_values("start")
    assert rows[["start", "end", "text"]].values.tolist() == [[6, 12, "Hello "], [s, e, QUOTE]]
    flags = rows["flag"].tolist()
    assert isinstance(flags[0], str) and "reversed" in flags[0]  # a span nobody can confirm: for review
    assert pd.isna(flags[1])  # the quote matches: the span is the one chosen
