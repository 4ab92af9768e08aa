"""A mistyped option of a notebook facade method is a coded error (E044) naming it, the closest valid option
and every valid one, raised before any work is done; it was a raw TypeError from a library function
(``select_quotes() got an unexpected keyword argument``) or, for ``suggest``, a ValueError."""

from __future__ import annotations

import pytest

from regression.unlike_example import code_two_coders, write_study
from thematic.errors import InputError
from thematic.study import Study


@pytest.fixture(scope="module")
def st(tmp_path_factory):
    root = write_study(tmp_path_factory.mktemp("facade") / "s")
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,transcript,career_stage\nP1,ana,early\nP2,david,late\n", encoding="utf-8")
    code_two_coders(root)
    with Study(root) as study:
        yield study


TYPOS = [
    ("search", lambda s: s.search("time", contxt=10), "contxt", "context"),
    ("suggest", lambda s: s.suggest(suggester="rules", min_confidenc=0.2), "min_confidenc", "min_confidence"),
    ("suggest", lambda s: s.suggest(suggester="rules", min_zz=2), "min_zz", "min_confidence"),
    ("frequencies", lambda s: s.frequencies(coderr="HT"), "coderr", "coder"),
    ("code_matrix", lambda s: s.code_matrix(colums="document"), "colums", "columns"),
    ("cooccurrence", lambda s: s.cooccurrence(min_cont=1), "min_cont", "min_count"),
    ("attribute_tallies", lambda s: s.attribute_tallies(multiselect="x"), "multiselect", "multi_select"),
    ("crosstab", lambda s: s.crosstab("career_stage", "career_stage", margin=False), "margin", "margins"),
    ("agreement", lambda s: s.agreement(nboot=10), "nboot", "n_boot"),
    ("disagreements", lambda s: s.disagreements(unit="seen"), "unit", "units"),
    ("character_agreement", lambda s: s.character_agreement(code="time_pressure"), "code", "codes"),
    ("quotes", lambda s: s.quotes(max_quote=2), "max_quote", "max_quotes"),
    ("quotes", lambda s: s.quotes(documents="ana"), "documents", "in_documents"),  # the facade fills documents
    ("report_quotes", lambda s: s.report_quotes("reports/typo.md", max_quote=2), "max_quote", "max_quotes"),
    ("report_quotes", lambda s: s.report_quotes("reports/typo.md", templat="t.docx"), "templat", "template"),
    ("report_workbook", lambda s: s.report_workbook("reports/typo.xlsx", nboot=10), "nboot", "n_boot"),
    ("export_codings", lambda s: s.export_codings("reports/typo.csv", include_sugested=True), "include_sugested",
     "include_suggested"),
    ("export_tables", lambda s: s.export_tables("reports/typo", format="csv", bye="career_stage"), "bye", "by"),
    ("widget", lambda s: s.widget(coder="HT", documnt="ana"), "documnt", "document"),
]


@pytest.mark.parametrize(("method", "call", "typo", "meant"), TYPOS, ids=[f"{t[0]}-{t[2]}" for t in TYPOS])
def test_unknown_option_is_e044_naming_it_the_closest_and_the_valid_ones(st, method, call, typo, meant) -> None:
    with pytest.raises(InputError) as err:
        call(st)
    msg = str(err.value)
    assert err.value.code == "E044", msg
    assert msg.startswith(f"[E044] study.{method}(") and f"has no option '{typo}'" in msg, msg
    assert f"Did you mean '{meant}'?" in msg, msg
    assert meant in msg.rsplit(":", 1)[1], msg  # listed among the valid options
    assert "\n" not in msg
    assert not list((st.root / "reports").glob("typo*"))  # refused before anything was written


def test_facade_methods_with_options_are_all_checked(st) -> None:
    """Every facade method that takes **options is in TYPOS (a new one must check its options too)."""
    import inspect

    with_options = {name for name, f in inspect.getmembers(Study, inspect.isfunction)
                    if not name.startswith("_")
                    and any(p.kind is p.VAR_KEYWORD for p in inspect.signature(f).parameters.values())}
    assert with_options == {t[0] for t in TYPOS}


def test_valid_options_still_work(st) -> None:
    assert len(st.search("time", context=10, participant_attr={"career_stage": "early"}))
    assert "code_id" in st.suggest(suggester="rules", min_confidence=0.1).columns
    assert len(st.frequencies(coder="HT", by="career_stage"))
    assert len(st.code_matrix(columns="document"))
    st.cooccurrence(min_count=1)
    assert len(st.attribute_tallies(["career_stage"], sep=";"))
    assert len(st.crosstab("career_stage", "career_stage", margins=False))
    assert len(st.agreement(n_boot=10))
    st.disagreements(units="seen")
    st.character_agreement(codes="time_pressure")
    assert len(st.quotes(max_quotes=1, in_documents="ana"))
    assert st.report_quotes("reports/ok.md", max_quotes=1).is_file()
    assert st.report_workbook("reports/ok.xlsx", n_boot=10).is_file()
    assert st.export_codings("reports/ok.csv", include_suggested=True).is_file()
    assert st.export_tables("reports/ok", format="csv", by="career_stage")
