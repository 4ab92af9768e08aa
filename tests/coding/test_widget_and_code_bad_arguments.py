"""Bad arguments to ``study.widget`` and ``study.code`` were raw Python errors or an untrue header.

``study.widget(document=[])`` (or ``document=""``) showed "nothing is ingested yet" in a study with
ingested turns; ``start=None`` and ``document=3`` were raw TypeErrors from inside the widget; and
``study.code(segment, None)`` a TypeError from difflib. Now each is a coded error saying what to pass:
E043 for the widget's arguments (as the facade gives for other arguments it cannot use), and E340 (unknown
code) for a code id that is not text.
"""

from __future__ import annotations

import pytest
from coding.manual_support import fill_study

from thematic.errors import InputError


def _coded(call, code: str) -> InputError:
    with pytest.raises(InputError) as err:
        call()
    assert err.value.code == code, str(err.value)
    return err.value


@pytest.mark.parametrize("document", [[], "", " , "])
def test_widget_with_a_document_filter_naming_nothing_is_e043(study, document) -> None:  # noqa: ANN001
    fill_study(study)
    err = _coded(lambda: study.widget(coder="AB", document=document), "E043")
    assert "document" in str(err) and "ingest" not in str(err)


@pytest.mark.parametrize("document", [3, 2.5, ["int-01", 7]])
def test_widget_with_a_document_that_is_not_ids_is_e043(study, document) -> None:  # noqa: ANN001
    fill_study(study)
    err = _coded(lambda: study.widget(coder="AB", document=document), "E043")
    assert "document" in str(err) and "'int-01'" in str(err)


@pytest.mark.parametrize("start", [None, "x", 1.5, True])
def test_widget_with_a_start_that_is_not_a_whole_number_is_e043(study, start) -> None:  # noqa: ANN001
    fill_study(study)
    err = _coded(lambda: study.widget(coder="AB", start=start), "E043")
    assert "start" in str(err)


def test_widget_good_arguments_still_work(study) -> None:  # noqa: ANN001
    fill_study(study)
    w = study.widget(coder="AB", document=["int-02"], start=1)
    assert w.segment["segment_id"] == "int-02:3"
    assert study.widget(coder="AB", document="int-0*", start=1.0).segment["segment_id"] == "int-01:3"
    assert study.widget(coder="AB", document=(d for d in ["int-02"])).segment["segment_id"] == "int-02:1"


@pytest.mark.parametrize("code_id", [None, 3, ["funding"]])
def test_code_and_uncode_with_a_code_id_that_is_not_text_is_e340(study, code_id) -> None:  # noqa: ANN001
    fill_study(study)
    err = _coded(lambda: study.code("int-01:1", code_id, coder="AB"), "E340")
    assert "thematic codebook show" in str(err) or "Did you mean" in str(err)
    _coded(lambda: study.uncode("int-01:1", code_id, coder="AB"), "E340")
    assert study.codings().empty
