"""`codebook migrate` used to overwrite a coding's flag when it applied a split, a retire or a merge that left two
codings differing only in status. A coding whose quote a re-ingest had lost ("re-ingest: quote not found in the
changed text", left out of every count until someone re-codes it) then carried a split/retired/merge flag instead,
so tables counted it again, the quote appendix quoted text nobody coded and REFI got offsets past the end of the
document. A migration now never clears a flag it did not set: the lost-quote flag stays exactly as it was (tables
and re-anchoring read it as it is written), and a flag a person or an earlier step set is kept beside the new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.models import FLAG_NOT_FOUND, Coding, Provenance
from thematic.study import Study, init_study

ALPHA = ("Interviewer: Tell me about work.\nDean: The money was poor and the pay came late.\n"
         "Interviewer: Barriers?\nDean: The vetting was a barrier, and the grant ran out.\n")
BETA = ("Interviewer: How did it go?\nAmy: I got a grant and the money helped my mother.\n"
        "Interviewer: Problems?\nAmy: Vetting again, a real barrier for us.\n")
CODEBOOK = """name: cb
version: 1.0.0
{changes}themes:
- {{id: work, definition: Work things.}}
codes:
{codes}"""
CODES = {
    "money": "- {id: money, parent: work, definition: Talk about pay.}\n",
    "funding": "- {id: funding, parent: work, definition: Talk about grants.}\n",
    "barriers": "- {id: barriers, parent: work, definition: Barriers to work.}\n",
    "family": "- {id: family, parent: work, definition: Family.}\n",
    "vetting": "- {id: vetting, parent: barriers, definition: Vetting.}\n",
    "other_barriers": "- {id: other_barriers, parent: barriers, definition: Other barriers.}\n",
    "finance": "- {id: finance, parent: work, definition: Pay and grants.}\n",
}


def _write(study: Study, codes: list[str], changes: str = "") -> None:
    assert study.codebook_path is not None
    study.codebook_path.write_text(CODEBOOK.format(changes=changes, codes="".join(CODES[c] for c in codes)),
                                   encoding="utf-8")


@pytest.fixture
def lost(tmp_path: Path):
    """A study whose alpha:3 codings lost their quote at a re-ingest (beta:3's are fine)."""
    study = init_study(tmp_path / "s", name="lost quotes")
    _write(study, ["money", "funding", "barriers", "family"])
    (study.paths.raw / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (study.paths.raw / "beta.txt").write_text(BETA, encoding="utf-8")
    assert study.ingest().ok
    study.release_codebook(None)
    yield study
    study.close()


def _lose_alpha_turn(study: Study) -> None:
    (study.paths.raw / "alpha.txt").write_text(ALPHA.replace("The vetting was a barrier, and the grant ran out.",
                                                             "Vetting, yes. It was hard."), encoding="utf-8")
    assert study.ingest().ok


def _flags(study: Study, document: str) -> dict[str, object]:
    df = study.store.codings(document=document)
    return dict(zip(df["code_id"], df["flag"]))


def _counted(study: Study, code: str) -> int:
    freq = study.frequencies(level="code")
    return int(freq.loc[freq["code_id"] == code, "n_segments"].sum())


def test_split_keeps_the_lost_quote_flag(lost: Study) -> None:
    lost.code("alpha:3", "barriers", coder="HT")
    lost.code("beta:3", "barriers", coder="HT")
    _lose_alpha_turn(lost)
    assert _flags(lost, "alpha") == {"barriers": FLAG_NOT_FOUND}
    assert _counted(lost, "barriers") == 1
    _write(lost, ["money", "funding", "barriers", "family", "vetting", "other_barriers"],
           "changes:\n- {version: 1.1.0, split: {from: barriers, into: [vetting, other_barriers]}}\n")
    lost.release_codebook("minor")
    report = lost.migrate_codebook(actor="HT")
    assert _flags(lost, "alpha") == {"barriers": FLAG_NOT_FOUND}  # still lost: not counted, re-anchored next ingest
    assert str(_flags(lost, "beta")["barriers"]).startswith("split: choose vetting or other_barriers")
    assert _counted(lost, "barriers") == 1
    assert report.count_before == report.count_after == 2
    alpha = lost.store.codings(document="alpha").iloc[0]
    assert alpha["codebook_version"] == "1.1.0"  # the migration still ran on it: it is not applied twice
    events = lost.store.events()
    note = events[(events["kind"] == "remap") & (events["coding_id"] == alpha["coding_id"])]["note"]
    assert note.str.contains("split barriers -> vetting, other_barriers").any()  # the split is on record


def test_retire_keeps_the_lost_quote_flag(lost: Study) -> None:
    lost.code("alpha:3", "family", coder="HT")
    lost.code("beta:1", "family", coder="HT")
    _lose_alpha_turn(lost)
    assert _counted(lost, "family") == 1
    _write(lost, ["money", "funding", "barriers", "family"], "changes:\n- {version: 1.1.0, retire: {code: family}}\n")
    lost.release_codebook("minor")
    lost.migrate_codebook(actor="HT")
    assert _flags(lost, "alpha") == {"family": FLAG_NOT_FOUND}
    assert str(_flags(lost, "beta")["family"]).startswith("retired: family (1.1.0)")
    assert _counted(lost, "family") == 1
    quoted = " ".join(map(str, lost.quotes().to_numpy().ravel()))
    assert "Vetting, yes" not in quoted  # the new turn, which nobody coded, is not quoted under family


def test_merge_duplicate_in_another_status_keeps_the_lost_quote_flag(lost: Study) -> None:
    seg = lost.segments().set_index("segment_id").loc["alpha:3"]
    start, end, text = int(seg["start"]), int(seg["end"]), str(seg["text"])
    lost.code("alpha:3", "money", coder="HT")
    suggestion = Coding(document_id="alpha", start=start, end=end, code_id="funding", coder="thematic.rules.v1",
                        status="suggested", segment_id="alpha:3", text=text, codebook_version="1.0.0",
                        provenance=Provenance("rules"))
    lost.store.add_codings([suggestion])
    lost.decide(suggestion.id, "accept", reviewer="HT")  # HT's accepted funding beside HT's own money
    _lose_alpha_turn(lost)
    assert set(_flags(lost, "alpha").values()) == {FLAG_NOT_FOUND}
    _write(lost, ["finance", "barriers", "family"],
           "changes:\n- {version: 1.1.0, merge: {from: [money, funding], into: finance}}\n")
    lost.release_codebook("minor")
    report = lost.migrate_codebook(actor="HT")
    df = lost.store.codings(document="alpha")
    assert set(df["code_id"]) == {"finance"} and len(df) == 2 and report.removed == 0
    assert df["flag"].tolist() == [FLAG_NOT_FOUND, FLAG_NOT_FOUND]
    assert _counted(lost, "finance") == 0


def test_a_flag_someone_set_is_kept_beside_the_migration_flag(lost: Study) -> None:
    coding = lost.code("beta:3", "barriers", coder="HT")
    lost.store.flag_codings([coding.id], "check with SO", actor="HT")
    _write(lost, ["money", "funding", "barriers", "family", "vetting", "other_barriers"],
           "changes:\n- {version: 1.1.0, split: {from: barriers, into: [vetting, other_barriers]}}\n")
    lost.release_codebook("minor")
    lost.migrate_codebook(actor="HT")
    flag = str(_flags(lost, "beta")["barriers"])
    assert flag.startswith("split: choose vetting or other_barriers") and flag.endswith("; check with SO")
    lost.migrate_codebook(actor="HT")  # running it again changes nothing
    assert str(_flags(lost, "beta")["barriers"]) == flag


def test_a_merge_keeps_the_coding_whose_quote_is_there_over_a_lost_one_on_the_same_span(lost: Study) -> None:
    lost.code("alpha:3", "money", coder="HT")  # older, made by hand: kept over a twin before its quote was lost
    same_length = "Grants were cut; the money went elsewhere, sadly."
    assert len(same_length) == len("The vetting was a barrier, and the grant ran out.")
    (lost.paths.raw / "alpha.txt").write_text(
        ALPHA.replace("The vetting was a barrier, and the grant ran out.", same_length), encoding="utf-8")
    assert lost.ingest().ok
    lost.code("alpha:3", "funding", coder="HT")  # the new turn: same offsets as the lost money coding
    _write(lost, ["finance", "barriers", "family"],
           "changes:\n- {version: 1.1.0, merge: {from: [money, funding], into: finance}}\n")
    lost.release_codebook("minor")
    report = lost.migrate_codebook(actor="HT")
    df = lost.store.codings(document="alpha")
    assert report.removed == 1 and len(df) == 1
    assert df["flag"].isna().all() and df["text"].iloc[0] == same_length
    assert _counted(lost, "finance") == 1
