"""`thematic sample --of HT` takes the segments HT saw as agreement does: recorded coverage plus what HT coded.

It read recorded coverage only, so after HT coded 4 segments by hand `agreement` said "HT saw 4
segment(s)" and `sample --of HT` said "HT has seen no segment", and E603 then advised a valid
--fraction/--n.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.assisted_support import interview, write_codebook
from thematic.cli.main import app
from thematic.coding.sample import draw_sample
from thematic.errors import InputError

runner = CliRunner()


def test_sample_of_a_coder_counts_the_segments_they_coded(study) -> None:  # noqa: ANN001
    write_codebook(study)
    study.store.save_document(interview("int-01", [f"answer {i}" for i in range(8)]))  # turns int-01:1, 3, ... 15
    coded = ["int-01:1", "int-01:3", "int-01:5", "int-01:7"]
    for seg in coded:
        study.code(seg, "funding", coder="HT")
    study.code("int-01:1", "security_vetting", coder="SO")
    result = draw_sample(study.store, coder="SO", n=2, of="HT", seed=1)
    assert result.n_candidates == 4 and set(result.segments["segment_id"]) <= set(coded)
    study.mark_seen(["int-01:9"], coder="HT", source="api")  # seen and left uncoded: a candidate too
    assert draw_sample(study.store, coder="SO", fraction=1.0, of="HT").n_candidates == 5


def test_sample_of_a_coder_who_saw_nothing_gives_no_fraction_advice(store) -> None:  # noqa: ANN001
    store.save_document(interview("int-01", ["one", "two", "three"]))
    with pytest.raises(InputError, match=r"\[E603\].*HT has seen no segment") as err:
        draw_sample(store, coder="SO", n=2, of="HT")
    assert "--fraction" not in str(err.value)  # --n 2 was valid: the problem is HT
    with pytest.raises(InputError, match=r"\[E603\].*between 0 and 1"):
        draw_sample(store, coder="SO", fraction=1.5)


def test_cli_sample_of_after_coding_by_hand(study, tmp_path) -> None:  # noqa: ANN001
    write_codebook(study)
    study.store.save_document(interview("int-01", [f"answer {i}" for i in range(8)]))
    for seg in ("int-01:1", "int-01:3", "int-01:5", "int-01:7"):
        study.code(seg, "funding", coder="HT")
    root = study.root
    study.close()
    res = runner.invoke(app, ["sample", "--coder", "SO", "--n", "2", "--of", "HT", "--seed", "1", "--study", str(root)])
    assert res.exit_code == 0, res.output
    assert "2 of 4 participant segment(s)" in " ".join(res.output.split())
