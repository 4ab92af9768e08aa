"""``max_quotes`` must be None or a whole number >= 1: -1 used to drop each code's last quote, 0 every quote."""

from __future__ import annotations

import pytest

from regression.unlike_example import code_two_coders, write_study
from thematic.errors import InputError
from thematic.study import Study


@pytest.mark.parametrize("bad", [-1, 0, 1.5, True])
def test_max_quotes_out_of_range_is_refused(tmp_path, bad) -> None:
    root = write_study(tmp_path / "s")
    code_two_coders(root)
    with Study(root) as st:
        assert len(st.quotes(max_quotes=1)) >= 1
        for call in (lambda: st.quotes(max_quotes=bad), lambda: st.report_quotes("reports/a.md", max_quotes=bad)):
            with pytest.raises(InputError) as err:
                call()
            assert err.value.code == "E403" and "max_quotes" in str(err.value)
        assert not (root / "reports/a.md").exists()
