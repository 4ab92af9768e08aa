"""Coder names after NFC normalisation: older stores, untrimmed search coders, and the coder index.

Names are trimmed and NFC-normalised on every write (454a4fe). Three gaps a review found: a study whose
coder was stored in decomposed form (before that change) split into two coders when the same person
typed the same name; ``search --code`` compared the untrimmed name with their accepted suggestions, so it
coded the span again; and the name check scanned the codings table without an index.
"""

from __future__ import annotations

import sqlite3
import unicodedata

from coding.manual_support import fill_study, suggest
from thematic.coding.owner import coder_codings
from thematic.coding.search import code_hits, search

DECOMPOSED = unicodedata.normalize("NFD", "Zoë")


def test_a_stored_decomposed_name_keeps_its_codings(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.store._conn.execute(  # a coding stored by an older version, under the decomposed spelling
        "UPDATE codings SET coder=? WHERE coding_id=?",
        (DECOMPOSED, study.code("int-01:1", "generativity", coder="tmp").id))
    assert study.store.person("Zoë") == DECOMPOSED
    assert study.uncode("int-01:1", "generativity", coder="Zoë") == 1
    assert study.store.codings(coder=DECOMPOSED).empty


def test_a_new_name_is_stored_composed(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder=DECOMPOSED)
    assert set(study.store.codings()["coder"]) == {"Zoë"}


def test_search_code_with_an_untrimmed_name_skips_an_accepted_span(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.decide(suggest(study.store, "int-01:3", "security_vetting", 0.6), "accept", reviewer="AB")
    hits = search(study.store, "vetting")
    done = code_hits(study.store, hits, "security_vetting", coder=" AB ", query="vetting", scope="segment")
    assert done.skipped == 1
    mine = coder_codings(study.store, "AB")
    assert len(mine.loc[mine["segment_id"] == "int-01:3"]) == 1


def test_codings_are_indexed_by_coder(study) -> None:  # noqa: ANN001
    fill_study(study)
    path = study.store.path
    with sqlite3.connect(path) as con:
        names = {r[1] for r in con.execute("PRAGMA index_list(codings)")}
        plan = " ".join(str(r[-1]) for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT 1 FROM codings WHERE coder='AB' LIMIT 1"))
    assert "codings_coder" in names and "codings_coder" in plan
