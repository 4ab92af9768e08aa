"""A person may not code, remove or decide under a suggester's name.

`--coder thematic.rules.v1` used to be taken as a person: "Coded" stored nothing (the key matched the
suggestion, whose evidence the memo overwrote), `code remove` rejected a suggestion AB had accepted, and
`code remove --id` deleted a suggestion AB had rejected, so it was suggested again. Every entry point that
takes a person's name now refuses a suggester's (a `thematic.` name, a registered suggester, or a name that
made suggestions in this study) with [E357], and nothing changes. A coding counts as a coder's only when it
is their manual coding or a suggestion they accepted (``owner.coder_codings``).
"""

from __future__ import annotations

import pytest

from coding.manual_support import fill_study
from thematic.coding.owner import coder_codings
from thematic.errors import InputError
from thematic.models import Coding, Provenance

RULES = "thematic.rules.v1"


def _suggest(store, seg_id: str, code_id: str, suggester: str = RULES, memo: str = "keyword 'vetting'",  # noqa: ANN001
             source: str = "suggester") -> str:
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, suggester, status="suggested", text=seg.text,
               segment_id=seg.id, confidence=0.6, provenance=Provenance(source, suggester), memo=memo)
    store.add_codings([c])
    return c.id


@pytest.fixture
def decided(study):  # noqa: ANN001, ANN201 - AB accepted one suggestion and rejected another
    fill_study(study)
    study.accepted = _suggest(study.store, "int-01:1", "security_vetting")
    study.rejected = _suggest(study.store, "int-01:3", "funding", memo="keyword 'funding'")
    study.open_one = _suggest(study.store, "int-02:1", "security_vetting")
    study.decide(study.accepted, "accept", reviewer="AB")
    study.decide(study.rejected, "reject", reviewer="AB")
    return study


def _state(study) -> list[tuple]:  # noqa: ANN001
    df = study.store.codings().sort_values("coding_id")
    return list(df[["coding_id", "status", "reviewer", "memo"]].itertuples(index=False, name=None))


@pytest.mark.parametrize("name", [RULES, " thematic.ensemble.v1 ", "Thematic.Rules.V1", "thematic.mine"])
def test_code_as_a_suggester_is_refused(decided, name: str) -> None:  # noqa: ANN001
    before = _state(decided)
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.code("int-01:1", "security_vetting", coder=name, memo="my note")
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.code("int-02:3", "been_there", coder=name)
    assert _state(decided) == before


def test_uncode_as_a_suggester_leaves_other_coders_decisions(decided) -> None:  # noqa: ANN001
    from thematic.coding.manual import uncode_id

    before = _state(decided)
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.uncode("int-01:1", "security_vetting", coder=RULES)
    with pytest.raises(InputError, match=r"\[E357\]"):
        uncode_id(decided.store, decided.rejected, coder=RULES)
    assert _state(decided) == before
    assert decided.store.coding(decided.accepted)["status"] == "accepted"
    assert decided.store.coding(decided.rejected)["status"] == "rejected"


def test_decide_and_mark_seen_as_a_suggester_are_refused(decided) -> None:  # noqa: ANN001
    before = _state(decided)
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.decide(decided.open_one, "accept", reviewer=RULES)
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.mark_seen(["int-02:1"], coder="thematic.ensemble.v1")
    assert _state(decided) == before
    assert decided.seen().empty or RULES not in set(decided.seen()["coder"])


def test_a_name_that_made_suggestions_here_is_refused(decided) -> None:  # noqa: ANN001
    """A suggester outside the `thematic.` names (a plug-in) is known by the suggestions it stored."""
    _suggest(decided.store, "int-02:3", "been_there", suggester="lab.keywords.v2", memo="keyword 'been there'")
    with pytest.raises(InputError, match=r"\[E357\].*lab\.keywords\.v2"):
        decided.code("int-02:3", "been_there", coder="lab.keywords.v2")
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.store.mark_seen(["int-02:3"], coder="lab.keywords.v2", source="api")


def test_a_sheet_import_as_a_suggester_is_refused(decided, tmp_path) -> None:  # noqa: ANN001
    path = decided.export_sheet(tmp_path / "ab.xlsx", coder="AB").path
    before = _state(decided)
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.import_sheet(path, coder=RULES)
    assert _state(decided) == before


def test_a_sheet_for_a_suggester_is_refused_before_it_is_written(decided, tmp_path) -> None:  # noqa: ANN001
    before = _state(decided)
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.export_sheet(tmp_path / "rules.xlsx", coder=RULES)
    assert not (tmp_path / "rules.xlsx").exists() and _state(decided) == before


def test_the_widget_refuses_a_suggester_name(decided) -> None:  # noqa: ANN001
    pytest.importorskip("ipywidgets")
    with pytest.raises(InputError, match=r"\[E357\]"):
        decided.widget(coder=RULES)


def test_a_coding_is_the_coders_only_when_manual_by_them_or_accepted_by_them(decided) -> None:  # noqa: ANN001
    """An accepted suggestion is its reviewer's, never its suggester's (whatever the suggester is called)."""
    other = _suggest(decided.store, "int-02:3", "been_there", suggester="Lee", memo="imported", source="refi")
    decided.decide(other, "accept", reviewer="AB")
    assert coder_codings(decided.store, "Lee").empty
    assert set(coder_codings(decided.store, "AB")["coding_id"]) == {decided.accepted, other}
    assert coder_codings(decided.store, RULES).empty
