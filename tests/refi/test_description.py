"""A code's definition, criteria and id survive the trip through one REFI <Description>."""

from __future__ import annotations

from thematic.models import Code
from thematic.refi.description import code_description, guid_from_memo, memo_with_guid, parse_description


def test_description_round_trips_definition_criteria_and_id() -> None:
    code = Code(id="hooks", label="Hooks", parent="t", definition="Turning points.\nSecond line.",
                include=("a job offer",), exclude=("luck",), examples=("'I got the call'",))
    parsed = parse_description(code_description(code))
    assert (parsed.definition, parsed.include, parsed.exclude, parsed.examples, parsed.code_id) == (
        "Turning points.\nSecond line.", ["a job offer"], ["luck"], ["'I got the call'"], "hooks")


def test_description_from_other_programs_is_the_definition() -> None:
    parsed = parse_description("the foods people might eat\r\n- not a list heading")
    assert parsed.definition == "the foods people might eat\n- not a list heading" and parsed.code_id is None


def test_description_memo_keeps_the_refi_guid_and_sets() -> None:
    memo = memo_with_guid("Check with AB.", "0F8A1907-7E42-4739-8610-A676B4D1B69F", ["Feelings"])
    assert guid_from_memo(memo) == ("0F8A1907-7E42-4739-8610-A676B4D1B69F", "Check with AB.")
    assert guid_from_memo(None) == (None, "")
