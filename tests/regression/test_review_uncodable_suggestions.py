"""Review of suggestions whose code a codebook release split away or retired.

Accepting one was allowed and made a counted coding of a code nobody may apply (``code add`` refuses
it with E210); the queue showed nothing of migrate's flag; and ``review --list`` through an 80-column
pipe folded its why and text columns to one character per line.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.manual_support import CODEBOOK_YAML, fill_study, suggest
from thematic.cli.main import app
from thematic.codebook import loads_codebook
from thematic.coding.review import decide, review_queue
from thematic.errors import InputError
from thematic.study import Study

runner = CliRunner()

FUNDING = """\
- id: funding
  label: Funding
  parent: barriers
  definition: Money, contracts and the lack of them.
"""
SPLIT = """\
- id: money
  label: Money
  parent: barriers
  definition: Money for peer roles.
- id: contracts
  label: Contracts
  parent: barriers
  definition: Commissioning and contracts.
"""
CHANGES = """\
changes:
- {version: 1.3.0, split: {from: funding, into: [money, contracts]}}
- {version: 1.3.0, retire: {code: generativity}, note: use hook_for_change}
themes:
"""


def _release(migrate: bool = True):  # noqa: ANN202
    """The fixture codebook as 1.3.0: funding split into money and contracts, generativity retired."""
    assert FUNDING in CODEBOOK_YAML
    return (CODEBOOK_YAML.replace("version: 1.2.0", "version: 1.3.0").replace(FUNDING, SPLIT)
            .replace("themes:\n", CHANGES, 1))


@pytest.fixture
def released(study):  # noqa: ANN001, ANN201
    fill_study(study)
    ids = {"funding": suggest(study.store, "int-01:3", "funding", 0.95),
           "security_vetting": suggest(study.store, "int-02:1", "security_vetting", 0.5),
           "generativity": suggest(study.store, "int-02:3", "generativity", 0.7)}
    study.codebook_path.write_text(_release(), encoding="utf-8")
    study.migrate_codebook(actor="HT")
    return study, ids


def test_accepting_a_split_or_retired_suggestion_is_refused_with_what_to_do(released) -> None:  # noqa: ANN001
    study, ids = released
    cb = study.codebook
    with pytest.raises(InputError, match=r"E383.*funding.*split.*money or contracts.*reject"):
        decide(study.store, ids["funding"], "accept", reviewer="AB", codebook=cb)
    with pytest.raises(InputError, match=r"E383.*generativity.*retired.*hook_for_change"):
        decide(study.store, ids["generativity"], "accept", reviewer="AB", codebook=cb)
    with pytest.raises(InputError, match="E383"):  # no codebook at hand: migrate's flag still says so
        decide(study.store, ids["funding"], "accept", reviewer="AB")
    with pytest.raises(InputError, match="E383"):  # the facade
        study.decide(ids["generativity"], "accept", reviewer="AB")
    assert set(study.store.codings(status="suggested")["coding_id"]) == set(ids.values())
    assert study.codings(counted=True).empty
    # they stay in the queue, flagged, so a person can recode or reject them
    q = review_queue(study.store, codebook=cb).set_index("code_id")
    assert q.loc["funding", "flag"].startswith("split: choose money or contracts")
    assert q.loc["generativity", "flag"].startswith("retired: generativity")
    assert q.loc["funding", "blocked"] and q.loc["generativity", "blocked"]
    assert pd.isna(q.loc["security_vetting", "blocked"]) and pd.isna(q.loc["security_vetting", "flag"])
    # recode and reject still work; an ordinary suggestion is accepted as before
    new = decide(study.store, ids["funding"], "recode", reviewer="AB", new_code="money", codebook=cb)
    assert study.store.coding(new.new_coding_id)["code_id"] == "money"
    decide(study.store, ids["generativity"], "reject", reviewer="AB", codebook=cb)
    decide(study.store, ids["security_vetting"], "accept", reviewer="AB", codebook=cb)
    assert sorted(study.codings(counted=True)["code_id"]) == ["money", "security_vetting"]


def test_before_migrate_the_codebook_alone_refuses_the_accept(study) -> None:  # noqa: ANN001
    fill_study(study)
    sid = suggest(study.store, "int-01:3", "funding", 0.95)
    cb = loads_codebook(_release(), path="fixture.yaml")
    with pytest.raises(InputError, match=r"E383.*split into money, contracts.*1\.3\.0"):
        decide(study.store, sid, "accept", reviewer="AB", codebook=cb)
    q = review_queue(study.store, codebook=cb)
    assert "split into money, contracts" in q["blocked"].iloc[0]


def test_review_cli_shows_the_flag_refuses_a_and_lets_the_reviewer_recode(released) -> None:  # noqa: ANN001
    study, ids = released
    root = study.root
    study.close()
    out = runner.invoke(app, ["review", "--reviewer", "AB", "--study", str(root)],
                        input="a\nc\nmoney\na\nr\n", env={"COLUMNS": "120"}).output
    assert "flag: split: choose money or contracts" in out
    assert "[E383]" in out and "flag: retired: generativity" in out
    assert "Done: 1 accept, 1 recode, 1 reject. 0 suggestion(s) left" in out
    with Study(root) as s:
        assert [s.store.coding(ids[c])["status"] for c in ("funding", "security_vetting", "generativity")] == [
            "rejected", "accepted", "rejected"]
        assert sorted(s.codings(counted=True)["code_id"]) == ["money", "security_vetting"]


def test_review_list_is_readable_through_an_80_column_pipe(released) -> None:  # noqa: ANN001
    study, _ids = released
    root = study.root
    study.close()
    res = runner.invoke(app, ["review", "--list", "--study", str(root)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    out = res.output
    assert "3 suggestion(s) to review" in out
    assert "split: choose money or contracts" in out  # the flag, on one line
    assert "Vetting is the big one." in out  # the text, not one letter per line
    assert "thematic.rules.v1" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_the_facade_refuses_the_accept_before_migrate_too(study) -> None:  # noqa: ANN001
    fill_study(study)
    sid = suggest(study.store, "int-01:3", "funding", 0.95)
    study.codebook_path.write_text(_release(), encoding="utf-8")   # released, not yet migrated
    with pytest.raises(InputError, match=r"E383.*split into money, contracts"):
        study.decide(sid, "accept", reviewer="AB")
    assert study.codings(counted=True).empty
