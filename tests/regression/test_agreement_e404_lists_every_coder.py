"""E404's hint lists every coder with codings, also those whose codings a consensus supersedes.

After reconciling, `thematic agreement` without `--coders` (the init template has ``coders = []``)
said "coders with codings: HT, consensus": SO's codings were left out of the hint because the
consensus supersedes them, pointing the user at the wrong pair. Fictional data written fresh.
"""

from __future__ import annotations

import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.reconcile import reconcile_items, settle

runner = CliRunner()
TURNS = ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]


@pytest.fixture
def reconciled(study):
    """HT and SO coded and saw all four turns; every segment is settled into the consensus."""
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.code("int-01:3", "funding", coder="HT")
    study.code("int-01:1", "generativity", coder="SO")
    study.code("int-02:1", "funding", coder="SO")
    for coder in ("HT", "SO"):
        study.mark_seen(TURNS, coder=coder, source="api")
    for item in reconcile_items(study.store, coders=["HT", "SO"], codebook=study.codebook):
        settle(study.store, item, (), coders=["HT", "SO"], consensus="consensus", decided_by="HT", route="api")
    yield study


def test_the_hint_names_coders_whose_codings_the_consensus_supersedes(reconciled) -> None:
    assert len(reconciled.codings(coder="SO")) == 2  # still in the store
    with pytest.raises(InputError, match=r"E404.*coders with codings: consensus, HT, SO\)"):
        reconciled.agreement(n_boot=0)


def test_the_command_lists_every_coder(reconciled) -> None:
    root = reconciled.root
    reconciled.close()
    result = runner.invoke(app, ["agreement", "--boot", "0", "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code != 0
    flat = " ".join(result.output.split())
    assert "[E404]" in flat and "coders with codings: consensus, HT, SO)" in flat, flat
    assert "Traceback" not in result.output
