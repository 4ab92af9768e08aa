"""Bad arguments from a notebook get coded errors saying what to pass, never raw Python exceptions."""

from __future__ import annotations

import pytest

from regression.unlike_example import code_two_coders, write_study
from thematic.analysis import cohen_kappa, krippendorff_alpha, percent_agreement
from thematic.analysis.charts import frequency_chart, save_figure
from thematic.errors import InputError
from thematic.study import Study


@pytest.fixture
def st(tmp_path):
    root = write_study(tmp_path / "s")
    code_two_coders(root)
    with Study(root) as study:
        yield study


def _coded(call, code: str) -> InputError:
    with pytest.raises(InputError) as err:
        call()
    assert err.value.code == code, str(err.value)
    return err.value


def test_agreement_functions_refuse_malformed_ratings() -> None:
    e = _coded(lambda: cohen_kappa([1, 0, 1], [1, 1]), "E043")
    assert "3" in str(e) and "2" in str(e)
    _coded(lambda: krippendorff_alpha([[1, 0], [1]]), "E043")
    _coded(lambda: percent_agreement("x"), "E043")
    _coded(lambda: percent_agreement([1, 0, 1]), "E043")  # one row: not coders x units
    assert cohen_kappa([1, 0, 1, 1], [1, 0, 1, 0]) == pytest.approx(0.5)
    assert krippendorff_alpha([[1, 1, 0, 0], [1, 1, 0, 1]]) == pytest.approx(0.533, abs=1e-3)


def test_charts_refuse_what_they_cannot_draw(st, tmp_path) -> None:
    freq = st.frequencies()
    _coded(lambda: frequency_chart(freq.iloc[0:0]), "E043")
    e = _coded(lambda: frequency_chart(st.agreement()), "E043")
    assert "frequencies" in str(e)
    _coded(lambda: frequency_chart(freq, level="themes"), "E403")
    out = tmp_path / "new" / "folder" / "chart.png"
    save_figure(frequency_chart(freq), str(out))  # missing folders are created, as other writers do
    assert out.is_file()


def test_code_hits_takes_segment_ids(st) -> None:
    sid = str(st.segments(include_interviewer=False)["segment_id"].iloc[0])
    done = st.code_hits([sid], "time_pressure", coder="AB")
    assert done.added == 1 and list(st.codings(coder="AB")["segment_id"]) == [sid]
    _coded(lambda: st.code_hits([1, 2], "time_pressure", coder="AB"), "E043")


def test_run_code_takes_a_string_of_suggesters(st) -> None:
    report = st.run_code(suggesters="rules")
    assert report is not None
