"""A real name in a transcript's front-matter ``title:`` stayed in the stored document title (and so in the REFI
export's source name and the appendix with ``--doc-label title``) while the text was pseudonymised. The title
is now pseudonymised like the text, as docs/ingest.md promises."""

from __future__ import annotations

from thematic.study import Study

TRANSCRIPT = """---
title: Interview with Hannah Brightwater
---
Interviewer: Hello.
Hannah Brightwater: Hi, I am Hannah and I grew up nearby.
"""


def test_front_matter_title_is_pseudonymised(study: Study) -> None:
    (study.paths.raw / "int-01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert study.ingest().ok
    doc = study.store.document("int-01")
    assert "Brightwater" not in doc.text and "Hannah" not in doc.text
    assert doc.title is not None and "Brightwater" not in doc.title and "Hannah" not in doc.title
    assert doc.title == "Interview with Speaker 1", doc.title
    assert doc.attributes.get("title") == doc.title


def test_front_matter_title_kept_without_pseudonymisation(study: Study) -> None:
    toml = study.root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    study = Study.open(study.root)
    assert not study.config.ingest.pseudonymise
    (study.paths.raw / "int-01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert study.ingest().ok
    assert study.store.document("int-01").title == "Interview with Hannah Brightwater"
    study.close()
