"""A coder name typed precomposed (NFC, Windows/Linux) or decomposed (NFD, macOS) is one coder.

"Zoë" was stored as typed, so the same person became two coders who print the same: `thematic status`
showed two "Zoë" rows and agreement split her work. Names are now NFC-normalised (and trimmed) wherever a
person's name is written (code, uncode, decide, mark seen, sheets, widget), and filters match either form.
"""

from __future__ import annotations

import unicodedata

from coding.manual_support import fill_study
from thematic.coding.manual import coders_in
from thematic.models import Coding, Provenance

NFC = unicodedata.normalize("NFC", "Zoë")
NFD = unicodedata.normalize("NFD", "Zoë")


def test_both_forms_are_one_coder(study) -> None:  # noqa: ANN001
    assert NFC != NFD
    fill_study(study)
    study.code("int-01:1", "generativity", coder=NFC)
    study.code("int-01:3", "generativity", coder=NFD)
    study.code("int-02:1", "funding", coder=f" {NFD} ")
    assert coders_in(study.store) == [NFC]
    assert len(study.codings(coder=NFD)) == 3 and len(study.codings(coder=NFC)) == 3
    assert study.uncode("int-02:1", "funding", coder=NFD) == 1

    seg = study.store.segment("int-02:3")
    sugg = Coding(seg.document_id, seg.start, seg.end, "been_there", "thematic.rules.v1", status="suggested",
                  text=seg.text, segment_id=seg.id, confidence=0.5,
                  provenance=Provenance("suggester", "thematic.rules.v1"), memo="keyword 'been there'")
    study.store.add_codings([sugg])
    study.decide(sugg.id, "accept", reviewer=NFD)
    assert study.store.coding(sugg.id)["reviewer"] == NFC
    study.mark_seen(["int-01:1", "int-01:3"], coder=NFD)
    assert set(study.seen()["coder"]) == {NFC}
    counted = set(study.frequencies(level="code", coder=NFD).query("n_segments > 0")["code_id"])
    assert {"been_there", "generativity"} <= counted and "funding" not in counted
