"""Removing by id one of two twin suggestions the coder accepted takes both off.

Review settles twins (the same code on the same span from two suggesters) with one decision, but
`code remove --id` rejected only the twin named, so the other stayed accepted and the code still counted
for the coder, while the message said it was rejected. ``uncode_id`` now rejects the coder's accepted
twins with it, as ``uncode`` by segment does.
"""

from __future__ import annotations

from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.coding.manual import uncode_id
from thematic.coding.owner import coder_codings
from thematic.models import Coding, Provenance


def _suggest(store, seg_id: str, code_id: str, suggester: str) -> str:  # noqa: ANN001
    seg = store.segment(seg_id)
    c = Coding(seg.document_id, seg.start, seg.end, code_id, suggester, status="suggested", text=seg.text,
               segment_id=seg.id, confidence=0.6, provenance=Provenance("suggester", suggester), memo="why")
    store.add_codings([c])
    return c.id


def _twins(study) -> tuple[str, str]:  # noqa: ANN001
    fill_study(study)
    a = _suggest(study.store, "int-01:1", "security_vetting", "thematic.rules.v1")
    b = _suggest(study.store, "int-01:1", "security_vetting", "thematic.ensemble.v1")
    study.decide(a, "accept", reviewer="AB")
    assert study.store.coding(b)["status"] == "accepted"
    return a, b


def test_uncode_id_rejects_the_twin_too(study) -> None:  # noqa: ANN001
    a, b = _twins(study)
    assert uncode_id(study.store, b, coder="AB") == 2
    assert {study.store.coding(c)["status"] for c in (a, b)} == {"rejected"}
    assert coder_codings(study.store, "AB").empty
    freq = study.frequencies(level="code").set_index("code_id")
    assert int(freq.loc["security_vetting", "n_segments"]) == 0


def test_the_cli_rejects_both(study) -> None:  # noqa: ANN001
    a, b = _twins(study)
    study.close()
    result = CliRunner().invoke(app, ["code", "remove", "--id", a, "--coder", "AB", "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    assert "rejected" in result.output
    from thematic.study import Study

    with Study(study.root) as s:
        assert {s.store.coding(c)["status"] for c in (a, b)} == {"rejected"}
