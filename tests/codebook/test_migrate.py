"""Migration against a real store: every kind keeps the coding count, remaps as specified, and is logged."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from thematic.codebook import load_codebook, loads_codebook, migrate
from thematic.codebook.migrate import migration_log
from thematic.study import status


def _codes_by_id(store):
    return dict(zip(store.codings()["coding_id"], store.codings()["code_id"]))


def _run(store, text, **kw):
    before = store.codings()
    report = migrate(loads_codebook(text), store, actor="HT", **kw)
    after = store.codings()
    assert len(before) == len(after) == report.count_before == report.count_after
    assert set(before["coding_id"]) == set(after["coding_id"])  # nothing deleted, nothing added
    return report, before.set_index("coding_id"), after.set_index("coding_id")


def test_rename_remaps_code_and_version(coded_store, make_yaml, base_codes, replace):
    text = make_yaml("0.2.0", codes=replace(base_codes, "peer_help", id="peer_support"),
                     changes=[{"version": "0.2.0", "rename": {"from": "peer_help", "to": "peer_support"}}])
    report, before, after = _run(coded_store, text)
    renamed = before.index[before["code_id"] == "peer_help"]
    assert (after.loc[renamed, "code_id"] == "peer_support").all() and len(renamed) == 2
    assert (after["codebook_version"] == "0.2.0").all()
    assert report.remapped == 2 and report.flagged == 0
    events = coded_store.events()
    remaps = events[events["kind"] == "remap"]
    assert len(remaps) == len(after)  # 2 renamed + 4 version bumps
    payload = json.loads(remaps[remaps["coding_id"] == renamed[0]]["payload"].iloc[0])
    assert payload["before"]["code_id"] == "peer_help" and payload["after"]["code_id"] == "peer_support"
    assert "rename peer_help -> peer_support" in remaps["note"].iloc[0]


def test_merge_remaps_all_sources_and_removes_exact_duplicates(coded_store, make_yaml, base_codes, make_coding):
    coded_store.add_codings([make_coding("int01", 0, "staff_help")])  # same span and coder as a peer_help coding
    codes = [c for c in base_codes if c["id"] != "staff_help"]
    text = make_yaml("0.2.0", codes=codes,
                     changes=[{"version": "0.2.0", "merge": {"from": ["peer_help", "staff_help"], "into": "peer_help"}}])
    before = coded_store.codings().set_index("coding_id")
    report = migrate(loads_codebook(text), coded_store, actor="HT")
    after = coded_store.codings().set_index("coding_id")
    assert "staff_help" not in set(after["code_id"])
    assert (after["code_id"] == "peer_help").sum() == 3  # 2 peer_help + 1 staff_help; the exact duplicate went
    assert len(before) - len(after) == report.removed == 1 == report.count_before - report.count_after
    assert after["flag"].isna().all()
    removed = coded_store.events()
    removed = removed[removed["kind"] == "remove"]
    assert len(removed) == 1 and "duplicate of" in removed["note"].iloc[0]
    assert report.remapped == 1  # only the staff_help coding that is not a duplicate changed code


def test_split_sends_codings_to_review_without_changing_the_code(coded_store, make_yaml, base_codes):
    codes = [c for c in base_codes if c["id"] != "money"] + [
        {"id": "no_budget", "label": "No budget", "parent": "barriers", "definition": "Services lack budget."},
        {"id": "personal_costs", "label": "Personal costs", "parent": "barriers", "definition": "Own costs."}]
    text = make_yaml("0.2.0", codes=codes,
                     changes=[{"version": "0.2.0", "split": {"from": "money", "into": ["no_budget", "personal_costs"]}}])
    report, before, after = _run(coded_store, text)
    split = before.index[before["code_id"] == "money"]
    assert (after.loc[split, "code_id"] == "money").all()
    assert all(f.startswith("split: choose no_budget or personal_costs") for f in after.loc[split, "flag"])
    assert report.flagged == 2 and report.remapped == 0


def test_retire_keeps_code_and_flags(coded_store, make_yaml):
    text = make_yaml("0.2.0", changes=[{"version": "0.2.0", "retire": {"code": "vetting"}}])
    report, before, after = _run(coded_store, text)
    row = after[after["code_id"] == "vetting"].iloc[0]
    assert row["flag"].startswith("retired: vetting") and row["codebook_version"] == "0.2.0"
    assert after["flag"].notna().sum() == 1


def test_migration_is_idempotent_and_recorded(coded_store, make_yaml, base_codes, replace):
    text = make_yaml("0.2.0", codes=replace(base_codes, "peer_help", id="peer_support"),
                     changes=[{"version": "0.2.0", "rename": {"from": "peer_help", "to": "peer_support"}}])
    _run(coded_store, text)
    n_events = len(coded_store.events())
    again, _, _ = _run(coded_store, text)
    assert again.touched == 0 and len(coded_store.events()) == n_events
    log = migration_log(coded_store, "mini")
    assert [e["kind"] for e in log] == ["rename", "bump"] and log[0]["actor"] == "HT"


def test_dry_run_writes_nothing(coded_store, make_yaml):
    text = make_yaml("0.2.0", changes=[{"version": "0.2.0", "retire": {"code": "vetting"}}])
    before_events = len(coded_store.events())
    report, before, after = _run(coded_store, text, dry_run=True)
    assert report.dry_run and report.touched == 6 and report.flagged == 1
    assert len(coded_store.events()) == before_events and after.equals(before)


def test_codings_made_after_a_change_are_not_remapped(coded_store, make_yaml, base_codes, make_coding):
    """A rename at 0.2.0 only touches codings made under older versions (an id may be reused later)."""
    coded_store.add_codings([make_coding("int09", 0, "peer_help", version="0.3.0")])
    codes = base_codes + [{"id": "peer_support", "label": "P", "parent": "support", "definition": "New."}]
    text = make_yaml("0.3.0", codes=codes, changes=[
        {"version": "0.2.0", "rename": {"from": "old_help", "to": "peer_support"}}])
    coded_store.add_codings([make_coding("int09", 20, "old_help", version="0.1.0")])
    _, _, after = _run(coded_store, text)
    assert after[after["document_id"] == "int09"].sort_values("start")["code_id"].tolist() == ["peer_help",
                                                                                               "peer_support"]


def test_unknown_codes_are_flagged_not_lost(coded_store, make_yaml, base_codes):
    text = make_yaml("0.2.0", codes=[c for c in base_codes if c["id"] != "vetting"])
    _, _, after = _run(coded_store, text)
    row = after[after["code_id"] == "vetting"].iloc[0]
    assert row["flag"].startswith("unknown code: 'vetting'") and row["codebook_version"] == "0.2.0"


def test_pending_entries_are_reported_not_applied(coded_store, make_yaml, base_codes):
    codes = base_codes + [{"id": "peer_support", "label": "P", "parent": "support", "definition": "New."}]
    text = make_yaml("0.1.0", codes=[c for c in codes if c["id"] != "peer_help"],
                     changes=[{"version": "0.2.0", "rename": {"from": "peer_help", "to": "peer_support"}}])
    report, _, after = _run(coded_store, text)
    assert report.pending == ("0.2.0 rename peer_help -> peer_support",)
    assert (after["code_id"] == "peer_help").sum() == 2


def test_status_shows_older_codings_until_migrated(study, make_yaml, base_codes, replace, make_coding):
    """End to end: a codebook changed after coding; status lists older codings; migrate clears them."""
    path = study.codebook_path
    path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    study.store.add_codings([make_coding("int01", 0, "peer_help"), make_coding("int01", 20, "money")])
    assert status(study)["codings_under_older_versions"] == []
    path.write_text(make_yaml("0.2.0", codes=replace(base_codes, "peer_help", id="peer_support"),
                              changes=[{"version": "0.2.0", "rename": {"from": "peer_help", "to": "peer_support"}}]))
    info = status(study)
    assert info["codebook_version"] == "0.2.0" and info["codings_under_older_versions"] == [("0.1.0", 2)]
    report = study.migrate_codebook(actor="HT")
    assert report.remapped == 1
    info = status(study)
    assert info["codings_under_older_versions"] == [] and info["codings"] == 2
    assert sorted(study.store.codings()["code_id"]) == ["money", "peer_support"]
    assert load_codebook(path).version == "0.2.0"


@pytest.mark.parametrize("kind", ["rename", "merge", "split", "retire"])
def test_every_kind_keeps_the_count(coded_store, make_yaml, base_codes, kind):
    extra = [{"id": "x_one", "label": "X1", "parent": "support", "definition": "One."},
             {"id": "x_two", "label": "X2", "parent": "support", "definition": "Two."}]
    body = {"rename": {"from": "staff_help", "to": "x_one"}, "merge": {"from": ["staff_help", "money"], "into": "x_one"},
            "split": {"from": "staff_help", "into": ["x_one", "x_two"]}, "retire": {"code": "staff_help"}}[kind]
    gone = {"rename": {"staff_help"}, "merge": {"staff_help", "money"}}.get(kind, set())
    text = make_yaml("1.0.0", codes=[c for c in base_codes if c["id"] not in gone] + extra,
                     changes=[{"version": "1.0.0", kind: body}])
    n = coded_store.counts()["codings"]
    report = migrate(loads_codebook(text), coded_store, actor="HT")
    assert coded_store.counts()["codings"] == n == report.count_after
    assert report.steps[0].kind == kind and len(report.steps[0].changes) >= 1


def test_a_rename_released_after_the_code_went_unknown_clears_that_flag(coded_store, make_yaml, base_codes, replace):
    """Released once with the id changed but the rename entry for a later version: the codings were
    flagged 'unknown code'; the release with the rename remapped them but left the stale flag."""
    renamed = replace(base_codes, "peer_help", id="peer_support")
    entry = [{"version": "0.3.0", "rename": {"from": "peer_help", "to": "peer_support"}}]
    _, _, early = _run(coded_store, make_yaml("0.2.0", codes=renamed, changes=entry))
    flagged = early.index[early["code_id"] == "peer_help"]
    assert len(flagged) == 2 and early.loc[flagged, "flag"].str.startswith("unknown code: 'peer_help'").all()
    coded_store.flag_codings([flagged[0]], "check the quote", actor="SO")  # a person's flag is never cleared
    report, _, after = _run(coded_store, make_yaml("0.3.0", codes=renamed, changes=entry))
    assert (after.loc[flagged, "code_id"] == "peer_support").all() and report.remapped == 2
    assert after.loc[flagged[0], "flag"] == "check the quote" and pd.isna(after.loc[flagged[1], "flag"])
