"""`thematic code` fits the ensemble's similarity part with the study's participant segments as its background
(as the similarity suggester and `thematic evaluate` do), not only the segments of documents with human codings:
before anyone codes, a codebook without keywords gets from the default ensemble what similarity alone suggests."""

from __future__ import annotations

from pathlib import Path

from regression.tiny_study import cli, codebook_yaml, study_with

import thematic
from thematic.codebook import load_codebook
from thematic.coding.execute.jobs import fit_args
from thematic.coding.plan import make_suggester, training_codings

CODEBOOK = codebook_yaml("""\
- id: housing
  label: Housing
  parent: life
  definition: Housing, flats, tenancy and homelessness.
""")
INTERVIEW = """\
Interviewer: Tell me about money.

Sam: Money was always tight and the bills kept coming every month.

Interviewer: And where did you live?

Sam: When I came out I was homeless for a while. Then the council found me a flat with a proper tenancy.

Interviewer: What do you do on Sundays?

Sam: I walk the dog in the park and see my friends at the cafe.
"""


def test_default_ensemble_suggests_what_similarity_does(tmp_path: Path) -> None:
    root = tmp_path / "s"
    study_with(root, CODEBOOK, {"int.txt": INTERVIEW})
    cli(root, "code")  # the default: the ensemble
    with thematic.Study.open(root) as st:
        n = len(st.store.segments(include_interviewer=False))
        ens = make_suggester("thematic.ensemble.v1", st.context)
        ens.fit(*fit_args(ens, st.context, load_codebook(root / "codebooks" / "cb.yaml"),
                          training_codings(st.context, None)))
        assert ens.parts_["similarity"].background_ == f"{n} segments"
        alone = st.suggest(suggester="similarity")
        stored = st.store.codings(status="suggested")
        assert set(zip(stored["segment_id"], stored["code_id"])) == set(zip(alone["segment_id"], alone["code_id"]))
        assert ("int:3", "housing") in set(zip(stored["segment_id"], stored["code_id"]))


def test_study_suggest_fits_the_ensemble_as_thematic_code_does(tmp_path: Path) -> None:
    """`Study.suggest(suggester="ensemble")` (proposals without storing) fits it as a run does: all segments as the
    similarity part's background, so it proposes what `thematic code` stores."""
    root = tmp_path / "s"
    study_with(root, CODEBOOK, {"int.txt": INTERVIEW})
    with thematic.Study.open(root) as st:
        st.ingest()
        proposed = st.suggest(suggester="ensemble")
        alone = st.suggest(suggester="similarity")
    assert ("int:3", "housing") in set(zip(proposed["segment_id"], proposed["code_id"]))
    assert set(zip(proposed["segment_id"], proposed["code_id"])) == set(zip(alone["segment_id"], alone["code_id"]))
