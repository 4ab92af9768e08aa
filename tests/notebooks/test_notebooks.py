"""The example notebooks run top to bottom on a copy of the example study, and say what they should.

Each notebook is executed once per session with nbclient (kernel ``python3`` from this
interpreter, working folder ``notebooks/``), with a probe cell appended that prints the facts the
tests check as JSON. The notebooks copy the study into ``tempfile.mkdtemp()``; TMPDIR points that
at pytest's temporary folder, and the tests check the repository's own study files are untouched.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
TWO_CODERS = REPO / "tests" / "gold" / "two-coders.jsonl"
MARK = "__probe__"

PROBES = {
    "01-quickstart": """
import json
_freq_values = list(freq["n_of_N"].astype(str))
print("__probe__" + json.dumps({
    "appendix": str(appendix),
    "root": str(study.root),
    "decided": decided,
    "accepted": int((study.codings(status="accepted")["suggested_by"] == "thematic.ensemble.v1").sum()),
    "n_of_N": _freq_values[:40],
    "theme_labels": [t.label for t in study.codebook.themes],
}))
""",
    "02-two-coders": """
import json
print("__probe__" + json.dumps({
    "root": str(study.root),
    "imports": {c: {"added": r.added, "seen": r.seen, "problems": len(r.problems())} for c, r in imports.items()},
    "sample": list(drawn.segments["segment_id"]),
    "n_candidates": drawn.n_candidates,
    "before": before[["code_id", "n_shared", "cohen_kappa", "krippendorff_alpha", "cohen_kappa_low", "cohen_kappa_high"]].to_dict("list"),
    "old_rule_shared": int(old_rule["n_shared"].iloc[0]),
    "n_disagreements": len(dis),
    "n_disagreements_after": len(study.disagreements()),
    "settled": len(settled),
    "n_alike": n_alike,
    "consensus_seen": len(study.seen("consensus")),
    "consensus_note": frames.consensus_note,
}, default=float))
""",
    "03-assisted-coding": """
import json
print("__probe__" + json.dumps({
    "root": str(study.root),
    "suggesters": SUGGESTERS,
    "summary": summary[["suggester", "code_id", "precision", "recall", "f1"]].to_dict("records"),
    "baseline_f1": float(scores.set_index(["suggester", "code_id"]).loc[("baseline.most_frequent", "(micro)"), "f1"]),
    "model_status": model_row.status,
    "model_added": model_row.added,
    "distances": [float(d) for d in queue["distance"].head(30)],
    "own_precision": float(own_scores.set_index(["suggester", "code_id"]).loc[("thematic.rules.v1", "(micro)"), "precision"]),
    "own_units": own["n_units"],
    "ht_seen": len(study.seen("HT")),
    "accepted_turns": int(accepted_turns),
}, default=float))
""",
}


def _snapshot() -> dict[str, int]:
    """Every file of the repository's study outputs with its modification time."""
    out = {}
    for folder in (REPO / "data" / "coded", REPO / "reports"):
        for p in folder.rglob("*") if folder.is_dir() else []:
            if p.is_file():
                out[p.relative_to(REPO).as_posix()] = p.stat().st_mtime_ns
    return out


def _run(name: str, tmp: Path) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """Execute notebook ``name`` with a probe cell appended; the notebook and the probe's JSON."""
    assert importlib.util.find_spec("ipykernel") is not None, "ipykernel is needed to run the notebooks"
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nb.cells.append(new_code_cell(PROBES[name].strip()))
    with pytest.MonkeyPatch.context() as mp:
        if name == "01-quickstart":  # finds the study by walking up from notebooks/
            mp.delenv("THEMATIC_EXAMPLE_STUDY", raising=False)
        else:
            mp.setenv("THEMATIC_EXAMPLE_STUDY", str(REPO))
        mp.setenv("THEMATIC_NOTEBOOK_QUICK", "1")
        mp.setenv("TMPDIR", str(tmp))
        mp.setenv("MPLBACKEND", "Agg")
        mp.setenv("OPENBLAS_NUM_THREADS", "1")
        client = NotebookClient(nb, kernel_name="python3", timeout=600,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    line = next(ln for ln in text.splitlines() if ln.startswith(MARK))
    return nb, json.loads(line[len(MARK):])


_CACHE: dict[str, tuple[nbformat.NotebookNode, dict[str, Any], dict[str, int], dict[str, int]]] = {}


@pytest.fixture
def executed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Run a notebook once per session: (notebook, probe, repo snapshot before, after)."""
    def run(name: str) -> tuple[nbformat.NotebookNode, dict[str, Any], dict[str, int], dict[str, int]]:
        if name not in _CACHE:
            before = _snapshot()
            nb, probe = _run(name, tmp_path_factory.mktemp(name))
            _CACHE[name] = (nb, probe, before, _snapshot())
        return _CACHE[name]

    return run


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.outputs if o.output_type == "error"]


def _tagged(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if tag in c.get("metadata", {}).get("tags", []))


def test_notebooks_are_saved_without_outputs() -> None:
    """The repository keeps the notebooks clean: outputs would hold temporary paths and dates."""
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3", path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == set(PROBES)


@pytest.mark.slow
def test_quickstart_writes_a_word_appendix(executed) -> None:
    import docx

    nb, probe, before, after = executed("01-quickstart")
    assert _errors(nb) == []
    assert before == after, "the notebook changed the repository's own study files"
    appendix = Path(probe["appendix"])
    assert appendix.is_file() and appendix.is_relative_to(Path(probe["root"]) / "reports")
    doc = docx.Document(str(appendix))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert any(label in headings for label in probe["theme_labels"]), headings[:10]
    assert len(quotes) >= 10
    assert probe["decided"]["accept"] > 0 and probe["decided"]["reject"] > 0
    assert probe["accepted"] == probe["decided"]["accept"] + 1  # plus the one accepted by hand
    assert all(re.fullmatch(r"\d+ of \d+", v) for v in probe["n_of_N"])
    assert any(not v.startswith("0 of") for v in probe["n_of_N"])
    chart = _tagged(nb, "chart")
    assert any("image/png" in o.get("data", {}) for o in chart.outputs)
    assert "Word appendix written to" in "".join(o.get("text", "") for o in _tagged(nb, "appendix").outputs)


@pytest.mark.slow
def test_two_coders_agreement_and_reconciliation(executed) -> None:
    nb, probe, before, after = executed("02-two-coders")
    assert _errors(nb) == []
    assert before == after
    units = [json.loads(line) for line in TWO_CODERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    sample = probe["sample"]
    assert probe["imports"]["HT"]["added"] == sum(len(u["coder_HT"]) for u in units)
    assert probe["imports"]["HT"]["seen"] == probe["n_candidates"] and probe["imports"]["HT"]["problems"] == 0
    assert abs(len(sample) - 0.2 * probe["n_candidates"]) <= 12  # 20% with at least one per document
    so_sheet = pd.read_excel(REPO / "data" / "coded" / "sheets" / "coder-SO.xlsx", sheet_name="coding", dtype=object)
    rows = so_sheet.loc[so_sheet["segment_id"].isin(sample)]
    code_cols = [c for c in so_sheet.columns if c not in ("segment_id", "document", "speaker", "participant", "text",
                                                          "codes", "memo")]
    ticks = int(rows[code_cols].notna().to_numpy().sum())
    assert probe["imports"]["SO"] == {"added": ticks, "seen": len(sample), "problems": 0}
    table = pd.DataFrame(probe["before"]).set_index("code_id")
    assert (table["n_shared"] == len(sample)).all() and probe["old_rule_shared"] > len(sample)
    pooled = table.loc["(all codes)"]
    assert 0.4 < pooled["cohen_kappa"] < 1 and pooled["cohen_kappa_low"] < pooled["cohen_kappa"] < pooled["cohen_kappa_high"]
    assert abs(pooled["krippendorff_alpha"] - pooled["cohen_kappa"]) < 0.02  # two coders, no missing ratings
    assert 0 < probe["n_disagreements"] == probe["n_disagreements_after"]  # the coders' own codings stay
    assert probe["settled"] > 0 and probe["consensus_seen"] == probe["n_alike"] + probe["settled"]
    assert f"on the {probe['consensus_seen']} segment(s) it settled" in probe["consensus_note"]


@pytest.mark.slow
def test_assisted_coding_evaluates_trains_and_orders(executed) -> None:
    nb, probe, before, after = executed("03-assisted-coding")
    assert _errors(nb) == []
    assert before == after
    assert "similarity" not in probe["suggesters"]  # THEMATIC_NOTEBOOK_QUICK=1 keeps the test fast
    micro = {r["suggester"]: r for r in probe["summary"] if r["code_id"] == "(micro)"}
    for name in ("thematic.rules.v1", "thematic.model.v1"):
        assert 0 < micro[name]["precision"] <= 1 and micro[name]["f1"] > probe["baseline_f1"], micro[name]
    assert probe["model_status"] == "ran" and probe["model_added"] > 0
    distances = probe["distances"]
    assert distances and distances == sorted(distances), "the uncertain queue is not closest-call first"
    gold_precision = micro["thematic.rules.v1"]["precision"]
    assert probe["own_precision"] < gold_precision  # the lesson the notebook draws
    # what it says of the units: the turns HT read, less those where a suggestion was accepted
    assert probe["accepted_turns"] > 0 and probe["own_units"] == probe["ht_seen"] - probe["accepted_turns"]


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_coder_sheets", REPO / "scripts" / "make_coder_sheets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_coder_sheets", module)
    spec.loader.exec_module(module)
    return module


def test_coder_sheet_units_match_by_text_not_id() -> None:
    """Units find their segment by collapsed text, despite pseudonymised names; ties go by position."""
    script = _load_script()
    segments = pd.DataFrame({
        "segment_id": ["doc-a:0", "doc-a:1", "doc-a:2", "doc-b:0"],
        "document_id": ["doc-a", "doc-a", "doc-a", "doc-b"],
        "index": [0, 1, 2, 0],
        "text": ["There's no ladder.", "There's no ladder.", "I told P04 about the\nforklift job at the depot.",
                 "Something else entirely, about funding."],
    })
    units = [
        {"id": "x:1", "text": "There's  no ladder."},
        {"id": "y:7", "text": "I told Tomasz about the forklift job at the depot."},
        {"id": "z:0", "text": "Something else entirely,\n about funding."},
    ]
    got = {m.unit_id: (m.segment_id, m.similarity < 1) for m in script.match_units(units, segments)}
    assert got == {"x:1": ("doc-a:1", False), "y:7": ("doc-a:2", True), "z:0": ("doc-b:0", False)}
    with pytest.raises(ValueError, match="w:3"):
        script.match_units([{"id": "w:3", "text": "Nothing like any segment at all in this tiny study."}], segments)
