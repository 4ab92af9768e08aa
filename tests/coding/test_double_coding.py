"""Partial double coding through the real store: sheets of a sample, the widget, review, and accepting.

Agreement must equal scikit-learn's Cohen's kappa and the ``krippendorff`` package's alpha over
exactly the segments both coders saw, whichever way the coverage was recorded.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
import krippendorff
from sklearn.metrics import cohen_kappa_score

from coding.manual_support import codebook, make_document, suggest
from thematic.analysis import agreement
from thematic.coding.review import decide
from thematic.coding.sample import draw_sample
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.models import Participant

CODES = ["generativity", "security_vetting", "funding"]
WORDS = ["It was hard, really hard", "They helped me out", "The money ran out", "I gave something back",
         "The checks took months", "Nobody trusted us at first"]


def fill_many(store, n_docs: int = 3, turns: int = 24) -> list[str]:
    """Documents without digits in their ids, interviewer and participant turns; returns participant segment ids."""
    ids = []
    for d, name in enumerate(["alpha", "beta", "gamma"][:n_docs]):
        rows = []
        for i in range(turns):
            rows.append(("Interviewer", None, True, f"Question {name} {i}?"))
            rows.append((f"Person{d}", f"P{d}", False, f"{WORDS[i % len(WORDS)]} ({name} {i})."))
        doc = make_document(f"interview-{name}", rows)
        store.save_document(doc)
        ids += [s.id for s in doc.segments if not s.is_interviewer]
    store.save_participants([Participant(f"P{d}", {"role": "mentor" if d else "user"}) for d in range(n_docs)])
    return ids


def decisions(seed: int, segment_ids: list[str]) -> dict[str, dict[tuple[str, str], int]]:
    """HT's and SO's 0/1 decision per (segment, code): SO agrees with HT 85% of the time."""
    rng = np.random.default_rng(seed)
    ht = {(s, c): int(rng.random() < 0.3 + 0.1 * k) for s in segment_ids for k, c in enumerate(CODES)}
    so = {key: v if rng.random() < 0.85 else 1 - v for key, v in ht.items()}
    return {"HT": ht, "SO": so}


def fill_sheet(path, decided: dict[tuple[str, str], int]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, 1).value
        for code in CODES:
            ws.cell(r, cols[code]).value = "x" if decided[(sid, code)] else None
    wb.save(path)


def check_against_references(table, dec, both: list[str]) -> None:
    t = table.set_index("code_id")
    for code in CODES:
        a = [dec["HT"][(s, code)] for s in both]
        b = [dec["SO"][(s, code)] for s in both]
        assert t.loc[code, "n_shared"] == len(both)
        assert t.loc[code, "cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)
        alpha = krippendorff.alpha(reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal")
        assert t.loc[code, "krippendorff_alpha"] == pytest.approx(alpha, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1])
def test_sheet_import_of_a_sample_gives_sklearn_kappa_and_krippendorff_alpha(store, tmp_path, seed) -> None:
    cb = codebook()
    ids = fill_many(store)
    dec = decisions(seed, ids)
    export_sheet(store, tmp_path / "HT.xlsx", coder="HT", codebook=cb)
    fill_sheet(tmp_path / "HT.xlsx", dec["HT"])
    import_sheet(store, tmp_path / "HT.xlsx", coder="HT", codebook=cb)
    result = draw_sample(store, coder="SO", fraction=0.25, by="document", seed=seed, codebook=cb,
                         out=tmp_path / "SO.xlsx")
    sample = list(result.segments["segment_id"])
    assert result.sheet is not None and openpyxl.load_workbook(result.sheet)["coding"].max_row == len(sample) + 1
    fill_sheet(tmp_path / "SO.xlsx", dec["SO"])
    report = import_sheet(store, tmp_path / "SO.xlsx", coder="SO", codebook=cb)
    assert report.seen == len(sample)  # unticked rows are seen too
    assert set(store.coverage("SO")["segment_id"]) == set(sample)
    table = agreement(store.codings(), store.segments(), coders="HT,SO", codebook=cb, coverage=store.coverage(),
                      n_boot=0)
    check_against_references(table, dec, [s for s in ids if s in set(sample)])
    restricted = agreement(store.codings(), store.segments(), coders="HT,SO", codebook=cb, coverage=store.coverage(),
                           sample=sample[:10], n_boot=0)
    assert (restricted["n_shared"] == 10).all()


def test_widget_and_review_coverage_give_sklearn_kappa_and_krippendorff_alpha(store) -> None:
    pytest.importorskip("ipywidgets")
    from thematic.notebook.widget import CodingWidget

    cb = codebook()
    ids = fill_many(store, n_docs=2, turns=20)
    dec = decisions(5, ids)
    widget = CodingWidget(store, coder="HT", codebook=cb)
    for _ in range(30):  # HT works through the first 30 segments, ticking and moving on
        sid = str(widget.segment["segment_id"])
        for code in CODES:
            if dec["HT"][(sid, code)]:
                widget.toggle(code)
        widget.next()
    ht_seen = ids[:30]
    assert set(store.coverage("HT")["segment_id"]) == set(ht_seen)
    so_segments = ids[20:]  # SO reviews suggestions of every code on segments 20..39
    for sid in so_segments:
        made = [suggest(store, sid, code, 0.6) for code in CODES]
        for cid, code in zip(made, CODES):
            decide(store, cid, "accept" if dec["SO"][(sid, code)] else "reject", reviewer="SO")
    assert set(store.coverage("SO")["segment_id"]) == set(so_segments)
    assert set(store.coverage("SO")["source"]) == {"review"}
    table = agreement(store.codings(), store.segments(), coders="HT,SO", codebook=cb, coverage=store.coverage(),
                      n_boot=0)
    check_against_references(table, dec, [s for s in ids if s in set(ht_seen) & set(so_segments)])


def test_accept_in_review_by_ht_counts_as_hts_coding_in_agreement(store) -> None:
    cb = codebook()
    ids = fill_many(store, n_docs=1, turns=8)
    for sid in ids[:4]:
        decide(store, suggest(store, sid, "funding", 0.7), "accept", reviewer="HT")
    for sid in ids[4:]:
        decide(store, suggest(store, sid, "funding", 0.4), "reject", reviewer="HT")
    from thematic.coding.manual import code

    for sid in ids[:4]:
        code(store, sid, "funding", coder="SO", codebook=cb)
    store.mark_seen(ids, coder="SO", source="api")
    table = agreement(store.codings(), store.segments(), coders="HT,SO", codebook=cb, coverage=store.coverage(),
                      n_boot=0).set_index("code_id")
    assert table.loc["funding", "n_HT"] == 4 and table.loc["funding", "n_SO"] == 4
    assert table.loc["funding", "cohen_kappa"] == 1.0 and table.loc["funding", "n_shared"] == len(ids)
    # the suggester is kept in provenance; the widget and sheet show the accepted codes as HT's ticks
    assert set(store.codings(status="accepted")["coder"]) == {"thematic.rules.v1"}
    assert export_sheet(store, store.path.parent / "HT.xlsx", coder="HT", codebook=cb).prefilled == 4
    pytest.importorskip("ipywidgets")
    from thematic.notebook.widget import CodingWidget

    w = CodingWidget(store, coder="HT", codebook=cb)
    assert w.checkboxes["funding"].value is True
