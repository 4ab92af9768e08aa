"""E343 for a fractional offset told the caller to give a (document_id, start, end) tuple, which they had.

manual-coding.md says offsets are whole numbers; the message now says so and names the offending value.
"""

from __future__ import annotations

import pytest
from coding.manual_support import fill_study

from thematic.errors import InputError


def test_fractional_offset_message_says_whole_numbers(study) -> None:  # noqa: ANN001
    fill_study(study)
    with pytest.raises(InputError, match=r"\[E343\]") as err:
        study.code(("int-01", 30.9, 50), "generativity", coder="AB")
    message = str(err.value)
    assert "whole number" in message
    assert "30.9" in message
    assert study.store.codings().empty


def test_a_malformed_target_keeps_the_shape_advice(study) -> None:  # noqa: ANN001
    fill_study(study)
    with pytest.raises(InputError, match=r"\[E343\].*segment id such as") as err:
        study.code(42, "generativity", coder="AB")
    assert "whole number" not in str(err.value)
