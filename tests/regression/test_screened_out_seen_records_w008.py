"""Screening out a respondent whose answers a coder had seen raised W117, which said those turns' "text changed"
and asked the coders to look at them again: the answers were removed, not changed. Those records are now W008
(removed with the answers, nothing to look at again); W117 keeps to turns whose words did change."""

from __future__ import annotations

from thematic.study import Study

SURVEY = """respondent_id,site,What got in the way of your studies?
R1,North,I had no time because of my job and family duties.
R2,South,Costs kept going up and up every single month.
R3,North,Teacher support was the best thing about it all.
"""
EXCLUDE = '\n[ingest.survey."survey.csv"]\nexclude = { R2 = "withdrew consent" }\n'


def _reingest(study: Study, survey: str) -> list[str]:
    (study.paths.raw / "survey.csv").write_text(survey, encoding="utf-8")
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(EXCLUDE)
    root = study.root
    study.close()
    again = Study.open(root)
    try:
        report = again.ingest()
        assert report.ok, report.rows
        seen = again.store.coverage()
        return [*report.rows[0].warnings, f"seen={len(seen)}"]
    finally:
        again.close()


def _seen_by_all(study: Study) -> None:
    (study.paths.raw / "survey.csv").write_text(SURVEY, encoding="utf-8")
    study.ingest()
    study.mark_seen(list(study.segments()["segment_id"]), coder="HT")


def test_screening_out_is_w008_not_w117(study: Study) -> None:
    _seen_by_all(study)
    warnings = _reingest(study, SURVEY)
    assert not any(w.startswith("[W117]") for w in warnings), warnings
    (w008,) = [w for w in warnings if w.startswith("[W008]")]
    assert ": 1 record(s)" in w008 and "(R2)" in w008
    assert "seen=2" in warnings  # R1's and R3's stay seen


def test_changed_turn_beside_a_screened_out_one(study: Study) -> None:
    _seen_by_all(study)
    warnings = _reingest(study, SURVEY.replace("the best thing about it all", "what kept me going, all year"))
    (w117,) = [w for w in warnings if w.startswith("[W117]")]
    (w008,) = [w for w in warnings if w.startswith("[W008]")]
    assert ": 1 record(s)" in w117 and ": 1 record(s)" in w008
    assert "seen=1" in warnings
