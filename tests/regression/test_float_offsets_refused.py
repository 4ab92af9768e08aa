"""A span's offsets must be whole numbers: a float is refused (E343), not truncated.

``study.code(("notes", 52.9, 57.9), ...)`` stored 52:57, a span nobody asked for, silently. A float with a
fraction is now [E343] and nothing is stored; a whole float (52.0, as read from a spreadsheet) and numpy
integers still work.
"""

from __future__ import annotations

import numpy as np
import pytest

from coding.manual_support import fill_study
from thematic.errors import InputError


@pytest.mark.parametrize("bad", [(5.9, 12), (5, 12.5), (float("nan"), 12), (True, 12)])
def test_a_fractional_offset_is_refused(study, bad) -> None:  # noqa: ANN001
    fill_study(study)
    with pytest.raises(InputError, match=r"\[E343\]"):
        study.code(("int-01", *bad), "generativity", coder="AB")
    with pytest.raises(InputError, match=r"\[E343\]"):
        study.uncode(("int-01", *bad), "generativity", coder="AB")
    assert study.store.codings().empty


def test_whole_numbers_of_any_type_still_work(study) -> None:  # noqa: ANN001
    fill_study(study)
    a = study.code(("int-01", 5.0, 12.0), "generativity", coder="AB")
    b = study.code(("int-01", np.int64(20), np.int32(30)), "funding", coder="AB")
    assert (a.start, a.end, b.start, b.end) == (5, 12, 20, 30)
    assert all(isinstance(v, int) for v in (a.start, a.end, b.start, b.end))
